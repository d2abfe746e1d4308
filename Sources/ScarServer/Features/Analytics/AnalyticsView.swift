import Foundation
import ScarCore
import ScarStore

/// The `analytics` page's view model: the filter form, what is counted, the numbers (rates as
/// percentages with their 95 % interval, one SVG bar chart per grouping, the adverse-event
/// comparison) and the depth-band settings.
struct AnalyticsPage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    // The filter form.
    var from: String
    var to: String
    var practitionerOptions: [Option]
    var protocolOptions: [Option]
    var csvURL: String
    var errors: [FieldError]
    var banner: String?
    var canExport: Bool

    // What is counted, and the depth-band settings.
    var responderRule = ClinicAnalytics.responderRule
    var fitzpatrickSource = FitzpatrickGroup.source
    var literatureSource = LiteratureAdverseEvents.source
    var bandNote = DepthBands.note
    var bandLabels: String
    var bandEdges: String
    var settingsVersion: Int
    var settingsErrors: [FieldError]
    var isAdmin: Bool

    /// The numbers, once a valid filter was applied.
    var result: Numbers?
}

extension AnalyticsPage {
    struct Numbers {
        struct Row {
            var label: String
            var key: String
            var patients: Int
            var evaluable: Int
            var responders: Int
            var rate: String
            var ci: String
        }

        struct Dimension {
            var id: String
            var label: String
            var svg: String
            var rows: [Row]
            var isFitzpatrick: Bool
            var isDepth: Bool
        }

        struct Change {
            var label: String
            var scale: String
            var patients: Int
            var mean: String
        }

        struct AdverseEventRow {
            var label: String
            var id: String
            var k: Int
            var n: Int
            var rate: String
            var ci: String
        }

        var patientsTreated: Int
        var sessionsSigned: Int
        var completedCourses: Int
        var evaluable: Int
        var responders: Int
        var overallRate: String
        var overallCI: String
        var overallSVG: String
        var dimensions: [Dimension]
        var changes: [Change]
        var ttrPatients: Int
        var ttrMean: String
        var ttrMedian: String
        var aeEvents: Int
        var aeSVG: String
        var aeRows: [AdverseEventRow]

        static func pct(_ p: Double?) -> String { p.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        static func num(_ v: Double?, _ digits: Int = 2) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }
        static func interval(_ ci: WilsonInterval?) -> String { ci.map { "\(pct($0.lower))–\(pct($0.upper))" } ?? "—" }

        init(_ r: ClinicAnalytics) {
            let overall = r.overall
            patientsTreated = r.patientsTreated
            sessionsSigned = r.sessionsSigned
            completedCourses = r.completedCourses
            evaluable = overall?.evaluable ?? 0
            responders = overall?.responders ?? 0
            overallRate = Self.pct(overall?.interval?.proportion)
            overallCI = Self.interval(overall?.interval)
            overallSVG = ProportionChart(id: "chart-overall", title: "Responder rate, all patients",
                                         bars: overall.map { [ProportionChart.Bar(label: "All patients", interval: $0.interval)] } ?? []).svg()
            dimensions = Self.dimensions(r)
            changes = r.scaleChanges.map { Change(label: $0.label, scale: $0.scale, patients: $0.patients, mean: Self.num($0.mean)) }
            ttrPatients = r.timeToResponse.patients
            ttrMean = Self.num(r.timeToResponse.mean, 1)
            ttrMedian = Self.num(r.timeToResponse.median, 1)
            let ae = r.adverseEvents
            aeEvents = ae.events
            aeSVG = Self.adverseEventChart(ae)
            let lit = LiteratureAdverseEvents.interval
            func row(_ label: String, _ ci: WilsonInterval?, k: Int, n: Int, id: String) -> AdverseEventRow {
                AdverseEventRow(label: label, id: id, k: k, n: n, rate: Self.pct(ci?.proportion), ci: Self.interval(ci))
            }
            aeRows = [row("This clinic, per patient", ae.perPatient, k: ae.patientsWithEvent, n: ae.patients, id: "ae-per-patient"),
                      row("This clinic, per signed session", ae.perSession, k: ae.sessionsWithEvent, n: ae.sessions, id: "ae-per-session"),
                      row("Literature (Harris, Naidoo & Murrell 2015)", lit, k: lit.successes, n: lit.trials, id: "ae-literature")]
        }

        static func dimensions(_ r: ClinicAnalytics) -> [Dimension] {
            AnalyticsDimension.allCases.filter { $0 != .overall }.map { dim in
                let groups = r.groups(dim)
                let chart = ProportionChart(id: "chart-\(dim.rawValue)", title: "Responder rate by \(dim.label.lowercased())",
                                            bars: groups.map { .init(label: $0.label, interval: $0.interval) })
                return Dimension(id: dim.rawValue, label: dim.label, svg: chart.svg(),
                                 rows: groups.map { g in
                                     Row(label: g.label, key: g.key, patients: g.patients, evaluable: g.evaluable, responders: g.responders,
                                         rate: pct(g.interval?.proportion), ci: interval(g.interval))
                                 },
                                 isFitzpatrick: dim == .fitzpatrickGroup, isDepth: dim == .depthBand)
            }
        }

        static func adverseEventChart(_ ae: AdverseEventRates) -> String {
            ProportionChart(id: "chart-ae", title: "Adverse events: patients with at least one", bars: [
                .init(label: "This clinic (per patient)", interval: ae.perPatient),
                .init(label: "Literature: 18 of 246", interval: LiteratureAdverseEvents.interval, reference: true),
                .init(label: "This clinic (per session)", interval: ae.perSession),
            ]).svg()
        }
    }
}
