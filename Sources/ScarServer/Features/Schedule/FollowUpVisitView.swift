import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// A follow-up visit's page as the template reads it.
enum FollowUpVisitView {
    static func data(_ v: ReadFollowUpVisit.Visit, zone: TimeZone, maxMB: Int, completeErrors: [FieldError]) -> [String: Any] {
        let a = v.appointment
        let url = "/appointments/\(a.id.lower)/follow-up"
        let patient = PatientLinks.url(a.patientId)
        let open = a.status == .booked || a.status == .checkedIn
        return [
            "patientName": a.patientName, "patientURL": patient, "appointmentURL": "/appointments/\(a.id.lower)",
            "label": ScheduleView.kindLabel(a), "when": ViewDates.format(a.startsAt, zone, "EEE d MMM yyyy, HH:mm"),
            "isFollowUp": a.kind == .followUp, "isOpen": open, "isDone": a.status == .completed, "version": a.version,
            "steps": v.steps.map { ["id": $0.id, "title": $0.title, "done": $0.done, "required": $0.required, "detail": $0.detail] as [String: Any] },
            "photoAction": patient + "/photos/batch", "maxMB": maxMB, "today": CalendarDate(clinicDayOf: Date(), in: zone).description,
            "viewOrder": PhotoBatch.standardViews.map(\.label).joined(separator: ", "),
            "assessmentURL": patient + "/assessments/new?next=" + url,
            "proAction": patient + "/reported-outcomes", "next": url,
            "satisfactionOptions": (0...10).map { ["value": String($0)] },
            "adverseEvents": v.openAdverseEvents.map { e in
                ["url": "/adverse-events/\(e.id.lower)?next=" + url, "term": AETerm.find(e.details.term)?.label ?? e.details.term,
                 "onset": ViewDates.day(e.details.onsetOn), "grade": e.details.grade.label, "serious": e.details.serious,
                 "outcome": e.details.outcome.label] as [String: Any]
            },
            "hasAdverseEvents": !v.openAdverseEvents.isEmpty,
            "completeAction": url + "/complete",
            "hasCompleteErrors": !completeErrors.isEmpty, "completeErrors": completeErrors.map(sentence),
        ]
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
