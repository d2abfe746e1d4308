import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

struct AppointmentJSON: Encodable {
    var id: String
    var patientId: String
    var seriesId: String
    var kind: String
    var number: Int
    var modality: String
    var practitionerId: String
    var practitionerName: String
    var roomId: String
    var roomName: String
    var deviceId: String?
    var deviceName: String?
    var start: Date
    var end: Date
    var status: String
    var planId: String?
    var planVersionId: String?
    var sequence: Int
    var version: Int
    var completedOn: String?
    var sessionId: String?

    init(_ a: Appointment) {
        id = a.id.lower
        patientId = a.patientId.lower
        seriesId = a.seriesId.lower
        kind = a.kind.rawValue
        number = a.number
        modality = a.modality.rawValue
        practitionerId = a.practitionerId.lower
        practitionerName = a.practitionerName
        roomId = a.roomId.lower
        roomName = a.roomName
        deviceId = a.deviceId?.lower
        deviceName = a.deviceName
        start = a.startsAt
        end = a.endsAt
        status = a.status.rawValue
        planId = a.planId?.lower
        planVersionId = a.planVersionId?.lower
        sequence = a.icalSequence
        version = a.version
        completedOn = a.completedOn?.description
        sessionId = a.sessionId?.lower
    }
}

struct ProposalJSON: Encodable {
    struct Item: Encodable {
        var kind: String
        var number: Int
        var start: Date
        var end: Date
        var targetDay: String
        var shiftDays: Int
        init(_ p: ProposedAppointment) {
            kind = p.kind.rawValue
            number = p.number
            start = p.start
            end = p.end
            targetDay = p.targetDay.description
            shiftDays = p.shiftDays
        }
    }
    struct Unplaced: Encodable {
        var kind: String
        var number: Int
        var reason: String
    }
    var placed: Bool
    var appointments: [Item]
    var unplaced: Unplaced?

    init(_ outcome: PlacementOutcome) {
        switch outcome {
        case .placed(let items):
            placed = true
            appointments = items.map(Item.init)
        case .unplaceable(let kind, let number, let reason, let items):
            placed = false
            appointments = items.map(Item.init)
            unplaced = Unplaced(kind: kind.rawValue, number: number, reason: reason)
        }
    }
}

