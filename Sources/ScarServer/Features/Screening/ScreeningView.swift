import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// Template data for the screening card on the patient page and the rules page.
enum ScreeningView {
    static func outcomeLabel(_ o: ScreeningOutcome) -> String { ScreeningLabels.outcome(o) }

    static func modalityLabel(_ m: Modality) -> String { ScreeningLabels.modality(m) }

    /// The patient page's Screening card: today's screening (computed and stored once a day).
    static let patientPageCard = PatientPageCard(key: "screening", order: 10) { page, context in
        card(page.screening, patientURL: PatientLinks.url(page.patient.id),
             canAcknowledge: ScreeningAPIController.clinicians.allows(context.signedInUser.role))
    }

    static func card(_ s: CurrentScreening, patientURL: String, canAcknowledge: Bool) -> [String: Any] {
        guard let intake = s.intake else { return ["hasIntake": false, "intakeURL": patientURL + "/intake/new"] }
        return [
            "hasIntake": true,
            "intakeURL": patientURL + "/intake/new",
            "acknowledgeURL": patientURL + "/screening/acknowledge",
            "intakeRecordedOn": intake.recordedOn.description,
            "intakeRecordedBy": intake.recordedBy,
            "fitzpatrick": intake.intake.fitzpatrick.map { "Type \($0.roman)" } ?? "not recorded",
            "ruleSetVersion": s.ruleSet.version,
            "modalities": s.results.map { r in
                let acks = s.acknowledgements.filter { $0.modality == r.modality }
                let open = Set(r.openAcknowledgements(acks).map(\.rule))
                var deferText = ""
                if r.outcome == .defer { deferText = r.deferUntil.map { "until \($0)" } ?? "until the clinician re-assesses" }
                return [
                    "modality": r.modality.rawValue, "label": modalityLabel(r.modality),
                    "outcome": r.outcome.rawValue, "outcomeLabel": outcomeLabel(r.outcome), "deferText": deferText,
                    "hasDeferText": !deferText.isEmpty, "clears": r.clearsTreatment(acks),
                    "hasFindings": !r.findings.isEmpty,
                    "findings": r.findings.map { f in
                        let ack = acks.first { $0.rule == f.rule }
                        return [
                            // A finding that does not restrict treatment is guidance (e.g. PIH risk).
                            "rule": f.rule, "title": f.title, "outcome": f.outcome.rawValue,
                            "outcomeLabel": f.outcome == .eligible ? "Guidance" : outcomeLabel(f.outcome),
                            "reason": f.reason, "source": f.source, "confidence": f.confidence.readerLabel,
                            "isOpen": open.contains(f.rule), "canAcknowledge": canAcknowledge && open.contains(f.rule),
                            "isAcknowledged": ack != nil, "ackBy": ack?.acknowledgedBy ?? "", "ackReason": ack?.reason ?? "",
                            "ackAt": ack.map { ViewDates.timestamp($0.acknowledgedAt) } ?? "",
                            "modality": r.modality.rawValue,
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
        ]
    }

    /// One rule on the rules page, with its edit form (and the refused change's errors).
    static func ruleRow(_ r: ScreeningRule, failed: Bool, errors: [FieldError]) -> [String: Any] {
        [
            "id": r.id, "version": r.version, "title": r.title, "outcome": r.outcome.rawValue,
            "outcomeLabel": outcomeLabel(r.outcome),
            "modalities": r.modalities.map(modalityLabel).joined(separator: ", "),
            "window": r.parameters.windowDescription ?? "", "hasWindow": r.parameters.hasWindow,
            "windowDays": r.parameters.windowDays.map(String.init) ?? "", "windowMonths": r.parameters.windowMonths.map(String.init) ?? "",
            "rationale": r.rationale, "source": r.source, "confidence": r.confidence.readerLabel,
            "outcomeOptions": ScreeningOutcome.allCases.map { ["value": $0.rawValue, "label": outcomeLabel($0), "selected": $0 == r.outcome] },
            "hasErrors": failed, "errors": failed ? errors.map { ["message": "\($0.field) \($0.message)"] } : [],
        ]
    }
}
