import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The `today` page's view model: one row per visit with its readiness and its next step, then
/// the lists that need someone today. The front desk sees its lists first.
struct TodayPage {
    /// An appointment as the day's lists show it.
    struct Appointment {
        var id: String
        var url: String
        var patientURL: String
        var patientName: String
        var label: String
        var time: String
        var date: String
        var practitioner: String
        var room: String
        var status: String
        var statusLabel: String
    }

    /// One of today's visits: the appointment, whether it can be checked in, its chart link and readiness.
    struct Visit {
        struct Chart {
            var chartURL: String
            var chartAction: String
        }

        struct Readiness {
            struct Check {
                var id: String
                var label: String
                var state: String
                var detail: String
                var mark: String
            }

            var summary: String
            var checks: [Check]
        }

        var id: String
        var url: String
        var patientURL: String
        var patientName: String
        var label: String
        var time: String
        var practitioner: String
        var room: String
        var status: String
        var statusLabel: String
        var canCheckIn: Bool
        var statusURL: String
        var version: Int
        var chart: Chart?
        /// "stop", "todo" or "ready" once the readiness is known.
        var state: String?
        var readiness: Readiness?
    }

    struct AdverseEvent {
        var url: String
        var patientName: String
        var term: String
        var onset: String
        var serious: Bool
        var grade: String
    }

    /// A patient's report waiting for a clinician: why it came, the photos, and one click to
    /// confirm it (when the rule that flagged it names a term) or to dismiss it.
    struct Report {
        struct Reason { var text: String; var source: String }
        struct Photo { var url: String }
        typealias Grade = SelectOption

        var id: String
        var url: String
        var patientName: String
        var patientURL: String
        var title: String
        var sent: String
        var reasons: [Reason]
        var photos: [Photo]
        var canDecide: Bool
        var confirmURL: String
        var dismissURL: String
        var canConfirm: Bool
        var term: String
        var termLabel: String
        var sessionId: String
        var onsetOn: String
        var durationHours: String
        var grades: [Grade]
    }

    struct Draft { var url: String; var patientName: String; var practitioner: String; var date: String }
    struct Failed { var subject: String; var recipient: String; var due: String; var error: String; var url: String }
    struct ToBook { var patientName: String; var url: String; var plan: String }

    var dayLabel: String
    var scheduleURL: String
    var isDesk: Bool
    var visits: [Visit]
    var counts: String
    var tomorrow: [Appointment]
    var overdue: [Appointment]
    var adverseEvents: [AdverseEvent]
    var reports: [Report]
    var changeRequests: [ChangeRequestRow]
    var drafts: [Draft]
    var failed: [Failed]
    var toBook: [ToBook]
    var passwordSet: Bool
    /// First run: the installer made the clinic with a name and a zone; an admin is asked for the rest until it is set.
    var finishSetUp: Bool
}

/// Builds the day home's view model from the day the use case read.
enum TodayView {
    static func page(_ day: ReadClinicDay.Day, role: Role, zone: TimeZone, passwordSet: Bool, finishSetUp: Bool) -> TodayPage {
        let waiting = day.visits.filter { $0.appointment.status == .booked }.count
        let checkedIn = day.visits.filter { $0.appointment.status == .checkedIn }.count
        let canDecide = role == .admin || role == .practitioner
        return TodayPage(
            dayLabel: ViewDates.format(Availability(timeZone: zone, weeklyHours: [:]).instant(day.date, minutes: 12 * 60), zone, "EEEE d MMMM yyyy"),
            scheduleURL: "/schedule?date=\(day.date)", isDesk: role == .frontDesk,
            visits: day.visits.map { visit($0, zone: zone) },
            counts: "\(day.visits.count) visit\(day.visits.count == 1 ? "" : "s") · \(waiting) to arrive · \(checkedIn) checked in",
            tomorrow: day.tomorrow.map { appointment($0, zone: zone) },
            overdue: day.overdueFollowUps.map { appointment($0, zone: zone) },
            adverseEvents: day.openAdverseEvents.map(adverseEvent),
            reports: day.suspectedAdverseEvents.map { report($0, today: day.date, zone: zone, canDecide: canDecide) },
            changeRequests: day.changeRequests.map { changeRequest($0, zone: zone, today: day.date) },
            drafts: day.unsignedCharts.map(draft), failed: day.failedMessages.map { failed($0, zone: zone) },
            toBook: day.seriesToBook.map(toBook), passwordSet: passwordSet, finishSetUp: finishSetUp)
    }

    static func visit(_ v: ReadClinicDay.Visit, zone: TimeZone) -> TodayPage.Visit {
        let a = v.appointment, row = appointment(a, zone: zone)
        return TodayPage.Visit(
            id: row.id, url: row.url, patientURL: row.patientURL, patientName: row.patientName, label: row.label, time: row.time,
            practitioner: row.practitioner, room: row.room, status: row.status, statusLabel: row.statusLabel,
            canCheckIn: a.status == .booked, statusURL: "/appointments/\(a.id.lower)/status", version: a.version,
            chart: chart(v),
            state: v.readiness.map { r in r.stopped ? "stop" : (r.open.contains { $0.id != "chart" } ? "todo" : "ready") },
            readiness: v.readiness.map { r in
                .init(summary: r.summary, checks: r.items.map {
                    .init(id: $0.id, label: $0.label, state: $0.state.rawValue, detail: $0.detail,
                          mark: $0.state == .done ? "✓" : ($0.state == .stop ? "✕" : "•"))
                })
            })
    }

