import Foundation

/// The screening templates' view models: the patient page's Screening card, the `intake-form`
/// page and the `rules` page. Optionals are named so no enclosing model has the same name.
enum ScreeningPages {
    struct Acknowledged {
        var ackBy: String
        var ackReason: String
        var ackAt: String
    }

    struct Finding {
        var rule: String
        var title: String
        var outcome: String
        var outcomeLabel: String
        var reason: String
        var source: String
        var confidence: String
        var isOpen: Bool
        var canAcknowledge: Bool
        var acknowledged: Acknowledged?
        var modality: String
    }

    struct ModalityResult {
        var modality: String
        var label: String
        var outcome: String
        var outcomeLabel: String
        var deferText: String?
        var clears: Bool
        var findings: [Finding]
    }

    struct CurrentIntake {
        var acknowledgeURL: String
        var intakeRecordedOn: String
        var intakeRecordedBy: String
        var fitzpatrick: String
        var ruleSetVersion: String
        var modalities: [ModalityResult]
    }

    /// The patient page's Screening card (`{{#screening}}`); no intake yet when `currentIntake` is nil.
    struct Card {
        var intakeURL: String
        var currentIntake: CurrentIntake?
    }

    /// The `intake-form` page.
    struct IntakePage {
        var patientName: String
        var patientURL: String
        var action: String
        var previousOn: String?
        var fields: IntakeForm.Fields
    }

    struct Rule {
        var id: String
        var version: String
        var title: String
        var outcome: String
        var outcomeLabel: String
        var modalities: String
        var window: String?
        var windowDays: String
        var windowMonths: String
        var rationale: String
        var source: String
        var confidence: String
        var outcomeOptions: [SelectOption]
        var errors: [String]
    }

    /// The `rules` page.
    struct RulesPage {
        var version: String
        var isDefault: Bool
        var canEdit: Bool
        var rules: [Rule]
    }
}
