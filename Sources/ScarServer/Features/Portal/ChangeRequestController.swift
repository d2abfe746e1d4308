import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// Front desk answers the change and cancellation requests patients send from the portal (listed
/// on the day home): accept (cancel, or move to the time agreed with the patient, through the
/// schedule's rules) or decline with a message the patient reads in the portal.
struct ChangeRequestController {
    let services: AppServices
    var decide: DecideChangeRequest { DecideChangeRequest(services.database) }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.form("/change-requests/:id/accept", .clinicalStaff, "Accept a patient's request to change or cancel an appointment", c.acceptForm)
        routes.form("/change-requests/:id/decline", .clinicalStaff, "Decline a patient's request to change or cancel an appointment", c.declineForm)
        routes.api(.get, "/api/v1/change-requests", .clinicalStaff, "Patients' open requests to change or cancel an appointment", c.list)
        routes.api(.post, "/api/v1/change-requests/:id/accept", .clinicalStaff,
                   "Accept a patient's request: cancel the appointment, or move it to `start`", c.acceptJSON)
        routes.api(.post, "/api/v1/change-requests/:id/decline", .clinicalStaff, "Decline a patient's request with a message", c.declineJSON)
    }

    @Sendable func acceptForm(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        var start: Date?
        if let day = CalendarDate(form["date"] ?? ""), let minutes = MinuteRange.minutes(form["time"] ?? "") {
            start = Availability(timeZone: context.clinicZone, weeklyHours: [:]).instant(day, minutes: minutes)
        }
        try await AppError.fromRefusal { try await decide.accept(id, newStart: start, by: context.clinician, actor: context.auditActor, now: context.now) }
        return Response.redirect(to: "/#change-requests", type: .normal)
    }

    @Sendable func declineForm(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        try await AppError.fromRefusal { try await decide.decline(id, reply: form["reply"], by: context.clinician, actor: context.auditActor, now: context.now) }
        return Response.redirect(to: "/#change-requests", type: .normal)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let open = try await ReadChangeRequests(services.database).open(by: context.clinician, actor: context.auditActor, now: context.now)
        struct List: Encodable { var items: [ChangeRequestJSON] }
        return try JSON.response(List(items: open.map(ChangeRequestJSON.init)))
    }

    struct AcceptInput: Decodable { var start: String? }
    struct DeclineInput: Decodable { var reply: String? }

    @Sendable func acceptJSON(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(AcceptInput.self, from: request, limit: services.configuration.maxJSONBodyBytes)
        let start = try input.start.map { raw in
            guard let d = QueryValues.instant(raw) else { throw AppError.validation([FieldError("start", "must be a date and time with an offset")]) }
            return d
        }
        try await AppError.fromRefusal { try await decide.accept(id, newStart: start, by: context.clinician, actor: context.auditActor, now: context.now) }
        return Response(status: .noContent)
    }

    @Sendable func declineJSON(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(DeclineInput.self, from: request, limit: services.configuration.maxJSONBodyBytes)
        try await AppError.fromRefusal { try await decide.decline(id, reply: input.reply, by: context.clinician, actor: context.auditActor, now: context.now) }
        return Response(status: .noContent)
    }
}

/// A change request as the API shows it (to staff and, for their own, to the patient).
struct ChangeRequestJSON: Encodable {
    var id: String
    var appointmentId: String
    var kind: String
    var reason: String
    var status: String
    var reply: String
    var createdAt: Date
    var patientName: String?
    var appointmentStartsAt: Date?

    init(_ r: ChangeRequest) {
        id = r.id.lower
        appointmentId = r.appointmentId.lower
        kind = r.kind.rawValue
        reason = r.reason
        status = r.status.rawValue
        reply = r.reply
        createdAt = r.createdAt
        patientName = r.patientName.isEmpty ? nil : r.patientName
        appointmentStartsAt = r.appointmentStartsAt
    }
}
