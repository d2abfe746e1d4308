import Foundation
import ScarCore
import ScarStore

/// Acknowledging a screening finding before treating (who, when, why): one write transaction that
/// takes the patient's lock (an intake recorded at the same moment is seen or lands after), reads
/// the latest intake, its acknowledgements and the clinic's rule set, screens the modality as of
/// the clinic's today (ScarCore), refuses unless the rule is an open acknowledge-finding, stores the
/// acknowledgement and appends one `screening.acknowledge` entry.
public struct AcknowledgeFinding: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// `reason` arrives checked (`ScreeningAcknowledgement.validateReason`). Refused as a conflict
    /// when there is no intake yet or the rule is not open today.
    public func callAsFunction(patientId: UUID, rule: String, modality: Modality, reason: String, by clinician: Clinician,
                               actor: AuditActor, now: Date) async throws -> ScreeningAcknowledgement {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            try await tx.lockPatient(patientId, clinicId: clinicId)
            let inputs = try await tx.screeningInputs(patientId: patientId, clinicId: clinicId)
            guard let intake = inputs.intake else {
                throw Refusal(.conflict, "No intake yet", detail: "Record an intake before acknowledging findings.")
            }
            let result = Screening.evaluate(intake: intake.intake, modality: modality, asOf: clinician.today, ruleSet: inputs.ruleSet)
            guard result.openAcknowledgements(inputs.acknowledgements).contains(where: { $0.rule == rule }) else {
                throw Refusal(.conflict, "Nothing to acknowledge", detail: "\(rule) is not an open acknowledge-finding for \(modality.rawValue) today.",
                              fields: [FieldError("rule", "is not an open acknowledge-finding")])
            }
            let ack = ScreeningAcknowledgement(rule: rule, modality: modality, reason: reason, acknowledgedBy: clinician.user.email,
                                               acknowledgedAt: now)
            try await tx.insert(acknowledgement: ack, intakeId: intake.id, patientId: patientId, clinicId: clinicId, by: actor)
            try await tx.audit(IntakeRepository.acknowledgementEvent(ack, intakeId: intake.id, patientId: patientId), by: actor, now: now)
            return ack
        })
    }
}
