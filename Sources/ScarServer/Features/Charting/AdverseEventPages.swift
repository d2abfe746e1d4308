import Foundation
import ScarCore
import ScarStore

/// The `adverse-events` page's view model: the open adverse events, serious ones first.
struct OpenAdverseEventsPage {
    struct Row {
        var patientName: String
        var patientURL: String
        var term: String
        var onsetOn: String
        var grade: String
        var serious: Bool
        var relatedness: String
        var outcome: String
        var action: String
        var url: String
        var sessionURL: String?
        var reportedBy: String

        init(_ r: AdverseEventRepository.Record) {
            let d = r.details
            (patientName, patientURL, term) = (r.patientName, PatientLinks.url(r.patientId), AETerm.find(d.term)?.label ?? d.term)
            (onsetOn, grade, serious) = (d.onsetOn.description, CTCAEGrade(rawValue: d.grade.rawValue)?.label ?? "", d.serious)
            (relatedness, outcome, action, url) = (d.relatedness.label, d.outcome.label, d.actionTaken ?? "—", AdverseEventView.url(r.id))
            sessionURL = d.sessionId.map(SessionView.url)
            reportedBy = r.reportedBy
        }
    }

    var events: [Row]
}

/// The `adverse-event-form` page's view model: recording an adverse event, or confirming a
/// patient's report as one (`suspected`, with what the patient sent).
struct AdverseEventFormPage {
    typealias Option = SelectOption

    struct Grade {
        var value: Int
        var label: String
        var definition: String
        var selected: Bool
    }

    struct Choice {
        var value: String
        var selected: Bool
    }

    /// A patient's report, and whether it is still open to decide.
    struct Suspected {
        struct Reason { var text: String; var source: String }
        struct Photo { var url: String }

        var title: String
        var reported: String
        var reasons: [Reason]
        var photos: [Photo]
        var open: Bool
        var state: String
        var dismissURL: String
    }

    var patientName: String
    var patientURL: String
    var action: String
    var terms: [Option]
    var grades: [Grade]
    var relatedness: [Choice]
    var outcomes: [Choice]
    var onsetOn: String
    var resolvedOn: String
    var sessionId: String
    var durationHours: String
    var actionTaken: String
    var products: String
    var notes: String
    var serious: Bool
    var thresholds: String
    var thresholdSource: String
    var gradeSource: String
    var errors: [FieldError]
    var heading: String?
    var suspected: Suspected?
    var hideForm: Bool
}
