import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The view models of the screening card on the patient page and of the rules page.
enum ScreeningView {
    static func outcomeLabel(_ o: ScreeningOutcome) -> String { ScreeningLabels.outcome(o) }

    static func modalityLabel(_ m: Modality) -> String { ScreeningLabels.modality(m) }

    /// The patient page's Screening card: today's screening (computed and stored once a day).
    static let patientPageCard = PatientPageCard(key: "screening", order: 10) { page, context in
        card(page.screening, patientURL: PatientLinks.url(page.patient.id),
             canAcknowledge: AccessPolicy.clinicians.allows(context.signedInUser.role))
    }

    static func card(_ s: CurrentScreening, patientURL: String, canAcknowledge: Bool) -> ScreeningPages.Card {
        let intakeURL = patientURL + "/intake/new"
        guard let intake = s.intake else { return .init(intakeURL: intakeURL, currentIntake: nil) }
        return .init(intakeURL: intakeURL, currentIntake: .init(
            acknowledgeURL: patientURL + "/screening/acknowledge", intakeRecordedOn: intake.recordedOn.description,
            intakeRecordedBy: intake.recordedBy, fitzpatrick: intake.intake.fitzpatrick.map { "Type \($0.roman)" } ?? "not recorded",
            ruleSetVersion: s.ruleSet.version,
            modalities: s.results.map { r -> ScreeningPages.ModalityResult in
                let acks = s.acknowledgements.filter { $0.modality == r.modality }
                let open = Set(r.openAcknowledgements(acks).map(\.rule))
                let deferText: String? = r.outcome == .defer ? r.deferUntil.map { "until \($0)" } ?? "until the clinician re-assesses" : nil
                return .init(
                    modality: r.modality.rawValue, label: modalityLabel(r.modality), outcome: r.outcome.rawValue,
                    outcomeLabel: outcomeLabel(r.outcome), deferText: deferText, clears: r.clearsTreatment(acks),
                    findings: r.findings.map { f in
                        .init(rule: f.rule, title: f.title, outcome: f.outcome.rawValue,
                              // A finding that does not restrict treatment is guidance (e.g. PIH risk).
                              outcomeLabel: f.outcome == .eligible ? "Guidance" : outcomeLabel(f.outcome),
                              reason: f.reason, source: f.source, confidence: f.confidence.readerLabel,
                              isOpen: open.contains(f.rule), canAcknowledge: canAcknowledge && open.contains(f.rule),
                              acknowledged: acks.first { $0.rule == f.rule }.map {
                                  .init(ackBy: $0.acknowledgedBy, ackReason: $0.reason, ackAt: ViewDates.timestamp($0.acknowledgedAt))
                              },
                              modality: r.modality.rawValue)
                    })
            }))
    }

    /// One rule on the rules page, with its edit form (and the refused change's errors).
    static func ruleRow(_ r: ScreeningRule, failed: Bool, errors: [FieldError]) -> ScreeningPages.Rule {
        let messages: [String] = failed ? errors.map { "\($0.field) \($0.message)" } : []
        return .init(id: r.id, version: r.version, title: r.title, outcome: r.outcome.rawValue, outcomeLabel: outcomeLabel(r.outcome),
              modalities: r.modalities.map(modalityLabel).joined(separator: ", "),
              window: r.parameters.hasWindow ? r.parameters.windowDescription ?? "" : nil,
              windowDays: r.parameters.windowDays.map(String.init) ?? "", windowMonths: r.parameters.windowMonths.map(String.init) ?? "",
              rationale: r.rationale, source: r.source, confidence: r.confidence.readerLabel,
              outcomeOptions: ScreeningOutcome.allCases.map { .init(value: $0.rawValue, label: outcomeLabel($0), selected: $0 == r.outcome) },
              errors: messages)
    }
}
