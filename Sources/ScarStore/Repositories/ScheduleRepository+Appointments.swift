import Crypto
import Foundation
import ScarCore
import SQLKit

/// Booking a series and reading appointments (audited: they are patient data).
extension ScheduleRepository {
    /// Books every item of the series inside the booking use case's transaction (`BookSeries`),
    /// or nothing: each is checked against working hours, absences and closing days, and for
    /// overlap with every appointment holding the practitioner, room or device (`ScheduleConflict`
    /// names the first clash). The caller holds the calendar lock and audits. Returns the rows as
    /// stored and as every later read returns them (names joined in, times as the database keeps them).
    static func insertSeries(_ booking: SeriesBooking, clinicId: UUID, createdBy: UUID?, on sql: any SQLDatabase,
                             now: Date) async throws -> [Appointment] {
        try await PatientScope.require(booking.patientId, clinicId: clinicId, on: sql)
        try await Self.requireStaff(booking.practitionerId, clinicId: clinicId, on: sql)
        guard let room = try await sql.raw("SELECT active FROM rooms WHERE id = \(bind: booking.roomId) AND clinic_id = \(bind: clinicId)").first() else {
            throw ScheduleRefusal(field: "roomId", message: "is not a room of this clinic")
        }
        guard try room.decode(column: "active", as: Bool.self) else { throw ScheduleRefusal(field: "roomId", message: "is not in use any more") }
        if let d = booking.deviceId {
            guard let device = try await sql.raw("SELECT active FROM bookable_devices WHERE id = \(bind: d) AND clinic_id = \(bind: clinicId)").first() else {
                throw ScheduleRefusal(field: "deviceId", message: "is not a device of this clinic")
            }
            guard try device.decode(column: "active", as: Bool.self) else { throw ScheduleRefusal(field: "deviceId", message: "is not in use any more") }
        }
        guard let first = booking.items.map(\.start).min(), let last = booking.items.map(\.end).max() else {
            throw ScheduleRefusal(field: "count", message: "must book at least one appointment")
        }
        let availability = try await Self.availability(clinicId: clinicId, practitionerId: booking.practitionerId, roomId: booking.roomId,
                                                       deviceId: booking.deviceId, from: first, to: last, excluding: [], on: sql)
        let seriesId = UUID()
        var booked: [Appointment] = []
        for item in booking.items {
            let device = item.kind == .session ? booking.deviceId : nil
            if let c = try await Self.conflict(clinicId: clinicId, practitionerId: booking.practitionerId, roomId: booking.roomId,
                                               deviceId: device, start: item.start, end: item.end, excluding: [], on: sql) {
                throw c
            }
            var calendarOnly = availability
            calendarOnly.busy = []
            if let problem = calendarOnly.problem(start: item.start, end: item.end) {
                throw ScheduleRefusal(field: "start", message: "\(item.kind.subject(item.number)) cannot be booked: \(problem.message).")
            }
            let a = Appointment(id: UUID(), clinicId: clinicId, patientId: booking.patientId, seriesId: seriesId, kind: item.kind,
                                number: item.number, modality: booking.modality, practitionerId: booking.practitionerId,
                                roomId: booking.roomId, deviceId: device, startsAt: item.start, endsAt: item.end, status: .booked,
                                minimumIntervalDays: booking.minimumIntervalDays, planId: booking.planId,
                                planVersionId: booking.planVersionId, icalSequence: 0, createdAt: now, updatedAt: now, version: 1)
            try await sql.raw("""
                INSERT INTO appointments (id, clinic_id, patient_id, series_id, kind, number, modality, practitioner_id, room_id, device_id,
                    starts_at, ends_at, status, minimum_interval_days, plan_id, plan_version_id, ical_sequence, created_by, created_at,
                    updated_at, version)
                VALUES (\(bind: a.id), \(bind: clinicId), \(bind: a.patientId), \(bind: seriesId), \(bind: a.kind.rawValue), \(bind: a.number),
                    \(bind: a.modality.rawValue), \(bind: a.practitionerId), \(bind: a.roomId), \(bind: a.deviceId), \(bind: a.startsAt),
                    \(bind: a.endsAt), 'booked', \(bind: a.minimumIntervalDays), \(bind: a.planId), \(bind: a.planVersionId), 0,
                    \(bind: createdBy ?? UUID()), \(bind: now), \(bind: now), 1)
                """).run()
            booked.append(a)
        }
        try await Outbox.plan(booked, change: .confirmation, clinicId: clinicId, on: sql, now: now)
        return try await sql.raw("""
            \(unsafeRaw: Self.selectAppointments)
            WHERE a.clinic_id = \(bind: clinicId) AND a.series_id = \(bind: seriesId) ORDER BY a.starts_at, a.id
            """).all().map(Self.decode)
    }

    // MARK: - Reading appointments

