import Foundation
import ScarCore

/// The view models of the protocol-template and plan pages.
enum PlanPages {
    /// A text input as the `plan-field` partial reads it: value, label, hint and the message beside it.
    struct Field {
        var name: String
        var id: String
        var label: String
        var value: String
        var error: String?
        var hint: String
        var required: Bool
        var numeric: Bool
    }

    /// One line of a form's error summary, linking to its field.
    struct ErrorItem {
        var field: String
        var label: String
        var message: String
    }

    typealias Option = SelectOption

    struct Adjunct {
        var value: String
        var label: String
        var checked: Bool
        var source: String
    }

    struct Hint {
        var id: String
        var kind: String
        var title: String
        var text: String
        var source: String
        var confidence: String
    }

    /// The patient's screening for the plan's modality (`intake` once an intake is recorded).
    struct Screening {
        struct Intake {
            struct Finding {
                var title: String
                var outcome: String
                var outcomeLabel: String
                var source: String
                var isOpen: Bool
                var isAcknowledged: Bool
            }

            var outcome: String
            var outcomeLabel: String
            var clears: Bool
            var ruleSetVersion: String
            var findings: [Finding]
        }

        var modality: String
        var intake: Intake?
    }

    struct Assessment {
        var url: String
        var assessedOn: String
        var dominant: String
        var grade: Int
    }

    /// Why a plan cannot be approved yet, or what to mind.
    struct Issue {
        var field: String
        var message: String
        var source: String?
    }

    /// One version of a plan as the `plan-version` partial shows it.
    struct Version {
        struct Depth { var zone: String; var depth: String }
        struct Approval { var approvedBy: String; var approvedAt: String; var approvalScreening: String }

        var id: String
        var number: Int
        var status: String
        var statusLabel: String
        var templateName: String
        var templateVersion: Int
        var templateURL: String
        var templateIsExample: Bool
        var device: String
        var sessions: Int
        var interval: String
        var sessionsSource: String?
        var intervalSource: String?
        var adjuncts: String
        var depths: [Depth]
        var deviceDepthLimit: String
        var rationale: String?
        var createdBy: String
        var createdAt: String
        var updatedAt: String
        var supersedes: Bool
        var approval: Approval?
        var postCare: String?
    }
}

/// The `plan` page's view model: the current version, approval, history and the side cards.
struct PlanPage {
    var patientName: String
    var patientURL: String
    var planId: String
    var planVersion: Int
    var editURL: String
    var approveURL: String
    var current: PlanPages.Version
    var isDraft: Bool
    var canPlan: Bool
    var canApprove: Bool
    var showApproval: Bool
    var blockers: [PlanPages.Issue]
    var cautions: [PlanPages.Issue]
    var banner: String?
    var hints: [PlanPages.Hint]
    var screening: PlanPages.Screening
    var assessment: PlanPages.Assessment?
    var history: [PlanPages.Version]
    var versionCount: Int
    var inForce: String
    var canBook: Bool
    var bookURL: String
}

/// The `plan-form` page's view model: a new plan from a template, or a draft being edited.
struct PlanFormPage {
    struct TemplateChoice {
        var id: String
        var name: String
        var selected: Bool
    }

    var patientName: String
    var patientURL: String
    var action: String
    var version: Int?
    var isNew: Bool
    var banner: String?
    var newVersionNote: Bool
    var nextNumber: Int
    var templateId: String
    var templateName: String
    var templateVersion: Int
    var templateURL: String
    var templateIsExample: Bool
    var templateDevice: String
    var templateChoices: [TemplateChoice]
    var newURL: String
    var errors: [PlanPages.ErrorItem]
    var errorCount: Int
    var depthHint: String
    var depthSource: String?
    var adjunctError: String?
    var hints: [PlanPages.Hint]
    var screening: PlanPages.Screening
    var assessment: PlanPages.Assessment?
    var sessions: PlanPages.Field
    var intervalDays: PlanPages.Field
    var depths: [PlanPages.Field]
    var adjuncts: [PlanPages.Adjunct]
    var rationale: PlanPages.Field
}

/// The `protocol-templates` page's view model.
struct ProtocolTemplatesPage {
    var templates: [ProtocolTemplateRow]
    var canEdit: Bool
}

/// A protocol template as the list shows it.
struct ProtocolTemplateRow {
    var url: String
    var name: String
    var isExample: Bool
    var version: Int
    var device: String
    var sessions: String
    var interval: String
    var adjuncts: String
    var id: String
}

/// The `protocol-template` page's view model: the current version with each default's source, and the versions.
struct ProtocolTemplatePage {
    struct Detail {
        struct Row { var label: String; var value: String }
        struct Zone { var label: String; var depth: String }

        var name: String
        var isExample: Bool
        var version: Int
        var device: String
        var sessions: String
        var interval: String
        var adjuncts: String
        var createdAt: String
        var createdBy: String
        var intervalRange: String
        var deviceDepthLimit: String
        var zones: [Zone]
        var isRF: Bool
        var rf: [Row]
        var postCare: String?
        var sessionsSource: String?
        var intervalSource: String?
        var intervalRangeSource: String?
        var adjunctsSource: String?
        var deviceDepthLimitSource: String?
        var depthsSource: String?
        var rfSource: String?
        var postCareSource: String?
    }

    struct Version {
        var version: Int
        var name: String
        var createdBy: String
        var createdAt: String
        var isCurrent: Bool
        var sessions: String
        var interval: String
    }

    var template: Detail
    var canEdit: Bool
    var editURL: String
    var versions: [Version]
}

/// The `protocol-template-form` page's view model: a new template, or a new version of one.
struct ProtocolTemplateFormPage {
    var formTitle: String
    var action: String
    var version: Int?
    var banner: String?
    var errors: [PlanPages.ErrorItem]
    var errorCount: Int
    var name: PlanPages.Field
    var isExample: Bool
    var modalityOptions: [PlanPages.Option]
    var modalityError: String?
    var deviceOptions: [PlanPages.Option]
    var deviceError: String?
    var adjuncts: [PlanPages.Adjunct]
    var adjunctError: String?
    var insulationOptions: [PlanPages.Option]
    var electrodeOptions: [PlanPages.Option]
    var rfChoiceError: String?
    var numbers: [PlanPages.Field]
    var deviceDepthLimit: PlanPages.Field
    var depths: [PlanPages.Field]
    var rfFields: [PlanPages.Field]
    var postCare: PlanPages.Field
    var sources: [PlanPages.Field]
}