/// `/api/v1/…` for the schedule: resources (admin), series preview and booking, appointment
/// changes (`If-Match`), the outbox pass and the practitioner's iCalendar feed.
enum ScheduleAPIRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let schedule = services.schedule
        let limit = services.configuration.maxJSONBodyBytes

        routes.api(.get, "/api/v1/schedule/resources", .clinicalStaff, "Rooms, devices and schedule settings") { _, context in
            let clinicId = context.user!.clinicId
            let settings = try await schedule.settings(clinicId: clinicId)
            struct Out: Encodable {
                var rooms: [Room]
                var devices: [BookableDevice]
                var settings: [String: String]
            }
            return try JSON.response(Out(rooms: try await schedule.rooms(clinicId: clinicId), devices: try await schedule.devices(clinicId: clinicId),
                                         settings: ScheduleView.settingsDictionary(settings)))
        }

        routes.api(.post, "/api/v1/schedule/rooms", .adminOnly, "Add a room") { request, context in
            let body = try await JSONBody.read(request, limit: limit)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["name"], errors: &errors)
            let name = (body.string("name", errors: &errors) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty || name.count > 80 { errors.append(FieldError("name", "is required, at most 80 characters")) }
            if !errors.isEmpty { throw AppError.validation(errors) }
            let room = try await schedule.addRoom(name: name, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(room, status: .created)
        }

        routes.api(.post, "/api/v1/schedule/devices", .adminOnly, "Add a device") { request, context in
            let body = try await JSONBody.read(request, limit: limit)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["name", "modality"], errors: &errors)
            let name = (body.string("name", errors: &errors) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty || name.count > 80 { errors.append(FieldError("name", "is required, at most 80 characters")) }
            let modality = Modality(rawValue: body.string("modality", errors: &errors) ?? "")
            if modality == nil { errors.append(FieldError("modality", "must be microneedling or rf-microneedling")) }
            guard errors.isEmpty, let modality else { throw AppError.validation(errors) }
            let device = try await schedule.addDevice(name: name, modality: modality, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(device, status: .created)
        }

        routes.api(.put, "/api/v1/schedule/practitioners/:id/hours", .adminOnly, "Replace a practitioner's weekly working hours") { request, context in
            let id = try PathParameters.uuid(context)
            let body = try await JSONBody.read(request, limit: limit)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["hours"], errors: &errors)
            var weekly: [Int: [MinuteRange]] = [:]
            if let list = body.object["hours"] as? [any Sendable] {
                for (i, item) in list.enumerated() {
                    guard let o = item as? [String: any Sendable], let day = JSONBody.number(o["weekday"])?.intValue, (1...7).contains(day),
                          let s = (o["start"] as? String).flatMap(MinuteRange.minutes), let e = (o["end"] as? String).flatMap(MinuteRange.minutes), s < e
                    else { errors.append(FieldError("hours[\(i)]", "needs weekday 1–7 and start < end written HH:MM")); continue }
                    weekly[day, default: []].append(MinuteRange(start: s, end: e))
                }
            } else {
                errors.append(FieldError("hours", "must be a list of {weekday, start, end}"))
            }
            if !errors.isEmpty { throw AppError.validation(errors) }
            try await schedule.setHours(weekly, staffId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return Response(status: .noContent)
        }

        routes.api(.post, "/api/v1/schedule/practitioners/:id/absences", .adminOnly, "Record a practitioner's absence") { request, context in
            let id = try PathParameters.uuid(context)
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
            try await schedule.addAbsence(staffId: id, from: from, to: to, reason: reason, clinicId: context.user!.clinicId, by: context.auditActor)
            return Response(status: .noContent)
        }

        routes.api(.post, "/api/v1/schedule/closing-days", .adminOnly, "Record a clinic closing day") { request, context in
            let body = try await JSONBody.read(request, limit: limit)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["day", "reason"], errors: &errors)
            let day = CalendarDate(body.string("day", errors: &errors) ?? "")
            if day == nil { errors.append(FieldError("day", "must be a date written YYYY-MM-DD")) }
            let reason = body.string("reason", errors: &errors)
            guard errors.isEmpty, let day else { throw AppError.validation(errors) }
            try await schedule.addClosingDay(day, reason: reason, clinicId: context.user!.clinicId, by: context.auditActor)
            return Response(status: .noContent)
        }

        routes.api(.post, "/api/v1/patients/:id/appointment-series/preview", .clinicalStaff, "Propose the dates of a series (nothing is booked)") { request, context in
            let (input, _) = try await readSeries(request, context: context, services: services, limit: limit)
            let settings = try await schedule.settings(clinicId: context.user!.clinicId)
            let outcome = try await SeriesBooker.propose(input, clinicId: context.user!.clinicId, settings: settings, schedule: schedule)
            return try JSON.response(ProposalJSON(outcome))
        }

        routes.api(.post, "/api/v1/patients/:id/appointment-series", .clinicalStaff, "Book a series in one transaction") { request, context in
            let (input, patientId) = try await readSeries(request, context: context, services: services, limit: limit)
            let clinicId = context.user!.clinicId
            let settings = try await schedule.settings(clinicId: clinicId)
            // A taken first slot is reported as the double booking it is, naming the resource.
            if let clash = try await schedule.conflict(clinicId: clinicId, practitionerId: input.practitionerId, roomId: input.roomId,
                                                       deviceId: input.deviceId, start: input.firstStart,
                                                       end: input.firstStart.addingTimeInterval(TimeInterval(input.durationMinutes * 60))) {
                throw SeriesBooker.appError(clash)!
            }
            let outcome = try await SeriesBooker.propose(input, clinicId: clinicId, settings: settings, schedule: schedule)
            guard case .placed(let items) = outcome else {
                if case .unplaceable(_, _, let reason, _) = outcome {
                    throw AppError(.conflict, "The series cannot be placed", detail: reason, fields: [FieldError("start", reason)])
                }
                throw AppError.notFound
            }
            do {
                let booked = try await schedule.bookSeries(SeriesBooker.booking(input, patientId: patientId, items: items), clinicId: clinicId,
                                                           by: context.auditActor)
                return try JSON.response(["appointments": booked.map(AppointmentJSON.init)], status: .created)
            } catch {
                throw SeriesBooker.appError(error) ?? error
            }
        }

        routes.api(.get, "/api/v1/patients/:id/appointments", .clinicalStaff, "A patient's appointments") { _, context in
            let id = try PathParameters.uuid(context)
            let list = try await schedule.patientAppointments(patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(["appointments": list.map(AppointmentJSON.init)])
        }

        // The patient's calendar-feed link, as the patient page's form issues and revokes it:
        // same roles, same audited repository calls (`ical.token.create` / `ical.token.revoke`).
        routes.api(.post, "/api/v1/patients/:id/calendar-feed", .clinicalStaff,
                   "Issue a calendar-feed link for the patient (the URL is shown once)") { request, context in
            let id = try PathParameters.uuid(context)
            let token = try await schedule.createFeedToken(patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            let path = "/ical/patient/\(token).ics"
            let host = request.head.authority ?? "localhost"
            struct Out: Encodable { var url: String; var path: String }
            return try JSON.response(Out(url: "http://\(host)\(path)", path: path), status: .created)
        }

        routes.api(.delete, "/api/v1/patients/:id/calendar-feed", .clinicalStaff, "Revoke every calendar-feed link of the patient") { _, context in
            let id = try PathParameters.uuid(context)
            _ = try await schedule.revokeFeedTokens(patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return Response(status: .noContent)
        }

        routes.api(.get, "/api/v1/appointments", .clinicalStaff, "Appointments between two instants") { request, context in
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
            let list = try await schedule.appointments(clinicId: context.user!.clinicId, from: from, to: to,
                                                       practitionerId: q.get("practitionerId").flatMap(UUID.init(uuidString:)),
                                                       roomId: q.get("roomId").flatMap(UUID.init(uuidString:)), by: context.auditActor)
            return try JSON.response(["appointments": list.map(AppointmentJSON.init)])
        }

        routes.api(.post, "/api/v1/appointments/:id/reschedule", .clinicalStaff, "Move an appointment (later sessions follow; If-Match required)") { request, context in
            let id = try PathParameters.uuid(context)
            guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
            let body = try await JSONBody.read(request, limit: limit)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["start"], errors: &errors)
            let zone = TimeZone(identifier: context.session!.clinicTimeZone) ?? TimeZone(identifier: "UTC")!
            let start = body.string("start", errors: &errors).flatMap { SeriesInput.parseInstant($0, timeZone: zone) }
            if start == nil { errors.append(FieldError("start", "must be a date and time like 2026-11-23T10:00 or with an offset")) }
            guard errors.isEmpty, let start else { throw AppError.validation(errors) }
            do {
                let moved = try await schedule.reschedule(id: id, clinicId: context.user!.clinicId, to: start, expectedVersion: expected,
                                                          by: context.auditActor)
                var headers = HTTPFields()
                if let first = moved.first { headers[.eTag] = ETag.make(first.version) }
                return try JSON.response(["moved": moved.map(AppointmentJSON.init)], headers: headers)
            } catch {
                throw SeriesBooker.appError(error) ?? error
            }
        }

        for (verb, status, summary) in [("cancel", AppointmentStatus.cancelled, "Cancel an appointment"),
                                        ("no-show", .noShow, "Mark an appointment as a no-show"),
                                        ("check-in", .checkedIn, "Check a patient in (refused while screening defers or contraindicates)")] {
            routes.api(.post, "/api/v1/appointments/:id/\(verb)", .clinicalStaff, summary + " (If-Match required)") { request, context in
                let id = try PathParameters.uuid(context)
                guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
                let a = try await changeStatus(id: id, to: status, expectedVersion: expected, context: context, services: services)
                var headers = HTTPFields()
                headers[.eTag] = ETag.make(a.version)
                return try JSON.response(AppointmentJSON(a), headers: headers)
            }
        }

        routes.api(.post, "/api/v1/outbox/dispatch", .adminOnly, "Send the messages that are due now") { _, _ in
            let result = try await services.dispatcher.runOnce()
            return try JSON.response(["sent": result.sent, "failed": result.failed])
        }

        routes.api(.get, "/api/v1/schedule/practitioners/:id/calendar.ics", .clinicalStaff, "A practitioner's appointments as iCalendar") { _, context in
            let id = try PathParameters.uuid(context)
            let user = context.user!
            // Only a member of staff of the caller's clinic has a calendar here.
            guard let practitioner = try await services.staff.user(id: id), practitioner.clinicId == user.clinicId else { throw AppError.notFound }
            let now = Date()
            let list = try await schedule.appointments(clinicId: user.clinicId, from: now.addingTimeInterval(-90 * 86400),
                                                       to: now.addingTimeInterval(800 * 86400), practitionerId: id, by: context.auditActor)
            let events = list.map { a in
                ICalEvent(uid: "\(a.id.lower)@scartrack", start: a.startsAt, end: a.endsAt,
                          summary: "\(a.kind == .session ? "Session \(a.number)" : "\(a.number)-month follow-up"): \(a.patientName)",
                          location: a.roomName, sequence: a.icalSequence, status: a.status == .cancelled ? .cancelled : .confirmed,
                          lastModified: a.updatedAt)
            }
            return ICalRoutes.response(ICalendar.serialize(name: "ScarTrack — \(context.session!.clinicName)", events: events, stamp: now))
        }
    }

    /// Check in, cancel or mark a no-show through the use case (the status machine and the
    /// check-in gate decide inside its transaction).
    static func changeStatus(id: UUID, to status: AppointmentStatus, expectedVersion: Int, context: AppContext,
                             services: AppServices) async throws -> Appointment {
        try await AppError.fromRefusal {
            try await ChangeAppointmentStatus(services.database)(appointmentId: id, to: status, expectedVersion: expectedVersion,
                                                                  by: context.clinician, actor: context.auditActor)
        }
    }

    static func readSeries(_ request: Request, context: AppContext, services: AppServices, limit: Int) async throws -> (SeriesInput, UUID) {
        let patientId = try PathParameters.uuid(context)
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["modality", "count", "intervalDays", "minimumIntervalDays", "windowDays", "durationMinutes", "start",
                                     "practitionerId", "roomId", "deviceId", "followUpMonths", "planId", "planVersionId"], errors: &errors)
        let clinicId = context.user!.clinicId
        let settings = try await services.schedule.settings(clinicId: clinicId)
        let zone = TimeZone(identifier: context.session!.clinicTimeZone) ?? TimeZone(identifier: "UTC")!
        let parsed = SeriesInput.parse({ key in
            switch body.object[key] {
            case let s as String: return s
            case let n as NSNumber: return JSONBody.number(n)?.stringValue ?? "\u{0}"
            case let list as [any Sendable]: return list.map { JSONBody.number($0)?.stringValue ?? "x" }.joined(separator: ",")
            case nil, is NSNull: return nil
            default: return "\u{0}"
            }
        }, settings: settings, timeZone: zone)
        switch parsed {
        case .failure(let e): throw AppError.validation(errors + e.errors)
        case .success(var input):
            let planErrors = try await SeriesBooker.applyPlan(&input, patientId: patientId, clinicId: clinicId, services: services, actor: context.auditActor)
            if !planErrors.isEmpty { throw AppError.validation(errors + planErrors) }
            let deviceErrors = try await SeriesBooker.checkDevice(input, clinicId: clinicId, schedule: services.schedule)
            if !errors.isEmpty || !deviceErrors.isEmpty { throw AppError.validation(errors + deviceErrors) }
            return (input, patientId)
        }
    }
}
