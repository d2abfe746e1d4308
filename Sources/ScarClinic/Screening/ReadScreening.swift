import Foundation
import ScarCore
import ScarStore

/// The screening a patient has today, per modality, with the acknowledgements already recorded.
public struct CurrentScreening: Sendable {
    public var intake: IntakeRepository.IntakeRecord?
    public var results: [ScreeningResult]
    public var acknowledgements: [ScreeningAcknowledgement]
    public var ruleSet: RuleSet

    public init(intake: IntakeRepository.IntakeRecord?, results: [ScreeningResult], acknowledgements: [ScreeningAcknowledgement],
                ruleSet: RuleSet) {
        self.intake = intake
        self.results = results
        self.acknowledgements = acknowledgements
        self.ruleSet = ruleSet
    }
}

/// Reading today's screening (the patient page, the screening API, planning): one write
/// transaction that reads the latest intake, its acknowledgements and the clinic's rule set,
/// screens every modality as of the clinic's today (ScarCore), stores those results (once a day
/// per rule-set version) and appends one `screening.read` entry.
public struct ReadScreening: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// A patient of another clinic is `StoreError.notFound`.
    public func callAsFunction(patientId: UUID, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> CurrentScreening {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let inputs = try await tx.screeningInputs(patientId: patientId, clinicId: clinicId)
            var results: [ScreeningResult] = []
            if let intake = inputs.intake {
                results = Modality.allCases.map {
                    Screening.evaluate(intake: intake.intake, modality: $0, asOf: clinician.today, ruleSet: inputs.ruleSet)
                }
                try await tx.insert(screenings: results, intakeId: intake.id, patientId: patientId, clinicId: clinicId, now: now)
            }
            try await tx.audit(AuditEvent(action: "screening.read", recordType: "intake", recordId: inputs.intake?.id.uuidString,
                                          patientId: patientId), by: actor, now: now)
            return CurrentScreening(intake: inputs.intake, results: results,
                                    acknowledgements: inputs.intake == nil ? [] : inputs.acknowledgements, ruleSet: inputs.ruleSet)
        })
    }
}
