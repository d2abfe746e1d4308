import Foundation
import ScarClinic
import ScarCore
import ScarStore

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
