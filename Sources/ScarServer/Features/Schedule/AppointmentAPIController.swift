import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/patients/:id/appointment-series…`, `/api/v1/appointments…` and the calendars:
/// proposing and booking a series, reading, moving and changing appointments (`If-Match`), the
/// patient's calendar-feed link and the practitioner's iCalendar feed.
struct AppointmentAPIController {
    let schedule: ScheduleRepository
    let staff: StaffRepository
    let database: ScarDatabase
    let limit: Int

    init(_ services: AppServices) {
        schedule = services.schedule
        staff = services.staff
        database = services.database
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.post, "/api/v1/patients/:id/appointment-series/preview", .clinicalStaff, "Propose the dates of a series (nothing is booked)", c.preview)
        routes.api(.post, "/api/v1/patients/:id/appointment-series", .clinicalStaff, "Book a series in one transaction", c.book)
        routes.api(.get, "/api/v1/patients/:id/appointments", .clinicalStaff, "A patient's appointments", c.patientAppointments)
        // The patient's calendar-feed link, as the patient page's form issues and revokes it:
        // same roles, same audited repository calls (`ical.token.create` / `ical.token.revoke`).
        routes.api(.post, "/api/v1/patients/:id/calendar-feed", .clinicalStaff, "Issue a calendar-feed link for the patient (the URL is shown once)",
                   c.issueFeed)
        routes.api(.delete, "/api/v1/patients/:id/calendar-feed", .clinicalStaff, "Revoke every calendar-feed link of the patient", c.revokeFeeds)
        routes.api(.get, "/api/v1/appointments", .clinicalStaff, "Appointments between two instants", c.between)
        routes.api(.post, "/api/v1/appointments/:id/reschedule", .clinicalStaff, "Move an appointment (later sessions follow; If-Match required)",
                   c.reschedule)
        routes.api(.post, "/api/v1/appointments/:id/cancel", .clinicalStaff, "Cancel an appointment (If-Match required)", c.cancel)
        routes.api(.post, "/api/v1/appointments/:id/no-show", .clinicalStaff, "Mark an appointment as a no-show (If-Match required)", c.noShow)
        routes.api(.post, "/api/v1/appointments/:id/check-in", .clinicalStaff,
                   "Check a patient in (refused while screening defers or contraindicates) (If-Match required)", c.checkIn)
    }

    static func addCalendar(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/schedule/practitioners/:id/calendar.ics", .clinicalStaff, "A practitioner's appointments as iCalendar", c.calendar)
    }

    @Sendable func preview(_ request: Request, _ context: AppContext) async throws -> Response {
        let (order, patientId) = try await readSeries(request, context: context)
        let proposal = try await ProposeSeries(database)(order, patientId: patientId, by: context.clinician)
        return try JSON.response(ProposalJSON(proposal.outcome))
    }

    @Sendable func book(_ request: Request, _ context: AppContext) async throws -> Response {
        let (order, patientId) = try await readSeries(request, context: context)
        let booked = try await BookSeries(database)(order, patientId: patientId, dates: .place, by: context.clinician, actor: context.auditActor, now: context.now)
        return try JSON.response(["appointments": booked.map(AppointmentJSON.init)], status: .created)
    }

    /// The body read into an order.
    func readSeries(_ request: Request, context: AppContext) async throws -> (SeriesOrder, UUID) {
        let patientId = try context.apiUUID()
        let settings = try await schedule.settings(clinicId: context.signedInUser.clinicId)
        let zone = ScheduleView.zone(context)
        let order = try await JSONRequest.decode(SeriesBody.self, from: request, limit: limit) { body in
            switch SeriesInput.parse({ body[$0] }, settings: settings, timeZone: zone) {
            case .failure(let e): throw AppError.validation(e.errors)
            case .success(let order): return order
            }
        }
        return (order, patientId)
    }

    @Sendable func patientAppointments(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let page = try await schedule.patientAppointments(patientId: id, clinicId: context.signedInUser.clinicId,
                                                          after: try paging.cursor(of: .appointments), limit: paging.limit, by: context.auditActor)
        return try JSON.response(["appointments": page.items.map(AppointmentJSON.init)],
                                 headers: paging.headers(path: "/api/v1/patients/\(id.lower)/appointments", next: page.next?.text))
    }

    @Sendable func issueFeed(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let token = try await schedule.createFeedToken(patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let path = "/ical/patient/\(token).ics"
        let host = request.head.authority ?? "localhost"
        struct Out: Encodable { var url: String; var path: String }
        return try JSON.response(Out(url: "http://\(host)\(path)", path: path), status: .created)
    }

    @Sendable func revokeFeeds(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        _ = try await schedule.revokeFeedTokens(patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return Response(status: .noContent)
    }

    @Sendable func between(_ request: Request, _ context: AppContext) async throws -> Response {
        let q = request.uri.queryParameters
        var errors: [FieldError] = []
        let from = q.get("from").flatMap(QueryValues.instant)
        let to = q.get("to").flatMap(QueryValues.instant)
        if from == nil { errors.append(FieldError("from", "must be an ISO 8601 instant")) }
        if to == nil { errors.append(FieldError("to", "must be an ISO 8601 instant")) }
        // An id that is sent must be one (it was silently ignored, widening the list).
        for key in ["practitionerId", "roomId"] where q.get(key) != nil && UUID(uuidString: q.get(key)!) == nil {
            errors.append(FieldError(key, "must be an id (UUID)"))
        }
        guard errors.isEmpty, let from, let to else { throw AppError.validation(errors) }
        let list = try await schedule.appointments(clinicId: context.signedInUser.clinicId, from: from, to: to,
                                                   practitionerId: q.get("practitionerId").flatMap(UUID.init(uuidString:)),
                                                   roomId: q.get("roomId").flatMap(UUID.init(uuidString:)), by: context.auditActor)
        return try JSON.response(["appointments": list.map(AppointmentJSON.init)])
    }

    @Sendable func reschedule(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
        struct Move: Decodable { var start: String? }
        let body = try await JSONRequest.decode(Move.self, from: request, limit: limit)
        guard let start = body.start.flatMap({ SeriesInput.parseInstant($0, timeZone: ScheduleView.zone(context)) }) else {
            throw AppError.validation([FieldError("start", "must be a date and time like 2026-11-23T10:00 or with an offset")])
        }
        let moved = try await RescheduleAppointment(database)(appointmentId: id, to: start, expectedVersion: expected, by: context.clinician,
                                                              actor: context.auditActor, now: context.now)
        var headers = HTTPFields()
        if let first = moved.first { headers[.eTag] = ETag.make(first.version) }
        return try JSON.response(["moved": moved.map(AppointmentJSON.init)], headers: headers)
    }

    @Sendable func cancel(_ request: Request, _ context: AppContext) async throws -> Response {
        try await change(request, context, to: .cancelled)
    }

    @Sendable func noShow(_ request: Request, _ context: AppContext) async throws -> Response {
        try await change(request, context, to: .noShow)
    }

    @Sendable func checkIn(_ request: Request, _ context: AppContext) async throws -> Response {
        try await change(request, context, to: .checkedIn)
    }

    /// Check in, cancel or mark a no-show through the use case (the status machine and the
    /// check-in gate decide inside its transaction).
    func change(_ request: Request, _ context: AppContext, to status: AppointmentStatus) async throws -> Response {
        let id = try context.apiUUID()
        guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
        let a = try await ChangeAppointmentStatus(database)(appointmentId: id, to: status, expectedVersion: expected, by: context.clinician,
                                                            actor: context.auditActor, now: context.now)
        var headers = HTTPFields()
        headers[.eTag] = ETag.make(a.version)
        return try JSON.response(AppointmentJSON(a), headers: headers)
    }

    @Sendable func calendar(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let user = context.signedInUser
        // Only a member of staff of the caller's clinic has a calendar here.
        guard let practitioner = try await staff.user(id: id), practitioner.clinicId == user.clinicId else { throw AppError.notFound }
        let now = context.now
        let list = try await schedule.appointments(clinicId: user.clinicId, from: now.addingTimeInterval(-90 * 86400),
                                                   to: now.addingTimeInterval(800 * 86400), practitionerId: id, by: context.auditActor)
        let events = list.map { a in
            ICalEvent(uid: "\(a.id.lower)@scartrack", start: a.startsAt, end: a.endsAt, summary: "\(a.kind.label(a.number)): \(a.patientName)",
                      location: a.roomName, sequence: a.icalSequence, status: a.status == .cancelled ? .cancelled : .confirmed,
                      lastModified: a.updatedAt)
        }
        return ICalController.response(ICalendar.serialize(name: "ScarTrack — \(context.signedIn!.clinicName)", events: events, stamp: now))
    }
}
