import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// The JSON the API returns; rates are proportions (0–1) with their 95 % Wilson interval.
struct AnalyticsJSON: Encodable {
    struct Interval: Encodable {
        var numerator: Int
        var denominator: Int
        var rate: Double
        var lower: Double
        var upper: Double
        init?(_ ci: WilsonInterval?) {
            guard let ci else { return nil }
            (numerator, denominator, rate, lower, upper) = (ci.successes, ci.trials, ci.proportion, ci.lower, ci.upper)
        }
    }
    struct Group: Encodable {
        var dimension: String
        var group: String
        var label: String
        var patients: Int
        var evaluable: Int
        var responders: Int
        var rate: Interval?
    }
    struct Change: Encodable { var scale: String; var label: String; var patients: Int; var meanChange: Double? }
    struct TTR: Encodable { var patients: Int; var meanDays: Double?; var medianDays: Double? }
    struct AE: Encodable { var events: Int; var perPatient: Interval?; var perSession: Interval? }
    struct Literature: Encodable { var perPatient: Interval?; var source: String }
    struct Definitions: Encodable {
        var responderRule: String
        var fitzpatrickGroups: String
        var depthBandEdgesMm: [Double]
        var depthBandNote: String
        var cohort: String
    }
    struct Filter: Encodable { var from: String?; var to: String?; var practitioner: String?; var `protocol`: String? }

    var filter: Filter
    var definitions: Definitions
    var patientsTreated: Int
    var sessionsSigned: Int
    var completedCourses: Int
    var responders: [Group]
    var meanChange: [Change]
    var timeToResponse: TTR
    var adverseEvents: AE
    var literature: Literature

    static let cohort = "Patients with at least one signed session in the filter (session day, practitioner, protocol template of the session's plan). Baseline: first assessment; latest: last assessment on or before the 'to' day. Adverse events counted by onset day."

    init(_ r: ClinicAnalytics) {
        filter = Filter(from: r.filter.from?.description, to: r.filter.to?.description,
                        practitioner: r.filter.practitionerId?.lower, protocol: r.filter.protocolTemplateId?.lower)
        definitions = Definitions(responderRule: ClinicAnalytics.responderRule, fitzpatrickGroups: FitzpatrickGroup.source,
                                  depthBandEdgesMm: r.bands.edges.map(\.millimetres), depthBandNote: DepthBands.note, cohort: Self.cohort)
        patientsTreated = r.patientsTreated
        sessionsSigned = r.sessionsSigned
        completedCourses = r.completedCourses
        responders = r.groups.map { Group(dimension: $0.dimension.rawValue, group: $0.key, label: $0.label, patients: $0.patients,
                                          evaluable: $0.evaluable, responders: $0.responders, rate: Interval($0.interval)) }
        meanChange = r.scaleChanges.map { Change(scale: $0.scale, label: $0.label, patients: $0.patients, meanChange: $0.mean) }
        timeToResponse = TTR(patients: r.timeToResponse.patients, meanDays: r.timeToResponse.mean, medianDays: r.timeToResponse.median)
        adverseEvents = AE(events: r.adverseEvents.events, perPatient: Interval(r.adverseEvents.perPatient), perSession: Interval(r.adverseEvents.perSession))
        literature = Literature(perPatient: Interval(LiteratureAdverseEvents.interval), source: LiteratureAdverseEvents.source)
    }
}
