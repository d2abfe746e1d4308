import Foundation
import ScarCore

/// What recording an intake reads and writes inside its one transaction (the patient's lock is
/// `lockPatient`; the latest inputs are `screeningInputs`). Not audited on their own: the use
/// case audits `intake.create` once, naming the screening it stored.
extension UnitOfWork {
    public func insert(intake: Intake, patientId: UUID, clinicId: UUID, recordedOn: CalendarDate, by actor: AuditActor,
                       now: Date) async throws -> IntakeRepository.IntakeRecord {
        try await IntakeRepository.insert(intake, patientId: patientId, clinicId: clinicId, recordedOn: recordedOn, by: actor, now: now, on: sql)
    }

    /// The clinic's rule set now: its latest adjusted version, or the default.
    public func ruleSet(clinicId: UUID) async throws -> RuleSet {
        try await IntakeRepository.ruleSet(clinicId: clinicId, on: sql)
    }

    /// Stores screening results of an intake (one per modality, day and rule-set version).
    public func insert(screenings results: [ScreeningResult], intakeId: UUID, patientId: UUID, clinicId: UUID, now: Date) async throws {
        _ = try await IntakeRepository.insert(results, intakeId: intakeId, patientId: patientId, clinicId: clinicId, now: now, on: sql)
    }
}

extension UnitOfWork {
    /// Stores an acknowledgement of an intake of the patient's (not found otherwise).
    public func insert(acknowledgement ack: ScreeningAcknowledgement, intakeId: UUID, patientId: UUID, clinicId: UUID,
                       by actor: AuditActor) async throws {
        try await IntakeRepository.insert(ack, intakeId: intakeId, patientId: patientId, clinicId: clinicId, by: actor, on: sql)
    }
}
