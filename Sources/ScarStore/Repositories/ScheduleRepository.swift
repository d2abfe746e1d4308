import Crypto
import Foundation
import ScarCore
import SQLKit

/// Rooms, devices, working hours, absences, closing days, settings and appointments of one
/// clinic. Every query is scoped by clinic; reads and writes of appointments (patient data)
/// append their audit entry in the same transaction.
public struct ScheduleRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    // MARK: - Settings

    public func settings(clinicId: UUID) async throws -> ScheduleSettings {
        try await db.read { sql in try await Self.settings(clinicId: clinicId, on: sql) }
    }

    static func settings(clinicId: UUID, on sql: any SQLDatabase) async throws -> ScheduleSettings {
        guard let row = try await sql.raw("SELECT * FROM schedule_settings WHERE clinic_id = \(bind: clinicId)").first() else {
            return .defaults
        }
        return ScheduleSettings(
            microneedlingMinutes: try row.decode(column: "microneedling_minutes", as: Int.self),
            rfMicroneedlingMinutes: try row.decode(column: "rf_microneedling_minutes", as: Int.self),
            followUpMinutes: try row.decode(column: "follow_up_minutes", as: Int.self),
            minimumIntervalDays: try row.decode(column: "minimum_interval_days", as: Int.self),
            windowDays: try row.decode(column: "window_days", as: Int.self),
            followUpMonths: FollowUpRule.parse(try row.decode(column: "follow_up_months", as: String.self)) ?? [],
            reminders: ReminderSettings(retinoidPauseDays: try row.decode(column: "retinoid_pause_days", as: Int.self),
                                        antiviralLeadDays: try row.decode(column: "antiviral_lead_days", as: Int.self)),
            version: try row.decode(column: "version", as: Int.self))
    }

    /// Saves the settings if the stored version is still `settings.version` (0: never saved).
    public func saveSettings(_ s: ScheduleSettings, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> ScheduleSettings {
        let engine = db.engine
        return try await db.write { sql in
            let current = try await Self.settings(clinicId: clinicId, on: sql)
            guard current.version == s.version else { throw StoreError.versionConflict(current: current.version) }
            let months = s.followUpMonths.map(String.init).joined(separator: ",")
            if current.version == 0 {
                try await sql.raw("""
                    INSERT INTO schedule_settings (clinic_id, microneedling_minutes, rf_microneedling_minutes, follow_up_minutes,
                        minimum_interval_days, window_days, follow_up_months, retinoid_pause_days, antiviral_lead_days, updated_at, version)
                    VALUES (\(bind: clinicId), \(bind: s.microneedlingMinutes), \(bind: s.rfMicroneedlingMinutes), \(bind: s.followUpMinutes),
                        \(bind: s.minimumIntervalDays), \(bind: s.windowDays), \(bind: months), \(bind: s.reminders.retinoidPauseDays),
                        \(bind: s.reminders.antiviralLeadDays), \(bind: now), 1)
                    """).run()
            } else {
                let updated = try await sql.raw("""
                    UPDATE schedule_settings SET microneedling_minutes = \(bind: s.microneedlingMinutes),
                        rf_microneedling_minutes = \(bind: s.rfMicroneedlingMinutes), follow_up_minutes = \(bind: s.followUpMinutes),
                        minimum_interval_days = \(bind: s.minimumIntervalDays), window_days = \(bind: s.windowDays),
                        follow_up_months = \(bind: months), retinoid_pause_days = \(bind: s.reminders.retinoidPauseDays),
                        antiviral_lead_days = \(bind: s.reminders.antiviralLeadDays), updated_at = \(bind: now), version = version + 1
                    WHERE clinic_id = \(bind: clinicId) AND version = \(bind: s.version) RETURNING version
                    """).first()
                guard updated != nil else { throw StoreError.versionConflict(current: current.version) }
            }
            try await AuditTrail.append(AuditEvent(action: "schedule.settings.update", recordType: "schedule_settings",
                                                   recordId: clinicId.uuidString), by: actor, engine: engine, on: sql, now: now)
            var saved = s
            saved.version = current.version + 1
            return saved
        }
    }

    // MARK: - Rooms, devices, hours, absences, closing days

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
            let room = Room(id: UUID(), name: name, active: true)
            try await sql.raw("INSERT INTO rooms (id, clinic_id, name, active, created_at) VALUES (\(bind: room.id), \(bind: clinicId), \(bind: name), \(bind: true), \(bind: now))").run()
            try await AuditTrail.append(AuditEvent(action: "room.create", recordType: "room", recordId: room.id.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
            return room
        }
    }

    public func devices(clinicId: UUID) async throws -> [BookableDevice] {
        try await db.read { sql in
            try await sql.raw("SELECT id, name, modality, active, version FROM bookable_devices WHERE clinic_id = \(bind: clinicId) ORDER BY name").all().map {
                BookableDevice(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                       modality: Modality(rawValue: try $0.decode(column: "modality", as: String.self)) ?? .microneedling,
                       active: try $0.decode(column: "active", as: Bool.self), version: try $0.decode(column: "version", as: Int.self))
            }
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
                SELECT version, modality FROM bookable_devices WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)
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
            return BookableDevice(id: id, name: name, modality: modality, active: active, version: current + 1)
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

    // MARK: - Availability

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

    // MARK: - Booking

    /// Books every item of the series in one transaction, or nothing: each is checked against
    /// working hours, absences and closing days, and for overlap with every appointment holding
    /// the practitioner, room or device (`ScheduleConflict` names the first clash).
    public func bookSeries(_ booking: SeriesBooking, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> [Appointment] {
        let engine = db.engine
        return try await db.write { sql in
            try await Self.lockCalendar(clinicId: clinicId, engine: engine, on: sql)
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
                    throw ScheduleRefusal(field: "start", message: "\(item.kind == .session ? "Session \(item.number)" : "The \(item.number)-month follow-up") "
                                          + "cannot be booked: \(problem.message).")
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
                        \(bind: actor.userId ?? UUID()), \(bind: now), \(bind: now), 1)
                    """).run()
                booked.append(a)
            }
            try await Outbox.plan(booked, change: .confirmation, clinicId: clinicId, on: sql, now: now)
            try await AuditTrail.append(AuditEvent(action: "appointment.book", recordType: "appointment_series", recordId: seriesId.uuidString,
                                                   patientId: booking.patientId,
                                                   details: ["count": String(booked.count), "modality": booking.modality.rawValue]),
                                        by: actor, engine: engine, on: sql, now: now)
            // Answer with the rows as stored and as every later read returns them (practitioner,
            // room and device names joined in, times as the database keeps them).
            return try await sql.raw("""
                \(unsafeRaw: Self.selectAppointments)
                WHERE a.clinic_id = \(bind: clinicId) AND a.series_id = \(bind: seriesId) ORDER BY a.starts_at, a.id
                """).all().map(Self.decode)
        }
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

    // MARK: - Changes

    /// Moves one appointment to `newStart`; later sessions of its series move as the cascade
    /// requires (minimum interval kept, follow-ups kept N months after the last session). Every
    /// moved appointment is checked for conflicts; all move together or none does.
    public func reschedule(id: UUID, clinicId: UUID, to newStart: Date, expectedVersion: Int, by actor: AuditActor,
                           now: Date = Date()) async throws -> [Appointment] {
        let engine = db.engine
        return try await db.write { sql in
            try await Self.lockCalendar(clinicId: clinicId, engine: engine, on: sql)
            let target = try await Self.row(id: id, clinicId: clinicId, on: sql)
            guard target.version == expectedVersion else { throw StoreError.versionConflict(current: target.version) }
            guard target.status == .booked else {
                throw ScheduleRefusal(field: "status", message: "only a booked appointment can be moved (this one is \(target.status.rawValue))")
            }
            let zone = try await Self.clinic(clinicId, on: sql).zone
            let series = try await sql.raw("""
                \(unsafeRaw: Self.selectAppointments)
                WHERE a.clinic_id = \(bind: clinicId) AND a.series_id = \(bind: target.seriesId) AND a.status IN ('booked', 'checked-in')
                ORDER BY a.starts_at
                """).all().map(Self.decode)
            let outcome = Reschedule.cascade(series: series.map(\.seriesItem), moving: id, to: newStart,
                                             minimumIntervalDays: target.minimumIntervalDays, timeZone: zone)
            guard case .moves(let moves) = outcome else {
                if case .refused(let reason) = outcome { throw ScheduleRefusal(field: "start", message: reason) }
                return []
            }
            let movedIds = Set(moves.map(\.id))
            var changed: [Appointment] = []
            for move in moves {
                guard var a = series.first(where: { $0.id == move.id }) else { continue }
                if a.status == .checkedIn { throw ScheduleRefusal(field: "start", message: "a later appointment is already checked in") }
                if let c = try await Self.conflict(clinicId: clinicId, practitionerId: a.practitionerId, roomId: a.roomId, deviceId: a.deviceId,
                                                   start: move.start, end: move.end, excluding: movedIds, on: sql) {
                    throw c
                }
                let availability = try await Self.availability(clinicId: clinicId, practitionerId: a.practitionerId, roomId: a.roomId,
                                                               deviceId: nil, from: move.start, to: move.end, excluding: movedIds, on: sql)
                var calendarOnly = availability
                calendarOnly.busy = []
                if let problem = calendarOnly.problem(start: move.start, end: move.end) {
                    throw ScheduleRefusal(field: "start", message: "\(a.kind == .session ? "Session \(a.number)" : "The \(a.number)-month follow-up") "
                                          + "would fall on \(calendarOnly.day(of: move.start)): \(problem.message).")
                }
                a.startsAt = move.start
                a.endsAt = move.end
                a.icalSequence += 1
                a.version += 1
                a.updatedAt = now
                try await sql.raw("""
                    UPDATE appointments SET starts_at = \(bind: a.startsAt), ends_at = \(bind: a.endsAt), ical_sequence = \(bind: a.icalSequence),
                        version = \(bind: a.version), updated_at = \(bind: now)
                    WHERE id = \(bind: a.id) AND clinic_id = \(bind: clinicId)
                    """).run()
                changed.append(a)
            }
            try await Outbox.withdraw(appointmentIds: changed.map(\.id), on: sql)
            try await Outbox.plan(changed, change: .rescheduled, clinicId: clinicId, on: sql, now: now)
            try await AuditTrail.append(AuditEvent(action: "appointment.reschedule", recordType: "appointment", recordId: id.uuidString,
                                                   patientId: target.patientId, details: ["moved": String(changed.count)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return changed
        }
    }

    /// What completing an appointment by a signed session changed in its series.
    public struct Completion: Sendable, Equatable {
        public var appointmentId: UUID
        /// Later appointments of the series that moved to keep the minimum interval (and follow-ups re-anchored).
        public var moved: [Appointment]
        /// Why the series was not moved, or why the appointment was not completed; nil when all went well.
        public var note: String?
    }

    /// Marks the appointment completed by a signed session, inside the signing transaction. When
    /// the session was done on another day than booked (late, typically), the series moves as a
    /// reschedule would: later sessions keep the minimum interval after the day it was really done,
    /// follow-ups keep their months after the last session. A move the calendar refuses (a clash,
    /// a closed day) is not forced: nothing moves and the note says which one to move by hand.
    static func complete(appointmentId: UUID, sessionId: UUID, performedOn: CalendarDate, clinicId: UUID, engine: Engine,
                         on sql: any SQLDatabase, now: Date) async throws -> Completion {
        try await lockCalendar(clinicId: clinicId, engine: engine, on: sql)
        var target: Appointment
        do { target = try await row(id: appointmentId, clinicId: clinicId, on: sql) } catch StoreError.notFound {
            return Completion(appointmentId: appointmentId, moved: [], note: "The linked appointment does not exist in this clinic.")
        }
        guard target.status == .booked || target.status == .checkedIn else {
            return Completion(appointmentId: appointmentId, moved: [],
                              note: "The linked appointment is \(target.status.rawValue); it was not marked completed.")
        }
        try await sql.raw("""
            UPDATE appointments SET status = 'checked-in', completed_at = \(bind: now), completed_on = \(bind: performedOn.description),
                session_id = \(bind: sessionId), version = version + 1, ical_sequence = ical_sequence + 1, updated_at = \(bind: now)
            WHERE id = \(bind: appointmentId) AND clinic_id = \(bind: clinicId)
            """).run()
        target.status = .completed
        let zone = try await clinic(clinicId, on: sql).zone
        let calendar = Availability(timeZone: zone, weeklyHours: [:])
        let actualStart = calendar.instant(performedOn, minutes: calendar.minuteOfDay(target.startsAt))
        let series = try await sql.raw("""
            \(unsafeRaw: Self.selectAppointments)
            WHERE a.clinic_id = \(bind: clinicId) AND a.series_id = \(bind: target.seriesId) AND a.status IN ('booked', 'checked-in')
            ORDER BY a.starts_at
            """).all().map(Self.decode)
        var note: String?
        var changed: [Appointment] = []
        if calendar.day(of: target.startsAt) != performedOn {
            let items = series.map { a -> SeriesItem in
                guard a.id == appointmentId else { return a.seriesItem }
                var item = a.seriesItem
                item.end = actualStart.addingTimeInterval(a.endsAt.timeIntervalSince(a.startsAt))
                item.start = actualStart
                return item
            }
            switch Reschedule.cascade(series: items, moving: appointmentId, to: actualStart, minimumIntervalDays: target.minimumIntervalDays,
                                      timeZone: zone) {
            case .refused(let reason):
                note = "The series was not moved: \(reason)"
            case .moves(let moves):
                let later = moves.filter { $0.id != appointmentId }
                let movedIds = Set(later.map(\.id))
                var planned: [Appointment] = []
                for move in later {
                    guard var a = series.first(where: { $0.id == move.id }), a.status == .booked else {
                        note = "A later appointment of the series is already checked in; the series was not moved."
                        planned = []
                        break
                    }
                    let label = a.kind == .session ? "Session \(a.number)" : "The \(a.number)-month follow-up"
                    if let c = try await Self.conflict(clinicId: clinicId, practitionerId: a.practitionerId, roomId: a.roomId, deviceId: a.deviceId,
                                                       start: move.start, end: move.end, excluding: movedIds, on: sql) {
                        note = "\(label) should move to \(calendar.day(of: move.start)) but the \(c.kind.rawValue) \(c.resourceName) is booked then; "
                            + "nothing was moved. Move it by hand."
                        planned = []
                        break
                    }
                    var calendarOnly = try await Self.availability(clinicId: clinicId, practitionerId: a.practitionerId, roomId: a.roomId,
                                                                   deviceId: nil, from: move.start, to: move.end, excluding: movedIds, on: sql)
                    calendarOnly.busy = []
                    if let problem = calendarOnly.problem(start: move.start, end: move.end) {
                        note = "\(label) should move to \(calendarOnly.day(of: move.start)): \(problem.message); nothing was moved. Move it by hand."
                        planned = []
                        break
                    }
                    a.startsAt = move.start
                    a.endsAt = move.end
                    a.icalSequence += 1
                    a.version += 1
                    a.updatedAt = now
                    planned.append(a)
                }
                for a in planned {
                    try await sql.raw("""
                        UPDATE appointments SET starts_at = \(bind: a.startsAt), ends_at = \(bind: a.endsAt), ical_sequence = \(bind: a.icalSequence),
                            version = \(bind: a.version), updated_at = \(bind: now)
                        WHERE id = \(bind: a.id) AND clinic_id = \(bind: clinicId)
                        """).run()
                }
                changed = planned
                if !changed.isEmpty {
                    try await Outbox.withdraw(appointmentIds: changed.map(\.id), on: sql)
                    try await Outbox.plan(changed, change: .rescheduled, clinicId: clinicId, on: sql, now: now)
                }
            }
        }
        // Audited by the caller: completing is part of signing, whose one entry says what moved.
        return Completion(appointmentId: appointmentId, moved: changed, note: note)
    }

    /// Writes a status change decided by the caller (`ChangeAppointmentStatus`), keeping the
    /// calendar feed's sequence and the outbox in step: cancelling or a no-show withdraws unsent
    /// reminders, cancelling plans the cancellation message. Version-checked in the WHERE clause.
    static func write(status: AppointmentStatus, of appointment: Appointment, on sql: any SQLDatabase, now: Date) async throws -> Appointment {
        var a = appointment
        a.status = status
        a.version += 1
        a.icalSequence += 1
        a.updatedAt = now
        try await sql.raw("""
            UPDATE appointments SET status = \(bind: status.rawValue), version = \(bind: a.version), ical_sequence = \(bind: a.icalSequence),
                updated_at = \(bind: now)
            WHERE id = \(bind: a.id) AND clinic_id = \(bind: a.clinicId) AND version = \(bind: appointment.version)
            """).run()
        if status == .cancelled || status == .noShow {
            try await Outbox.withdraw(appointmentIds: [a.id], on: sql)
        }
        if status == .cancelled {
            try await Outbox.plan([a], change: .cancelled, clinicId: a.clinicId, on: sql, now: now)
        }
        return a
    }

    // MARK: - iCalendar feed tokens

    /// A new 256-bit random feed token for the patient; only its SHA-256 is stored.
    public func createFeedToken(patientId: UUID, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let engine = db.engine
        try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            try await sql.raw("""
                INSERT INTO ical_tokens (id, clinic_id, patient_id, token_hash, created_at)
                VALUES (\(bind: UUID()), \(bind: clinicId), \(bind: patientId), \(bind: Self.hash(token)), \(bind: now))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "ical.token.create", recordType: "ical_token", patientId: patientId),
                                        by: actor, engine: engine, on: sql, now: now)
        }
        return token
    }

    public func revokeFeedTokens(patientId: UUID, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> Int {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let rows = try await sql.raw("""
                UPDATE ical_tokens SET revoked_at = \(bind: now)
                WHERE patient_id = \(bind: patientId) AND clinic_id = \(bind: clinicId) AND revoked_at IS NULL RETURNING id
                """).all()
            try await AuditTrail.append(AuditEvent(action: "ical.token.revoke", recordType: "ical_token", patientId: patientId,
                                                   details: ["revoked": String(rows.count)]), by: actor, engine: engine, on: sql, now: now)
            return rows.count
        }
    }

    public func activeFeedTokens(patientId: UUID, clinicId: UUID) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("""
                SELECT COUNT(*) AS n FROM ical_tokens WHERE patient_id = \(bind: patientId) AND clinic_id = \(bind: clinicId) AND revoked_at IS NULL
                """).first()!.decode(column: "n", as: Int.self)
        }
    }

    /// The patient's appointments for a feed token (nil for an unknown or revoked token). The
    /// fetch is audited with the token's patient, by actor `ical-feed`.
    public func feed(token: String, clientAddress: String) async throws -> (clinicName: String, appointments: [Appointment])? {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await sql.raw("""
                SELECT clinic_id, patient_id FROM ical_tokens WHERE token_hash = \(bind: Self.hash(token)) AND revoked_at IS NULL
                """).first() else { return nil }
            let clinicId = try row.decode(column: "clinic_id", as: UUID.self)
            let patientId = try row.decode(column: "patient_id", as: UUID.self)
            let clinic = try await Self.clinic(clinicId, on: sql)
            let list = try await Self.patientRows(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "ical.patient.read", recordType: "appointment", patientId: patientId,
                                                   details: ["results": String(list.count)]),
                                        by: AuditActor(clinicId: clinicId, userId: nil, label: "ical-feed", clientAddress: clientAddress),
                                        engine: engine, on: sql)
            return (clinic.name, list)
        }
    }

    static func hash(_ token: String) -> String {
        SHA256Hex.of(token)
    }
}
