import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/appointments/:id…` and `/patients/:id/calendar-link…`: one appointment (move, cancel,
/// no-show, check in) and the patient's calendar-feed link.
struct AppointmentPageController {
    let schedule: ScheduleRepository
    let outbox: OutboxRepository
    let database: ScarDatabase
    let views: Views

    init(_ services: AppServices) {
        schedule = services.schedule
        outbox = OutboxRepository(services.database)
        database = services.database
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/appointments/:id", .clinicalStaff, "One appointment", c.show)
        routes.form("/appointments/:id/reschedule", .clinicalStaff, "Move an appointment", c.reschedule)
        routes.form("/appointments/:id/status", .clinicalStaff, "Cancel, mark no-show or check in", c.changeStatus)
        routes.form("/patients/:id/calendar-link", .clinicalStaff, "Create a calendar link for the patient", c.issueCalendarLink)
        routes.form("/patients/:id/calendar-link/revoke", .clinicalStaff, "Revoke the patient's calendar links", c.revokeCalendarLinks)
    }

    static let changedMeanwhile = "This appointment was changed by someone else meanwhile."

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        try await page(try context.pageUUID(), context: context)
    }

    @Sendable func reschedule(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no record version; reload the page.", field: "version") }
        guard let day = CalendarDate(form["date"] ?? ""), let minutes = MinuteRange.minutes(form["time"] ?? "") else {
            return try await page(id, context: context, message: "Enter a date (YYYY-MM-DD) and a time (HH:MM).", status: .unprocessableContent)
        }
        let start = Availability(timeZone: ScheduleView.zone(context), weeklyHours: [:]).instant(day, minutes: minutes)
        do {
            _ = try await RescheduleAppointment(database)(appointmentId: id, to: start, expectedVersion: version, by: context.clinician,
                                                          actor: context.auditActor, now: context.now)
            return Response.redirect(to: "/appointments/\(id.lower)", type: .normal)
        } catch StoreError.versionConflict {
            return try await page(id, context: context, message: "\(Self.changedMeanwhile) The page shows it as saved now; try again.", status: .conflict)
        } catch let refusal as Refusal {
            let e = AppError(refusal)
            return try await page(id, context: context, message: e.detail ?? e.title, status: .conflict)
        }
    }

    @Sendable func changeStatus(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no record version; reload the page.", field: "version") }
        let status: AppointmentStatus
        switch form["action"] {
        case "cancel": status = .cancelled
        case "no-show": status = .noShow
        case "check-in": status = .checkedIn
        default: throw AppError.badRequest("Unknown action.", field: "action")
        }
        do {
            let a = try await ChangeAppointmentStatus(database)(appointmentId: id, to: status, expectedVersion: version, by: context.clinician,
                                                                actor: context.auditActor, now: context.now)
            return Response.redirect(to: Self.afterStatusChange(a, next: form["next"], role: context.signedInUser.role), type: .normal)
        } catch StoreError.versionConflict {
            return try await page(id, context: context, message: "\(Self.changedMeanwhile) Check it and try again.", status: .conflict)
        } catch let refusal as Refusal where refusal.kind == .conflict {
            return try await page(id, context: context, message: refusal.detail ?? refusal.title, status: .conflict)
        }
    }

    /// Checked in from the day (`next=chart`) by a clinician who may chart: straight to the session's new
    /// chart (before-photos, today's questions, the chart, signing); otherwise back to the appointment.
    static func afterStatusChange(_ a: Appointment, next: String?, role: Role) -> String {
        guard next == "chart", a.kind == .session, a.status == .checkedIn, AccessPolicy.clinicians.allows(role) else {
            return "/appointments/\(a.id.lower)"
        }
        return PatientLinks.url(a.patientId) + "/sessions/new?appointment=\(a.id.lower)"
    }

    @Sendable func issueCalendarLink(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let token = try await schedule.createFeedToken(patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let host = request.head.authority ?? "localhost"
        let page = CalendarLinkPage(path: "/ical/patient/\(token).ics", url: "http://\(host)/ical/patient/\(token).ics", patientURL: PatientLinks.url(id))
        return views.render(.calendarLink, title: "Calendar link", section: "patients", page: page, context: context)
    }

    @Sendable func revokeCalendarLinks(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        _ = try await schedule.revokeFeedTokens(patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return Response.redirect(to: PatientLinks.url(id) + "#course", type: .normal)
    }

    func page(_ id: UUID, context: AppContext, message: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let zone = ScheduleView.zone(context)
        let a = try await schedule.appointment(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let messages = try await outbox.messages(appointmentId: id)
        let page = AppointmentPage(
            appointment: AppointmentRow(a, zone: zone), message: message, rescheduleURL: "/appointments/\(id.lower)/reschedule",
            chartURL: PatientLinks.url(a.patientId) + "/sessions/new?appointment=\(id.lower)", statusURL: "/appointments/\(id.lower)/status",
            messages: messages.map { .init(kind: MessageKind(rawValue: $0.kind)?.label ?? $0.kind, status: $0.status,
                                           due: ViewDates.format($0.dueAt, zone, "yyyy-MM-dd HH:mm")) })
        return views.render(.appointment, title: "\(ScheduleView.kindLabel(a)) · \(a.patientName)", section: "schedule", page: page,
                            context: context, status: status)
    }
}

/// The `appointment` page's view model: the appointment, what can be done with it, and its messages.
struct AppointmentPage {
    struct Message {
        var kind: String
        var status: String
        var due: String
    }

    var appointment: AppointmentRow
    var message: String?
    var rescheduleURL: String
    var chartURL: String
    var statusURL: String
    var messages: [Message]
}

/// The `calendar-link` page's view model: the patient's new calendar feed address.
struct CalendarLinkPage {
    var path: String
    var url: String
    var patientURL: String
}
