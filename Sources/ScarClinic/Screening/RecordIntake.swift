import Foundation
import ScarCore
import ScarStore

/// Recording an intake (medical history): one write transaction that takes the patient's lock (a
/// plan being approved or a session being signed either sees this intake or lands first), stores
/// the intake, screens it for every modality as of the clinic's today with the clinic's rule set
/// (ScarCore `Screening.evaluate`), stores that screening with it and appends one `intake.create`
/// entry naming the rule-set version and each modality's outcome.
public struct RecordIntake: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The stored intake and the screening computed from it (no acknowledgements yet: they belong to an intake).
    public struct Recorded: Sendable {
        public var intake: IntakeRepository.IntakeRecord
        public var screening: [ScreeningResult]
        public var ruleSet: RuleSet
    }

    /// A patient of another clinic is `StoreError.notFound`, and nothing is written.
    public func callAsFunction(_ intake: Intake, patientId: UUID, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> Recorded {
        try await record(intake, patientId: patientId, clinicId: clinician.clinicId, today: clinician.today, inPortal: false, actor: actor, now: now)
    }

    /// The patient's own intake from the portal (identity from the portal session): the same
    /// screening and audit, marked as entered by the patient; a Fitzpatrick type they give is
    /// recorded as self-reported (a hint for the clinician, never clinician-assessed).
    public func callAsFunction(_ intake: Intake, for patient: PortalPatient, actor: AuditActor, now: Date) async throws -> Recorded {
        var intake = intake
        intake.fitzpatrickMethod = intake.fitzpatrick == nil ? nil : .selfReported
        return try await record(intake, patientId: patient.patientId, clinicId: patient.clinicId, today: patient.today, inPortal: true,
                                actor: actor, now: now)
    }

    func record(_ intake: Intake, patientId: UUID, clinicId: UUID, today: CalendarDate, inPortal: Bool, actor: AuditActor,
                now: Date) async throws -> Recorded {
        try await database.write(unitOfWork: { tx in
            let futureDates = intake.futureDateErrors(today: today)
            if !futureDates.isEmpty { throw Refusal.invalid(futureDates) }
            try await tx.lockPatient(patientId, clinicId: clinicId)
            let ruleSet = try await tx.ruleSet(clinicId: clinicId)
            let record = try await tx.insert(intake: intake, patientId: patientId, clinicId: clinicId, recordedOn: today,
                                             by: actor, now: now)
            if inPortal { try await tx.markEnteredInPortal(intakeId: record.id) }
            let screening = Modality.allCases.map {
                Screening.evaluate(intake: intake, modality: $0, asOf: today, ruleSet: ruleSet)
            }
            try await tx.insert(screenings: screening, intakeId: record.id, patientId: patientId, clinicId: clinicId, now: now)
            try await tx.audit(AuditEvent(action: "intake.create", recordType: "intake", recordId: record.id.uuidString, patientId: patientId,
                                          details: ["ruleSetVersion": ruleSet.version,
                                                    "screening": screening.map { "\($0.modality.rawValue):\($0.outcome.rawValue)" }
                                                        .joined(separator: ",")].merging(inPortal ? ["enteredVia": "portal"] : [:]) { a, _ in a }),
                               by: actor, now: now)
            return Recorded(intake: record, screening: screening, ruleSet: ruleSet)
        })
    }
}
