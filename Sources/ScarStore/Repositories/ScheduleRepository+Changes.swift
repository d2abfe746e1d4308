import Crypto
import Foundation
import ScarCore
import SQLKit

/// Moving, completing and changing the status of appointments.
extension ScheduleRepository {
    /// The open appointments (booked or checked in) of `target`'s series, earliest first.
    static func openSeries(of target: Appointment, on sql: any SQLDatabase) async throws -> [Appointment] {
        try await sql.raw("""
            \(unsafeRaw: Self.selectAppointments)
            WHERE a.clinic_id = \(bind: target.clinicId) AND a.series_id = \(bind: target.seriesId) AND a.status IN ('booked', 'checked-in')
            ORDER BY a.starts_at
            """).all().map(Self.decode)
    }

    /// Writes the moves a reschedule decided (`Reschedule.cascade`), after checking each moved
    /// appointment against the calendar: a later appointment already checked in, a clash
    /// (`ScheduleConflict`) or a closed day or hour (`ScheduleRefusal`) refuses them all. Unsent
    /// messages of the moved appointments are withdrawn and new ones planned. Not audited here.
    static func move(_ moves: [SeriesItem], of series: [Appointment], clinicId: UUID, on sql: any SQLDatabase,
                     now: Date) async throws -> [Appointment] {
        let movedIds = Set(moves.map(\.id))
        var changed: [Appointment] = []
        for move in moves {
            guard var a = series.first(where: { $0.id == move.id }) else { continue }
            if a.status == .checkedIn { throw ScheduleRefusal(field: "start", message: "a later appointment is already checked in") }
            if let c = try await Self.conflict(clinicId: clinicId, practitionerId: a.practitionerId, roomId: a.roomId, deviceId: a.deviceId,
                                               start: move.start, end: move.end, excluding: movedIds, on: sql) {
                throw c
            }
            var calendarOnly = try await Self.availability(clinicId: clinicId, practitionerId: a.practitionerId, roomId: a.roomId,
                                                           deviceId: nil, from: move.start, to: move.end, excluding: movedIds, on: sql)
            calendarOnly.busy = []
            if let problem = calendarOnly.problem(start: move.start, end: move.end) {
                throw ScheduleRefusal(field: "start", message: "\(a.kind.subject(a.number)) would fall on \(calendarOnly.day(of: move.start)): \(problem.message).")
            }
            a.startsAt = move.start
            a.endsAt = move.end
            a.icalSequence += 1
            a.version += 1
            a.updatedAt = now
            changed.append(a)
        }
        try await writeMoves(changed, clinicId: clinicId, on: sql, now: now)
        return changed
    }

    /// Stores new times (their sequence and version already advanced) and keeps the outbox in step.
    static func writeMoves(_ changed: [Appointment], clinicId: UUID, on sql: any SQLDatabase, now: Date) async throws {
        guard !changed.isEmpty else { return }
        for a in changed {
            try await sql.raw("""
                UPDATE appointments SET starts_at = \(bind: a.startsAt), ends_at = \(bind: a.endsAt), ical_sequence = \(bind: a.icalSequence),
                    version = \(bind: a.version), updated_at = \(bind: now)
                WHERE id = \(bind: a.id) AND clinic_id = \(bind: clinicId)
                """).run()
        }
        try await Outbox.withdraw(appointmentIds: changed.map(\.id), on: sql)
        try await Outbox.plan(changed, change: .rescheduled, clinicId: clinicId, on: sql, now: now)
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
        let series = try await openSeries(of: target, on: sql)
        var note: String?
        var changed: [Appointment] = []
        switch CompletionCascade.decide(series: series.map(\.seriesItem), completed: appointmentId, performedOn: performedOn,
                                        minimumIntervalDays: target.minimumIntervalDays, timeZone: zone) {
        case .onTheDay:
            break
        case .refused(let reason):
            note = reason
        case .moves(let later):
            let movedIds = Set(later.map(\.id))
            var planned: [Appointment] = []
            for move in later {
                guard var a = series.first(where: { $0.id == move.id }), a.status == .booked else {
                    note = "A later appointment of the series is already checked in; the series was not moved."
                    planned = []
                    break
                }
                let label = a.kind.subject(a.number)
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
            try await writeMoves(planned, clinicId: clinicId, on: sql, now: now)
            changed = planned
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
