import Foundation
import ScarCore
import ScarStore

/// Moving an appointment: one write transaction that holds the clinic's calendar, reads the
/// appointment and its open series, decides the moves with ScarCore (`Reschedule.cascade`:
/// later sessions keep the minimum interval, follow-ups their months after the last session),
/// checks each move against the calendar, writes them (withdrawing and re-planning messages)
/// and audits `appointment.reschedule` once. All move together or none does.
public struct RescheduleAppointment: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// Every appointment that moved, the one asked for first. A stale `expectedVersion` throws
    /// `StoreError.versionConflict`; a move the calendar refuses, a `Refusal` (conflict) naming the field.
    public func callAsFunction(appointmentId: UUID, to newStart: Date, expectedVersion: Int, by clinician: Clinician,
                               actor: AuditActor, now: Date) async throws -> [Appointment] {
        try await database.write(unitOfWork: { tx in
            let (target, changed) = try await Self.move(appointmentId, to: newStart, expectedVersion: expectedVersion, clinicId: clinician.clinicId,
                                                        in: tx, now: now)
            try await tx.audit(AuditEvent(action: "appointment.reschedule", recordType: "appointment", recordId: appointmentId.uuidString,
                                          patientId: target.patientId, details: ["moved": String(changed.count)]), by: actor, now: now)
            return changed
        })
    }

    /// The moves inside the caller's transaction (also used when front desk accepts a patient's
    /// change request); the caller audits. Returns the appointment as it was and every one that moved.
    static func move(_ appointmentId: UUID, to newStart: Date, expectedVersion: Int?, clinicId: UUID, in tx: UnitOfWork,
                     now: Date) async throws -> (Appointment, [Appointment]) {
        try await tx.lockCalendar(clinicId: clinicId)
        let target = try await tx.appointment(id: appointmentId, clinicId: clinicId)
        if let expectedVersion, target.version != expectedVersion { throw StoreError.versionConflict(current: target.version) }
        guard target.status.canMove else {
            throw Refusal(ScheduleRefusal(field: "status", message: "only a booked appointment can be moved (this one is \(target.status.rawValue))"))
        }
        let zone = try await tx.clinicTimeZone(clinicId: clinicId)
        let series = try await tx.openSeries(of: target)
        let outcome = Reschedule.cascade(series: series.map(\.seriesItem), moving: appointmentId, to: newStart,
                                         minimumIntervalDays: target.minimumIntervalDays, timeZone: zone)
        let moves: [SeriesItem]
        switch outcome {
        case .refused(let reason): throw Refusal(ScheduleRefusal(field: "start", message: reason))
        case .moves(let m): moves = m
        }
        let changed = try await Refusal.mappingSchedule { try await tx.move(moves, of: series, clinicId: clinicId, now: now) }
        return (target, changed)
    }
}
