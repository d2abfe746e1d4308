import Foundation
import ScarCore

/// The schedule's reads and writes inside a use case's transaction (not audited on their own).
extension UnitOfWork {
    public func appointment(id: UUID, clinicId: UUID) async throws -> Appointment {
        try await ScheduleRepository.row(id: id, clinicId: clinicId, on: sql)
    }

    /// Stores a status change the use case decided; returns the appointment as stored.
    public func write(status: AppointmentStatus, of appointment: Appointment, now: Date) async throws -> Appointment {
        try await ScheduleRepository.write(status: status, of: appointment, on: sql, now: now)
    }
}
