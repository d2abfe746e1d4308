import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The `follow-up-visit` page's view model: the steps, the forms for photos and outcome
/// questions, the adverse events still open, and "Mark the follow-up done".
struct FollowUpVisitPage {
    struct Step {
        var id: String
        var title: String
        var done: Bool
        var required: Bool
        var detail: String
    }

    struct AdverseEvent {
        var id: String
        var url: String
        /// Resolved from this page in one click (the adverse-event page's own form: outcome, today).
        var resolveURL: String
        var version: Int
        var term: String
        var onset: String
        var grade: String
        var serious: Bool
        var outcome: String
    }

    struct Option { var value: String }

    var patientName: String
    var patientURL: String
    var appointmentURL: String
    var label: String
    var when: String
    var isFollowUp: Bool
    var isOpen: Bool
    var isDone: Bool
    var version: Int
    var steps: [Step]
    var photoAction: String
    var maxMB: Int
    var today: String
    var viewOrder: String
    var assessmentURL: String
    var proAction: String
    var next: String
    var satisfactionOptions: [Option]
    var adverseEvents: [AdverseEvent]
    var completeAction: String
    /// Why "Mark the follow-up done" was refused, as sentences a clinician reads.
    var completeErrors: [String]
}

/// Builds a follow-up visit's page from what the use case read.
enum FollowUpVisitView {
    static func page(_ v: ReadFollowUpVisit.Visit, zone: TimeZone, today: CalendarDate, maxMB: Int, completeErrors: [FieldError]) -> FollowUpVisitPage {
        let a = v.appointment
        let url = "/appointments/\(a.id.lower)/follow-up"
        let patient = PatientLinks.url(a.patientId)
        return FollowUpVisitPage(
            patientName: a.patientName, patientURL: patient, appointmentURL: "/appointments/\(a.id.lower)",
            label: ScheduleView.kindLabel(a), when: ViewDates.format(a.startsAt, zone, "EEE d MMM yyyy, HH:mm"),
            isFollowUp: a.kind == .followUp, isOpen: a.status == .booked || a.status == .checkedIn, isDone: a.status == .completed,
            version: a.version,
            steps: v.steps.map { .init(id: $0.id, title: $0.title, done: $0.done, required: $0.required, detail: $0.detail) },
            photoAction: patient + "/photos/batch", maxMB: maxMB, today: today.description,
            viewOrder: PhotoBatch.standardViews.map(\.label).joined(separator: ", "),
            assessmentURL: patient + "/assessments/new?next=" + url, proAction: patient + "/reported-outcomes", next: url,
            satisfactionOptions: (0...10).map { .init(value: String($0)) },
            adverseEvents: v.openAdverseEvents.map { e in
                .init(id: e.id.lower, url: "/adverse-events/\(e.id.lower)?next=" + url, resolveURL: "/adverse-events/\(e.id.lower)", version: e.version,
                      term: AETerm.find(e.details.term)?.label ?? e.details.term,
                      onset: ViewDates.day(e.details.onsetOn), grade: e.details.grade.label, serious: e.details.serious,
                      outcome: e.details.outcome.label)
            },
            completeAction: url + "/complete", completeErrors: completeErrors.map(sentence))
    }

    /// A refusal's reason as a sentence a clinician reads.
    static func sentence(_ e: FieldError) -> String {
        switch e.field {
        case "appointment": "This visit \(e.message)."
        case "assessment": "Scar assessment: \(e.message)."
        default: "Adverse events: \(e.message)."
        }
    }
}
