import Foundation
import ScarCore

/// What registering and editing a patient read and write inside their one transaction. Not
/// audited on their own: the use case audits `patient.create` / `patient.update` once.
extension UnitOfWork {
    /// Stores a new patient, numbering it when no record number was typed.
    public func insert(patient details: PatientDetails, clinicId: UUID, now: Date) async throws -> Patient {
        try await PatientRepository.insert(details, clinicId: clinicId, now: now, on: sql)
    }

    /// One patient of the clinic (not found otherwise).
    public func patient(id: UUID, clinicId: UUID) async throws -> Patient {
        try await PatientRepository.load(id: id, clinicId: clinicId, on: sql)
    }

    /// Stores new details over `before` (whose version the caller checked); a concurrent change is a version conflict.
    public func write(_ details: PatientDetails, over before: Patient, now: Date) async throws -> Patient {
        try await PatientRepository.write(details, over: before, now: now, on: sql)
    }
}

extension UnitOfWork {
    /// The clinic's patient with this record number (NFC, any case), if any.
    public func patient(recordNumber: String, clinicId: UUID) async throws -> Patient? {
        try await PatientRepository.find(recordNumber: recordNumber, clinicId: clinicId, on: sql)
    }
}
