import Foundation
import ScarCore
import ScarStore

/// View models for the schedule pages and the patient's "Course" card.
enum ScheduleView {
    static func zone(_ context: AppContext) -> TimeZone {
        TimeZone(identifier: context.signedIn?.clinicTimeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
    }

    static func kindLabel(_ a: Appointment) -> String {
        a.kind.label(a.number)
    }

    /// The patient's course: sessions done and planned, follow-ups, and the calendar link.
    static func courseCard(_ list: [Appointment], patientId: UUID, feedLinks: Int, zone: TimeZone,
                           plans: [TreatmentPlan] = []) -> CourseCard {
        let sessions = list.filter { $0.kind == .session && $0.status != .cancelled && $0.status != .noShow }
        let done = sessions.filter { $0.status == .checkedIn || $0.status == .completed }.count
        // Approved plans whose series is not booked yet (no live appointment carries the plan).
        let booked = Set(list.filter { $0.status != .cancelled }.compactMap(\.planId))
        let toBook = plans.filter { $0.inForce != nil && !booked.contains($0.id) }
        // At most ten, earliest first, from the next open appointment on (the last ten when none is open).
        let next = list.firstIndex { $0.status == .booked || $0.status == .checkedIn } ?? list.count
        let window = Self.window(from: next, count: list.count)
        let shown = Array(list[window])
        return CourseCard(
            plansToBook: toBook.map { p in
                .init(url: PatientLinks.url(patientId) + "/book?plan=" + p.id.lower,
                      label: "Book the series (plan version \(p.inForce!.number), \(p.inForce!.content.sessions) sessions)")
            },
            bookURL: PatientLinks.url(patientId) + "/book", calendarLinkURL: PatientLinks.url(patientId) + "/calendar-link",
            calendarLinked: feedLinks > 0, sessionsDone: done, sessionsPlanned: sessions.count - done, sessionsTotal: sessions.count,
            followUps: list.filter { $0.kind == .followUp && $0.status != .cancelled }.count,
            timeline: shown.map { AppointmentRow($0, zone: zone) },
            moreAppointments: .of(shown: shown.count, total: list.count, what: "appointments", url: PatientLinks.url(patientId) + "/appointments"),
            fromNext: window.lowerBound == next)
    }

    /// `MoreRecords.cardRows` places from `start`, moved back when fewer are left.
    static func window(from start: Int, count: Int) -> Range<Int> {
        let lower = max(0, min(start, count - MoreRecords.cardRows))
        return lower..<min(count, lower + MoreRecords.cardRows)
    }

    /// The settings as the API shows them: the form's values and the version.
    static func settingsDictionary(_ s: ScheduleSettings) -> [String: String] {
        ScheduleSettingsForm.values(s).merging(["version": String(s.version)]) { $1 }
    }
}

/// The patient page's Course card: the timeline of appointments, the plans still to book and the calendar link.
struct CourseCard {
    struct PlanToBook {
        var url: String
        var label: String
    }

    var plansToBook: [PlanToBook]
    var bookURL: String
    var calendarLinkURL: String
    /// A calendar link is issued and not revoked.
    var calendarLinked: Bool
    var sessionsDone: Int
    var sessionsPlanned: Int
    var sessionsTotal: Int
    var followUps: Int
    var timeline: [AppointmentRow]
    /// The link to the paged list when the timeline shows only some.
    var moreAppointments: MoreRecords?
    /// The timeline starts at the next open appointment.
    var fromNext: Bool
}