    /// The visit's next step on its chart: open or continue it, start it once checked in, or the follow-up visit.
    static func chart(_ v: ReadClinicDay.Visit) -> TodayPage.Visit.Chart? {
        let a = v.appointment
        if let chartId = v.chartId {
            return .init(chartURL: "/sessions/\(chartId.lower)", chartAction: a.status == .completed ? "Open chart" : "Continue chart")
        } else if a.kind == .session, a.status == .checkedIn {
            return .init(chartURL: "/patients/\(a.patientId.lower)/sessions/new?appointment=\(a.id.lower)", chartAction: "Start chart")
        } else if a.kind == .followUp, a.status != .cancelled, a.status != .noShow {
            return .init(chartURL: "/appointments/\(a.id.lower)/follow-up", chartAction: a.status == .completed ? "Open follow-up" : "Follow-up visit")
        }
        return nil
    }

    static func appointment(_ a: Appointment, zone: TimeZone) -> TodayPage.Appointment {
        .init(id: a.id.lower, url: "/appointments/\(a.id.lower)", patientURL: "/patients/\(a.patientId.lower)",
              patientName: a.patientName, label: a.kind.label(a.number),
              time: ViewDates.format(a.startsAt, zone, "HH:mm"), date: ViewDates.format(a.startsAt, zone, "EEE d MMM"),
              practitioner: a.practitionerName, room: a.roomName, status: a.status.rawValue, statusLabel: statusLabel(a.status))
    }

    static func statusLabel(_ s: AppointmentStatus) -> String {
        switch s {
        case .booked: "Booked"
        case .checkedIn: "Checked in"
        case .cancelled: "Cancelled"
        case .noShow: "No-show"
        case .completed: "Done"
        }
    }

    static func adverseEvent(_ e: AdverseEventRepository.Record) -> TodayPage.AdverseEvent {
        .init(url: "/adverse-events/\(e.id.lower)", patientName: e.patientName,
              term: AETerm.find(e.details.term)?.label ?? e.details.term, onset: e.details.onsetOn.description, serious: e.details.serious,
              grade: "grade \(e.details.grade.label.lowercased())")
    }

    static func report(_ s: CheckInRepository.Suspected, today: CalendarDate, zone: TimeZone, canDecide: Bool) -> TodayPage.Report {
        let url = "/suspected-adverse-events/\(s.id.lower)"
        let term = s.suggestedTerm.flatMap(AETerm.find)
        let hours = s.day.flatMap { day in ["erythema", "edema"].contains(term?.code ?? "") ? String(day * 24) : nil }
        let reasons: [TodayPage.Report.Reason] = s.reasons.map { .init(text: $0.text, source: $0.source) }
        let photos: [TodayPage.Report.Photo] = s.photoIds.map { .init(url: "/reported-photos/\($0.lower)/image") }
        let grades: [SelectOption] = CTCAEGrade.allCases.map { .init(value: String($0.rawValue), label: $0.label, selected: $0 == .mild) }
        let title: String = s.day.map { "day \($0) check-in" } ?? "problem report"
        return .init(id: s.id.lower, url: url, patientName: s.patientName, patientURL: "/patients/\(s.patientId.lower)",
                     title: title, sent: ViewDates.format(s.createdAt, zone, "EEE d MMM HH:mm"), reasons: reasons, photos: photos,
                     canDecide: canDecide, confirmURL: url + "/confirm", dismissURL: url + "/dismiss",
                     canConfirm: canDecide && term != nil, term: term?.code ?? "", termLabel: term?.label ?? "",
                     sessionId: s.sessionId?.lower ?? "", onsetOn: today.description, durationHours: hours ?? "",
                     grades: grades)
    }

    static func draft(_ d: UnitOfWork.DraftChart) -> TodayPage.Draft {
        .init(url: "/sessions/\(d.sessionId.lower)", patientName: d.patientName, practitioner: d.practitionerName,
              date: d.performedOn?.description ?? "")
    }

    static func failed(_ m: OutboxMessage, zone: TimeZone) -> TodayPage.Failed {
        .init(subject: m.subject, recipient: m.recipient, due: ViewDates.format(m.dueAt, zone, "d MMM HH:mm"),
              error: m.lastError ?? "", url: m.appointmentId.map { "/appointments/\($0.lower)" } ?? "/patients/\(m.patientId.lower)")
    }

    static func toBook(_ s: UnitOfWork.SeriesToBook) -> TodayPage.ToBook {
        .init(patientName: s.patientName, url: "/patients/\(s.patientId.lower)/book",
              plan: "\(s.sessions) session\(s.sessions == 1 ? "" : "s") of \(s.modality == .rfMicroneedling ? "RF microneedling" : "microneedling")")
    }
}
