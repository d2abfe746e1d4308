import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/schedule/…` and `/api/v1/outbox/dispatch`: the clinic's rooms, bookable devices,
/// working hours, absences, closing days and settings (admins change them), and the outbox pass.
struct ScheduleSetupAPIController {
    let schedule: ScheduleRepository
    let dispatcher: OutboxDispatcher
    let limit: Int

    init(_ services: AppServices) {
        schedule = services.schedule
        dispatcher = services.dispatcher
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/schedule/resources", .clinicalStaff, "Rooms, devices and schedule settings", c.resources)
        routes.api(.post, "/api/v1/schedule/rooms", .adminOnly, "Add a room", c.addRoom)
        routes.api(.post, "/api/v1/schedule/devices", .adminOnly, "Add a device", c.addDevice)
        routes.api(.put, "/api/v1/schedule/practitioners/:id/hours", .adminOnly, "Replace a practitioner's weekly working hours", c.setHours)
        routes.api(.post, "/api/v1/schedule/practitioners/:id/absences", .adminOnly, "Record a practitioner's absence", c.addAbsence)
        routes.api(.post, "/api/v1/schedule/closing-days", .adminOnly, "Record a clinic closing day", c.addClosingDay)
    }

    static func addDispatch(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.post, "/api/v1/outbox/dispatch", .adminOnly, "Send the messages that are due now", c.dispatch)
    }

    @Sendable func resources(_ request: Request, _ context: AppContext) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let settings = try await schedule.settings(clinicId: clinicId)
        struct Out: Encodable {
            var rooms: [Room]
            var devices: [BookableDevice]
            var settings: [String: String]
        }
        return try JSON.response(Out(rooms: try await schedule.rooms(clinicId: clinicId), devices: try await schedule.devices(clinicId: clinicId),
                                     settings: ScheduleView.settingsDictionary(settings)))
    }

    @Sendable func addRoom(_ request: Request, _ context: AppContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["name"], errors: &errors)
        let name = (body.string("name", errors: &errors) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 80 { errors.append(FieldError("name", "is required, at most 80 characters")) }
        if !errors.isEmpty { throw AppError.validation(errors) }
        let room = try await schedule.addRoom(name: name, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(room, status: .created)
    }

    @Sendable func addDevice(_ request: Request, _ context: AppContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["name", "modality"], errors: &errors)
        let name = (body.string("name", errors: &errors) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 80 { errors.append(FieldError("name", "is required, at most 80 characters")) }
        let modality = Modality(rawValue: body.string("modality", errors: &errors) ?? "")
        if modality == nil { errors.append(FieldError("modality", "must be microneedling or rf-microneedling")) }
        guard errors.isEmpty, let modality else { throw AppError.validation(errors) }
        let device = try await schedule.addDevice(name: name, modality: modality, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(device, status: .created)
    }

    @Sendable func setHours(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["hours"], errors: &errors)
        let weekly = Self.weeklyHours(body.object["hours"], errors: &errors)
        if !errors.isEmpty { throw AppError.validation(errors) }
        try await schedule.setHours(weekly, staffId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return Response(status: .noContent)
    }

    /// `[{weekday, start, end}]`, weekday 1–7 (Monday first), times written HH:MM with start < end.
    static func weeklyHours(_ value: (any Sendable)?, errors: inout [FieldError]) -> [Int: [MinuteRange]] {
        guard let list = value as? [any Sendable] else {
            errors.append(FieldError("hours", "must be a list of {weekday, start, end}"))
            return [:]
        }
        var weekly: [Int: [MinuteRange]] = [:]
        for (i, item) in list.enumerated() {
            guard let o = item as? [String: any Sendable], let day = JSONBody.number(o["weekday"])?.intValue, (1...7).contains(day),
                  let s = (o["start"] as? String).flatMap(MinuteRange.minutes), let e = (o["end"] as? String).flatMap(MinuteRange.minutes), s < e
            else { errors.append(FieldError("hours[\(i)]", "needs weekday 1–7 and start < end written HH:MM")); continue }
            weekly[day, default: []].append(MinuteRange(start: s, end: e))
        }
        return weekly
    }

    @Sendable func addAbsence(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["from", "to", "reason"], errors: &errors)
        let from = CalendarDate(body.string("from", errors: &errors) ?? "")
        let to = CalendarDate(body.string("to", errors: &errors) ?? "")
        if from == nil { errors.append(FieldError("from", "must be a date written YYYY-MM-DD")) }
        if to == nil { errors.append(FieldError("to", "must be a date written YYYY-MM-DD")) }
        if let from, let to, to < from { errors.append(FieldError("to", "must not be before from")) }
        let reason = body.string("reason", errors: &errors)
        guard errors.isEmpty, let from, let to else { throw AppError.validation(errors) }
        try await schedule.addAbsence(staffId: id, from: from, to: to, reason: reason, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return Response(status: .noContent)
    }

    @Sendable func addClosingDay(_ request: Request, _ context: AppContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["day", "reason"], errors: &errors)
        let day = CalendarDate(body.string("day", errors: &errors) ?? "")
        if day == nil { errors.append(FieldError("day", "must be a date written YYYY-MM-DD")) }
        let reason = body.string("reason", errors: &errors)
        guard errors.isEmpty, let day else { throw AppError.validation(errors) }
        try await schedule.addClosingDay(day, reason: reason, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return Response(status: .noContent)
    }

    @Sendable func dispatch(_ request: Request, _ context: AppContext) async throws -> Response {
        let result = try await dispatcher.runOnce()
        return try JSON.response(["sent": result.sent, "failed": result.failed])
    }
}
