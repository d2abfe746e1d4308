import Foundation
import ScarCore

/// The schedule's reads and writes inside a use case's transaction (not audited on their own).
extension UnitOfWork {
    public func appointment(id: UUID, clinicId: UUID) async throws -> Appointment {
        try await ScheduleRepository.row(id: id, clinicId: clinicId, on: sql)
    }

    /// The appointment read again under its patient's lock (so a change to the patient's record
    /// at the same moment is either seen or waits), at the version the caller last read.
    public func lockedAppointment(id: UUID, clinicId: UUID, expectedVersion: Int) async throws -> Appointment {
        let found = try await appointment(id: id, clinicId: clinicId)
        try await lockPatient(found.patientId, clinicId: clinicId)
        let a = try await appointment(id: id, clinicId: clinicId)
        guard a.version == expectedVersion else { throw StoreError.versionConflict(current: a.version) }
        return a
    }

    /// Stores a status change the use case decided; returns the appointment as stored.
    public func write(status: AppointmentStatus, of appointment: Appointment, now: Date) async throws -> Appointment {
        try await ScheduleRepository.write(status: status, of: appointment, on: sql, now: now)
    }

    /// Serializes bookings and moves of the clinic's calendar until the transaction ends, so
    /// the overlap check and the write are atomic (PostgreSQL advisory lock; SQLite's writes are serialized).
    public func lockCalendar(clinicId: UUID) async throws {
        try await ScheduleRepository.lockCalendar(clinicId: clinicId, engine: engine, on: sql)
    }

    public func clinicTimeZone(clinicId: UUID) async throws -> TimeZone {
        try await ScheduleRepository.clinic(clinicId, on: sql).zone
    }

    public func scheduleSettings(clinicId: UUID) async throws -> ScheduleSettings {
        try await ScheduleRepository.settings(clinicId: clinicId, on: sql)
    }

    public func bookableDevices(clinicId: UUID) async throws -> [BookableDevice] {
        try await ScheduleRepository.devices(clinicId: clinicId, on: sql)
    }

    /// The open appointments (booked or checked in) of the appointment's series, earliest first.
    public func openSeries(of appointment: Appointment) async throws -> [Appointment] {
        try await ScheduleRepository.openSeries(of: appointment, on: sql)
    }

    /// What placement needs for these resources between `from` and `to`.
    public func availability(clinicId: UUID, practitionerId: UUID, roomId: UUID, deviceId: UUID?, from: Date, to: Date) async throws -> Availability {
        try await ScheduleRepository.availability(clinicId: clinicId, practitionerId: practitionerId, roomId: roomId, deviceId: deviceId,
                                                  from: from, to: to, excluding: [], on: sql)
    }

    /// The first appointment already holding the practitioner, room or device during `start..<end`.
    public func conflict(clinicId: UUID, practitionerId: UUID, roomId: UUID, deviceId: UUID?, start: Date, end: Date) async throws -> ScheduleConflict? {
        try await ScheduleRepository.conflict(clinicId: clinicId, practitionerId: practitionerId, roomId: roomId, deviceId: deviceId,
                                              start: start, end: end, excluding: [], on: sql)
    }

    /// Writes the moves a reschedule decided, each checked against the calendar (throws
    /// `ScheduleConflict` or `ScheduleRefusal`, moving nothing); returns the moved appointments.
    public func move(_ moves: [SeriesItem], of series: [Appointment], clinicId: UUID, now: Date) async throws -> [Appointment] {
        try await ScheduleRepository.move(moves, of: series, clinicId: clinicId, on: sql, now: now)
    }

    /// Books the series (each item checked against the calendar; throws `ScheduleConflict` or
    /// `ScheduleRefusal`, booking nothing); returns the appointments as stored.
    public func insertSeries(_ booking: SeriesBooking, clinicId: UUID, createdBy: UUID?, now: Date) async throws -> [Appointment] {
        try await ScheduleRepository.insertSeries(booking, clinicId: clinicId, createdBy: createdBy, on: sql, now: now)
    }

    /// The patient's plan, read without an audit entry (the booking audits its intent).
    public func plan(id: UUID, patientId: UUID, clinicId: UUID) async throws -> TreatmentPlan? {
        guard let plan = try? await PlanRepository.load(planId: id, clinicId: clinicId, on: sql), plan.patientId == patientId else { return nil }
        return plan
    }

    /// The plan of a version, if the version is one of this patient's.
    public func planId(ofVersion versionId: UUID, patientId: UUID, clinicId: UUID) async throws -> UUID? {
        try await CoursePlanLinks.planId(ofVersion: versionId, patientId: patientId, clinicId: clinicId, on: sql)
    }
}