    static let selectAppointments = """
        SELECT a.id, a.clinic_id, a.patient_id, a.series_id, a.kind, a.number, a.modality, a.practitioner_id, a.room_id, a.device_id,
               a.starts_at, a.ends_at, a.status, a.minimum_interval_days, a.plan_id, a.plan_version_id, a.ical_sequence, a.created_at,
               a.updated_at, a.version, a.completed_at, a.completed_on, a.session_id, p.given_name, p.family_name, u.display_name, r.name AS room_name, d.name AS device_name
        FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN staff_users u ON u.id = a.practitioner_id
        JOIN rooms r ON r.id = a.room_id LEFT JOIN bookable_devices d ON d.id = a.device_id
        """

    static func decode(_ row: any SQLRow) throws -> Appointment {
        var a = Appointment(
            id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
            patientId: try row.decode(column: "patient_id", as: UUID.self), seriesId: try row.decode(column: "series_id", as: UUID.self),
            kind: ProposedAppointment.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .session,
            number: try row.decode(column: "number", as: Int.self),
            modality: Modality(rawValue: try row.decode(column: "modality", as: String.self)) ?? .microneedling,
            practitionerId: try row.decode(column: "practitioner_id", as: UUID.self), roomId: try row.decode(column: "room_id", as: UUID.self),
            deviceId: try row.decode(column: "device_id", as: UUID?.self), startsAt: try row.decode(column: "starts_at", as: Date.self),
            endsAt: try row.decode(column: "ends_at", as: Date.self),
            status: AppointmentStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .booked,
            minimumIntervalDays: try row.decode(column: "minimum_interval_days", as: Int.self),
            planId: try row.decode(column: "plan_id", as: UUID?.self), planVersionId: try row.decode(column: "plan_version_id", as: UUID?.self),
            icalSequence: try row.decode(column: "ical_sequence", as: Int.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self), version: try row.decode(column: "version", as: Int.self))
        a.patientName = "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))"
        a.practitionerName = try row.decode(column: "display_name", as: String.self)
        a.roomName = try row.decode(column: "room_name", as: String.self)
        a.deviceName = try row.decode(column: "device_name", as: String?.self)
        a.completedAt = try row.decode(column: "completed_at", as: Date?.self)
        a.completedOn = try row.decode(column: "completed_on", as: String?.self).flatMap(CalendarDate.init)
        a.sessionId = try row.decode(column: "session_id", as: UUID?.self)
        if a.completedAt != nil { a.status = .completed }
        return a
    }

    /// Appointments of the clinic between `from` and `to` (optionally one practitioner or room),
    /// audited as a read because they show patient names.
    public func appointments(clinicId: UUID, from: Date, to: Date, practitionerId: UUID? = nil, roomId: UUID? = nil,
                             by actor: AuditActor) async throws -> [Appointment] {
        let engine = db.engine
        return try await db.write { sql in
            var filter: SQLQueryString = ""
            if let practitionerId { filter = "AND a.practitioner_id = \(bind: practitionerId)" }
            if let roomId { filter = "\(filter) AND a.room_id = \(bind: roomId)" }
            let list = try await sql.raw("""
                \(unsafeRaw: Self.selectAppointments)
                WHERE a.clinic_id = \(bind: clinicId) AND a.starts_at < \(bind: to) AND a.ends_at > \(bind: from) \(filter)
                ORDER BY a.starts_at, a.id
                """).all().map(Self.decode)
            try await AuditTrail.append(AuditEvent(action: "appointment.list", recordType: "appointment",
                                                   details: ["results": String(list.count)]), by: actor, engine: engine, on: sql)
            return list
        }
    }

    public func patientAppointments(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> [Appointment] {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let list = try await Self.patientRows(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "appointment.list", recordType: "appointment", patientId: patientId,
                                                   details: ["results": String(list.count)]), by: actor, engine: engine, on: sql)
            return list
        }
    }

    static func patientRows(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [Appointment] {
        try await sql.raw("""
            \(unsafeRaw: Self.selectAppointments)
            WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId) ORDER BY a.starts_at, a.id
            """).all().map(Self.decode)
    }

    public func appointment(id: UUID, clinicId: UUID, by actor: AuditActor) async throws -> Appointment {
        let engine = db.engine
        return try await db.write { sql in
            let a = try await Self.row(id: id, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "appointment.read", recordType: "appointment", recordId: id.uuidString,
                                                   patientId: a.patientId), by: actor, engine: engine, on: sql)
            return a
        }
    }

    static func row(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Appointment {
        guard let row = try await sql.raw("\(unsafeRaw: Self.selectAppointments) WHERE a.id = \(bind: id) AND a.clinic_id = \(bind: clinicId)").first()
        else { throw StoreError.notFound }
        return try decode(row)
    }
}
