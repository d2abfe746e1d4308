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
        let name = try await JSONRequest.decode(RoomInput.self, from: request, limit: limit) { try $0.validName() }
        let room = try await schedule.addRoom(name: name, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(room, status: .created)
    }

    @Sendable func addDevice(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(DeviceInput.self, from: request, limit: limit) { try $0.valid() }
        let device = try await schedule.addDevice(name: input.name, modality: input.modality, clinicId: context.signedInUser.clinicId,
                                                  by: context.auditActor)
        return try JSON.response(device, status: .created)
    }

    @Sendable func setHours(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let weekly = try await JSONRequest.decode(HoursInput.self, from: request, limit: limit) { try $0.weekly() }
        try await schedule.setHours(weekly, staffId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return Response(status: .noContent)
    }

    @Sendable func addAbsence(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let (from, to, reason) = try await JSONRequest.decode(AbsenceInput.self, from: request, limit: limit) { try $0.valid() }
        try await schedule.addAbsence(staffId: id, from: from, to: to, reason: reason, clinicId: context.signedInUser.clinicId,
                                      by: context.auditActor)
        return Response(status: .noContent)
    }

    @Sendable func addClosingDay(_ request: Request, _ context: AppContext) async throws -> Response {
        let (day, reason) = try await JSONRequest.decode(ClosingDayInput.self, from: request, limit: limit) { try ($0.validDay(), $0.reason) }
        try await schedule.addClosingDay(day, reason: reason, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return Response(status: .noContent)
    }

    @Sendable func dispatch(_ request: Request, _ context: AppContext) async throws -> Response {
        let result = try await dispatcher.runOnce()
        return try JSON.response(["sent": result.sent, "failed": result.failed])
    }
}
