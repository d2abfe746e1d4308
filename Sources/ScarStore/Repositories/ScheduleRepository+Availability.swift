import Crypto
import Foundation
import ScarCore
import SQLKit

/// What is free when: the calendar a placement is checked against, clashes, and the per-clinic booking lock.
extension ScheduleRepository {
    static func clinic(_ clinicId: UUID, on sql: any SQLDatabase) async throws -> (name: String, zone: TimeZone) {
        guard let row = try await sql.raw("SELECT name, time_zone FROM clinics WHERE id = \(bind: clinicId)").first() else { throw StoreError.notFound }
        return (try row.decode(column: "name", as: String.self),
                TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? TimeZone(identifier: "UTC")!)
    }

    /// What placement needs for these resources between `from` and `to`, leaving out the
    /// appointments in `excluding` (the ones being moved).
    public func availability(clinicId: UUID, practitionerId: UUID, roomId: UUID, deviceId: UUID?, from: Date, to: Date,
                             excluding: Set<UUID> = []) async throws -> Availability {
        try await db.read { sql in
            try await Self.availability(clinicId: clinicId, practitionerId: practitionerId, roomId: roomId, deviceId: deviceId,
                                        from: from, to: to, excluding: excluding, on: sql)
        }
    }

    static func availability(clinicId: UUID, practitionerId: UUID, roomId: UUID, deviceId: UUID?, from: Date, to: Date,
                             excluding: Set<UUID>, on sql: any SQLDatabase) async throws -> Availability {
        let zone = try await clinic(clinicId, on: sql).zone
        var a = Availability(timeZone: zone, weeklyHours: try await hours(staffId: practitionerId, clinicId: clinicId, on: sql))
        for row in try await sql.raw("""
            SELECT starts_on, ends_on FROM practitioner_absences WHERE staff_id = \(bind: practitionerId) AND clinic_id = \(bind: clinicId)
            """).all() {
            guard let s = CalendarDate(try row.decode(column: "starts_on", as: String.self)),
                  let e = CalendarDate(try row.decode(column: "ends_on", as: String.self)) else { continue }
            a.absences.append(DateInterval(start: a.instant(s, minutes: 0), end: a.instant(e.adding(days: 1), minutes: 0)))
        }
        a.closingDays = Set(try await sql.raw("SELECT day FROM closing_days WHERE clinic_id = \(bind: clinicId)").all()
            .compactMap { CalendarDate(try $0.decode(column: "day", as: String.self)) })
        for row in try await sql.raw("""
            SELECT id, practitioner_id, room_id, device_id, starts_at, ends_at FROM appointments
            WHERE clinic_id = \(bind: clinicId) AND status IN ('booked', 'checked-in') AND starts_at < \(bind: to) AND ends_at > \(bind: from)
              AND (practitioner_id = \(bind: practitionerId) OR room_id = \(bind: roomId) OR device_id = \(bind: deviceId ?? UUID()))
            """).all() {
            guard !excluding.contains(try row.decode(column: "id", as: UUID.self)) else { continue }
            let s = try row.decode(column: "starts_at", as: Date.self), e = try row.decode(column: "ends_at", as: Date.self)
            if try row.decode(column: "practitioner_id", as: UUID.self) == practitionerId { a.busy.append(BusyInterval(kind: .practitioner, start: s, end: e)) }
            if try row.decode(column: "room_id", as: UUID.self) == roomId { a.busy.append(BusyInterval(kind: .room, start: s, end: e)) }
            if let d = deviceId, try row.decode(column: "device_id", as: UUID?.self) == d { a.busy.append(BusyInterval(kind: .device, start: s, end: e)) }
        }
        return a
    }

    /// The first appointment already holding the practitioner, room or device during `start..<end`.
    static func conflict(clinicId: UUID, practitionerId: UUID, roomId: UUID, deviceId: UUID?, start: Date, end: Date,
                         excluding: Set<UUID>, on sql: any SQLDatabase) async throws -> ScheduleConflict? {
        let rows = try await sql.raw("""
            SELECT a.id, a.practitioner_id, a.room_id, a.device_id, a.starts_at, a.ends_at, u.display_name, r.name AS room_name,
                   d.name AS device_name
            FROM appointments a JOIN staff_users u ON u.id = a.practitioner_id JOIN rooms r ON r.id = a.room_id
            LEFT JOIN bookable_devices d ON d.id = a.device_id
            WHERE a.clinic_id = \(bind: clinicId) AND a.status IN ('booked', 'checked-in') AND a.starts_at < \(bind: end) AND a.ends_at > \(bind: start)
              AND (a.practitioner_id = \(bind: practitionerId) OR a.room_id = \(bind: roomId) OR a.device_id = \(bind: deviceId ?? UUID()))
            ORDER BY a.starts_at
            """).all()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            guard !excluding.contains(id) else { continue }
            let s = try row.decode(column: "starts_at", as: Date.self), e = try row.decode(column: "ends_at", as: Date.self)
            if try row.decode(column: "practitioner_id", as: UUID.self) == practitionerId {
                return ScheduleConflict(kind: .practitioner, resourceName: try row.decode(column: "display_name", as: String.self),
                                        appointmentId: id, startsAt: s, endsAt: e)
            }
            if try row.decode(column: "room_id", as: UUID.self) == roomId {
                return ScheduleConflict(kind: .room, resourceName: try row.decode(column: "room_name", as: String.self),
                                        appointmentId: id, startsAt: s, endsAt: e)
            }
            if let deviceId, try row.decode(column: "device_id", as: UUID?.self) == deviceId {
                return ScheduleConflict(kind: .device, resourceName: try row.decode(column: "device_name", as: String?.self) ?? "device",
                                        appointmentId: id, startsAt: s, endsAt: e)
            }
        }
        return nil
    }

    /// The first appointment holding one of these resources during `start..<end` (a read; the
    /// booking transaction checks again).
    public func conflict(clinicId: UUID, practitionerId: UUID, roomId: UUID, deviceId: UUID?, start: Date, end: Date) async throws -> ScheduleConflict? {
        try await db.read { sql in
            try await Self.conflict(clinicId: clinicId, practitionerId: practitionerId, roomId: roomId, deviceId: deviceId, start: start, end: end,
                                    excluding: [], on: sql)
        }
    }

    /// Serializes bookings of one clinic on PostgreSQL (SQLite's write transaction already is).
    static func lockCalendar(clinicId: UUID, engine: Engine, on sql: any SQLDatabase) async throws {
        if engine == .postgres {
            try await sql.raw("SELECT pg_advisory_xact_lock(7345006, hashtext(\(bind: clinicId.lower)))").run()
        }
    }
}
