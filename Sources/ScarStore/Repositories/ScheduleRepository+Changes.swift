import Crypto
import Foundation
import ScarCore
import SQLKit

/// Moving, completing and changing the status of appointments.
extension ScheduleRepository {
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
}
