import Foundation
import ScarCore
import ScarStore

/// The screening a patient has today, per modality: computed in ScarCore from the latest
/// intake with the clinic's rule set, stored (once a day per rule-set version), and shown
/// with the acknowledgements already recorded. API and pages both use this.
struct CurrentScreening: Sendable {
    var intake: IntakeRepository.IntakeRecord?
    var results: [ScreeningResult]
    var acknowledgements: [ScreeningAcknowledgement]
    var ruleSet: RuleSet

    static func load(patientId: UUID, context: AppContext, intakes: IntakeRepository) async throws -> CurrentScreening {
        let user = context.user!
        let inputs = try await intakes.screeningInputs(patientId: patientId, clinicId: user.clinicId, by: context.auditActor)
        guard let intake = inputs.intake else {
            return CurrentScreening(intake: nil, results: [], acknowledgements: [], ruleSet: inputs.ruleSet)
        }
        let today = context.today
        let results = Modality.allCases.map {
            Screening.evaluate(intake: intake.intake, modality: $0, asOf: today, ruleSet: inputs.ruleSet)
        }
        try await intakes.store(results, intakeId: intake.id, patientId: patientId, clinicId: user.clinicId, by: context.auditActor)
        return CurrentScreening(intake: intake, results: results, acknowledgements: inputs.acknowledgements, ruleSet: inputs.ruleSet)
    }
}

/// JSON shapes of the screening API.
struct ScreeningJSON: Encodable {
    var intake: IntakeSummaryJSON?
    var ruleSetVersion: String
    var screenings: [ModalityJSON]

    struct ModalityJSON: Encodable {
        var result: ScreeningResult
        var acknowledgements: [ScreeningAcknowledgement]
        var openAcknowledgements: [String]
        var clearsTreatment: Bool
    }

    init(_ s: CurrentScreening) {
        intake = s.intake.map(IntakeSummaryJSON.init)
        ruleSetVersion = s.ruleSet.version
        screenings = s.results.map { r in
            let acks = s.acknowledgements.filter { $0.modality == r.modality }
            return ModalityJSON(result: r, acknowledgements: acks, openAcknowledgements: r.openAcknowledgements(acks).map(\.rule),
                                clearsTreatment: r.clearsTreatment(acks))
        }
    }
}

struct IntakeSummaryJSON: Encodable {
    var id: String
    var recordedOn: String
    var recordedAt: Date
    var recordedBy: String
    var intake: Intake

    init(_ r: IntakeRepository.IntakeRecord) {
        id = r.id.lower
        recordedOn = r.recordedOn.description
        recordedAt = r.recordedAt
        recordedBy = r.recordedBy
        intake = r.intake
    }
}
