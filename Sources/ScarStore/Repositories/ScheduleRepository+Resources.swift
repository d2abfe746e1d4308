import Crypto
import Foundation
import ScarCore
import SQLKit

/// Rooms, bookable devices, practitioners' weekly hours, absences and closing days.
extension ScheduleRepository {
    public func rooms(clinicId: UUID) async throws -> [Room] {
        try await db.read { sql in
            try await sql.raw("SELECT id, name, active, version FROM rooms WHERE clinic_id = \(bind: clinicId) ORDER BY name").all().map {
                Room(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                     active: try $0.decode(column: "active", as: Bool.self), version: try $0.decode(column: "version", as: Int.self))
            }
        }
    }

    public func addRoom(name: String, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> Room {
        let engine = db.engine
        return try await db.write { sql in
            let room = try await Self.insert(room: name, clinicId: clinicId, now: now, on: sql)
            try await AuditTrail.append(AuditEvent(action: "room.create", recordType: "room", recordId: room.id.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
            return room
        }
    }

    /// Adds a room inside the caller's transaction.
    static func insert(room name: String, clinicId: UUID, now: Date, on sql: any SQLDatabase) async throws -> Room {
        let room = Room(id: UUID(), name: name, active: true)
        try await sql.raw("INSERT INTO rooms (id, clinic_id, name, active, created_at) VALUES (\(bind: room.id), \(bind: clinicId), \(bind: name), \(bind: true), \(bind: now))").run()
        return room
    }

    public func devices(clinicId: UUID) async throws -> [BookableDevice] {
        try await db.read { sql in try await Self.devices(clinicId: clinicId, on: sql) }
    }

    static func devices(clinicId: UUID, on sql: any SQLDatabase) async throws -> [BookableDevice] {
        try await sql.raw("""
            SELECT id, name, modality, active, version, device_id FROM bookable_devices WHERE clinic_id = \(bind: clinicId) ORDER BY name
            """).all().map {
            BookableDevice(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                   modality: Modality(rawValue: try $0.decode(column: "modality", as: String.self)) ?? .microneedling,
                   active: try $0.decode(column: "active", as: Bool.self), version: try $0.decode(column: "version", as: Int.self),
                   deviceId: try $0.decode(column: "device_id", as: UUID?.self))
        }
    }

    public func addDevice(name: String, modality: Modality, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> BookableDevice {
        let engine = db.engine
        return try await db.write { sql in
            let device = BookableDevice(id: UUID(), name: name, modality: modality, active: true)
            try await sql.raw("""
                INSERT INTO bookable_devices (id, clinic_id, name, modality, active, created_at)
                VALUES (\(bind: device.id), \(bind: clinicId), \(bind: name), \(bind: modality.rawValue), \(bind: true), \(bind: now))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "device.create", recordType: "device", recordId: device.id.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
            return device
        }
    }

    /// Renames, deactivates or reactivates a room if its stored version is still `expectedVersion`.
    /// A deactivated room keeps its appointments but is no longer offered for booking.
    public func updateRoom(id: UUID, name: String, active: Bool, expectedVersion: Int, clinicId: UUID, by actor: AuditActor,
                           now: Date = Date()) async throws -> Room {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await sql.raw("SELECT version FROM rooms WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            let current = try row.decode(column: "version", as: Int.self)
            guard current == expectedVersion else { throw StoreError.versionConflict(current: current) }
            if try await sql.raw("""
                SELECT 1 AS x FROM rooms WHERE clinic_id = \(bind: clinicId) AND name = \(bind: name) AND id <> \(bind: id)
                """).first() != nil { throw StoreError.duplicate(field: "name") }
            guard try await sql.raw("""
                UPDATE rooms SET name = \(bind: name), active = \(bind: active), version = \(bind: current + 1)
                WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId) AND version = \(bind: current) RETURNING id
                """).first() != nil else { throw StoreError.versionConflict(current: current + 1) }
            try await AuditTrail.append(AuditEvent(action: "room.update", recordType: "room", recordId: id.uuidString,
                                                   details: ["active": String(active), "version": String(current + 1)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return Room(id: id, name: name, active: active, version: current + 1)
        }
    }

    /// Renames, deactivates or reactivates a bookable device (its modality stays) if its version is still `expectedVersion`.
    public func updateDevice(id: UUID, name: String, active: Bool, expectedVersion: Int, clinicId: UUID, by actor: AuditActor,
                             now: Date = Date()) async throws -> BookableDevice {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await sql.raw("""
                SELECT version, modality, device_id FROM bookable_devices WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)
                """).first() else { throw StoreError.notFound }
            let current = try row.decode(column: "version", as: Int.self)
            let modality = Modality(rawValue: try row.decode(column: "modality", as: String.self)) ?? .microneedling
            guard current == expectedVersion else { throw StoreError.versionConflict(current: current) }
            if try await sql.raw("""
                SELECT 1 AS x FROM bookable_devices WHERE clinic_id = \(bind: clinicId) AND name = \(bind: name) AND id <> \(bind: id)
                """).first() != nil { throw StoreError.duplicate(field: "name") }
            guard try await sql.raw("""
                UPDATE bookable_devices SET name = \(bind: name), active = \(bind: active), version = \(bind: current + 1)
                WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId) AND version = \(bind: current) RETURNING id
                """).first() != nil else { throw StoreError.versionConflict(current: current + 1) }
            try await AuditTrail.append(AuditEvent(action: "device.update", recordType: "device", recordId: id.uuidString,
                                                   details: ["active": String(active), "version": String(current + 1)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return BookableDevice(id: id, name: name, modality: modality, active: active, version: current + 1,
                                  deviceId: try row.decode(column: "device_id", as: UUID?.self))
        }
    }

    public func hours(staffId: UUID, clinicId: UUID) async throws -> [Int: [MinuteRange]] {
        try await db.read { sql in try await Self.hours(staffId: staffId, clinicId: clinicId, on: sql) }
    }

    static func hours(staffId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [Int: [MinuteRange]] {
        var out: [Int: [MinuteRange]] = [:]
        for row in try await sql.raw("""
            SELECT weekday, start_minute, end_minute FROM practitioner_hours
            WHERE staff_id = \(bind: staffId) AND clinic_id = \(bind: clinicId) ORDER BY weekday, start_minute
            """).all() {
            out[try row.decode(column: "weekday", as: Int.self), default: []].append(
                MinuteRange(start: try row.decode(column: "start_minute", as: Int.self), end: try row.decode(column: "end_minute", as: Int.self)))
        }
        return out
    }

    /// The version of a practitioner's weekly hours the page edits: the hours themselves, written
    /// out, so a stale form is recognised without a counter (`setHours(expected:)`).
    public static func hoursFingerprint(_ weekly: [Int: [MinuteRange]]) -> String {
        let text = weekly.keys.sorted().flatMap { d in weekly[d]!.map { "\(d):\($0.start)-\($0.end)" } }.joined(separator: ",")
        return SHA256Hex.of(text).prefix(16).lowercased()
    }

    /// Replaces a practitioner's weekly hours; with `expected`, only if the stored hours still
    /// have that fingerprint (else `versionConflict`).
    public func setHours(_ weekly: [Int: [MinuteRange]], staffId: UUID, clinicId: UUID, expected: String? = nil, by actor: AuditActor) async throws {
        let engine = db.engine
        try await db.write { sql in
            try await Self.requireStaff(staffId, clinicId: clinicId, on: sql)
            if let expected, Self.hoursFingerprint(try await Self.hours(staffId: staffId, clinicId: clinicId, on: sql)) != expected {
                throw StoreError.versionConflict(current: 0)
            }
            try await sql.raw("DELETE FROM practitioner_hours WHERE staff_id = \(bind: staffId) AND clinic_id = \(bind: clinicId)").run()
            for (day, ranges) in weekly {
                for r in ranges {
                    try await sql.raw("""
                        INSERT INTO practitioner_hours (clinic_id, staff_id, weekday, start_minute, end_minute)
                        VALUES (\(bind: clinicId), \(bind: staffId), \(bind: day), \(bind: r.start), \(bind: r.end))
                        """).run()
                }
            }
            try await AuditTrail.append(AuditEvent(action: "practitioner.hours.update", recordType: "staff_user", recordId: staffId.uuidString),
                                        by: actor, engine: engine, on: sql)
        }
    }

    static func requireStaff(_ staffId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws {
        guard try await sql.raw("SELECT 1 AS x FROM staff_users WHERE id = \(bind: staffId) AND clinic_id = \(bind: clinicId)").first() != nil
        else { throw StoreError.notFound }
    }

    public func absences(clinicId: UUID) async throws -> [Absence] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT a.id, a.staff_id, u.display_name, a.starts_on, a.ends_on, a.reason FROM practitioner_absences a
                JOIN staff_users u ON u.id = a.staff_id WHERE a.clinic_id = \(bind: clinicId) ORDER BY a.starts_on
                """).all().map {
                Absence(id: try $0.decode(column: "id", as: UUID.self), staffId: try $0.decode(column: "staff_id", as: UUID.self),
                        staffName: try $0.decode(column: "display_name", as: String.self),
                        startsOn: CalendarDate(try $0.decode(column: "starts_on", as: String.self)) ?? .earliest,
                        endsOn: CalendarDate(try $0.decode(column: "ends_on", as: String.self)) ?? .earliest,
                        reason: try $0.decode(column: "reason", as: String?.self))
            }
        }
    }

    public func addAbsence(staffId: UUID, from: CalendarDate, to: CalendarDate, reason: String?, clinicId: UUID, by actor: AuditActor) async throws {
        let engine = db.engine
        try await db.write { sql in
            try await Self.requireStaff(staffId, clinicId: clinicId, on: sql)
            let id = UUID()
            try await sql.raw("""
                INSERT INTO practitioner_absences (id, clinic_id, staff_id, starts_on, ends_on, reason)
                VALUES (\(bind: id), \(bind: clinicId), \(bind: staffId), \(bind: from.description), \(bind: to.description), \(bind: reason))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "practitioner.absence.create", recordType: "practitioner_absence", recordId: id.uuidString),
                                        by: actor, engine: engine, on: sql)
        }
    }

    public func closingDays(clinicId: UUID) async throws -> [ClosingDay] {
        try await db.read { sql in
            try await sql.raw("SELECT day, reason FROM closing_days WHERE clinic_id = \(bind: clinicId) ORDER BY day").all().map {
                ClosingDay(day: CalendarDate(try $0.decode(column: "day", as: String.self)) ?? .earliest,
                           reason: try $0.decode(column: "reason", as: String?.self))
            }
        }
    }

    public func addClosingDay(_ day: CalendarDate, reason: String?, clinicId: UUID, by actor: AuditActor) async throws {
        let engine = db.engine
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO closing_days (clinic_id, day, reason) VALUES (\(bind: clinicId), \(bind: day.description), \(bind: reason))
                ON CONFLICT (clinic_id, day) DO UPDATE SET reason = excluded.reason
                """).run()
            try await AuditTrail.append(AuditEvent(action: "closing_day.create", recordType: "closing_day", recordId: day.description),
                                        by: actor, engine: engine, on: sql)
        }
    }
}
