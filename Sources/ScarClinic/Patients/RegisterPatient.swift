import Foundation
import ScarCore
import ScarStore

/// Registering a patient: one write transaction that numbers the record when no number was
/// typed (`ST-000001` onwards), stores it and appends one `patient.create` entry. The details
/// arrive validated (`PatientDetails.validate` against the clinic's today); a record number
/// already used is `StoreError.duplicate(field: "mrn")`, and nothing is written.
public struct RegisterPatient: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ details: PatientDetails, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> Patient {
        try await database.write(unitOfWork: { tx in
            let patient = try await tx.insert(patient: details, clinicId: clinician.clinicId, now: now)
            try await tx.audit(PatientRepository.registrationEvent(patient), by: actor, now: now)
            return patient
        })
    }
}

/// Editing a patient's details: one write transaction that reads the record, checks the version
/// the editor saw, turns it into the new details (`change`: a form's values, or a JSON merge
/// patch over the stored ones, validated there), stores them and appends one `patient.update`
/// entry naming the changed fields. A stale version is `StoreError.versionConflict`; a refused
/// change or a record number already used writes nothing.
public struct EditPatient: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(patientId: UUID, expectedVersion: Int, by clinician: Clinician, actor: AuditActor, now: Date,
                               change: @escaping @Sendable (Patient) throws -> PatientDetails) async throws -> Patient {
        try await database.write(unitOfWork: { tx in
            let before = try await tx.patient(id: patientId, clinicId: clinician.clinicId)
            guard before.version == expectedVersion else { throw StoreError.versionConflict(current: before.version) }
            let after = try await tx.write(try change(before), over: before, now: now)
            try await tx.audit(PatientRepository.updateEvent(before, after), by: actor, now: now)
            return after
        })
    }
}
