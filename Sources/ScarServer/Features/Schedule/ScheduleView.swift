import Foundation
import ScarCore
import ScarStore

/// View mapping for the schedule pages and the patient's "Course" card.
enum ScheduleView {
    static func zone(_ context: AppContext) -> TimeZone {
        TimeZone(identifier: context.signedIn?.clinicTimeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
    }

    static func kindLabel(_ a: Appointment) -> String {
        a.kind.label(a.number)
    }

    static func row(_ a: Appointment, zone: TimeZone, now: Date = Date()) -> [String: Any] {
        [
            "id": a.id.lower, "url": "/appointments/\(a.id.lower)",
            "patientURL": PatientLinks.url(a.patientId), "patientName": a.patientName,
            "label": kindLabel(a), "isSession": a.kind == .session, "modality": a.modality.rawValue,
            "date": ViewDates.format(a.startsAt, zone, "EEE d MMM yyyy"), "isoDate": ViewDates.format(a.startsAt, zone, "yyyy-MM-dd"),
            "time": ViewDates.format(a.startsAt, zone, "HH:mm"), "endTime": ViewDates.format(a.endsAt, zone, "HH:mm"),
            "practitioner": a.practitionerName, "room": a.roomName, "device": a.deviceName ?? "", "hasDevice": a.deviceName != nil,
            "status": a.status.rawValue, "isCancelled": a.status == .cancelled, "isBooked": a.status == .booked,
            "isDone": a.status == .checkedIn || a.status == .completed, "isCompleted": a.status == .completed,
            "completedOn": a.completedOn?.description ?? "", "doneLate": a.completedOn.map { $0 != CalendarDate(ViewDates.format(a.startsAt, zone, "yyyy-MM-dd")) } ?? false,
            "sessionURL": a.sessionId.map { "/sessions/\($0.lower)" } ?? "", "hasSession": a.sessionId != nil,
            "fromPlan": a.planId != nil,
            "isPast": a.endsAt < now, "version": a.version, "sequence": a.icalSequence,
        ]
    }

    /// The patient's course: sessions done and planned, follow-ups, and the calendar link.
    static func courseCard(_ list: [Appointment], patientId: UUID, feedLinks: Int, zone: TimeZone,
                           plans: [TreatmentPlan] = []) -> [String: Any] {
        let sessions = list.filter { $0.kind == .session && $0.status != .cancelled && $0.status != .noShow }
        let done = sessions.filter { $0.status == .checkedIn || $0.status == .completed }.count
        // Approved plans whose series is not booked yet (no live appointment carries the plan).
        let booked = Set(list.filter { $0.status != .cancelled }.compactMap(\.planId))
        let toBook = plans.filter { $0.inForce != nil && !booked.contains($0.id) }
        return [
            "plansToBook": toBook.map { p in
                ["url": PatientLinks.url(patientId) + "/book?plan=" + p.id.lower,
                 "label": "Book the series (plan version \(p.inForce!.number), \(p.inForce!.content.sessions) sessions)"]
            },
            "hasPlansToBook": !toBook.isEmpty,
            "bookURL": PatientLinks.url(patientId) + "/book",
            "calendarLinkURL": PatientLinks.url(patientId) + "/calendar-link",
            "hasFeed": feedLinks > 0,
            "hasAppointments": !list.isEmpty,
            "sessionsDone": done, "sessionsPlanned": sessions.count - done, "sessionsTotal": sessions.count,
            "followUps": list.filter { $0.kind == .followUp && $0.status != .cancelled }.count,
            "timeline": list.map { row($0, zone: zone) },
        ]
    }

    /// The settings as the API shows them: the form's values and the version.
    static func settingsDictionary(_ s: ScheduleSettings) -> [String: String] {
        ScheduleSettingsForm.values(s).merging(["version": String(s.version)]) { $1 }
    }
}
