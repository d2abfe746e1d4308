import Foundation

/// One reason a plan cannot be approved (or a caution shown beside the approve button), with
/// the source of the rule that raised it.
public struct PlanApprovalIssue: Sendable, Hashable, Codable {
    /// `rationale`, `screening`, or the screening rule's id.
    public var field: String
    public var message: String
    public var source: String?

    public init(field: String, message: String, source: String? = nil) {
        self.field = field
        self.message = message
        self.source = source
    }
}

/// Whether a plan version may be approved now. Pure: the caller passes today's screening of
/// the patient (for every modality; the plan's own is picked here) and the acknowledgements
/// recorded for the latest intake.
public enum PlanApproval {
    public static let minimumRationaleLength = 10

    public struct Check: Sendable, Hashable {
        /// Any of these stops the approval.
        public var blockers: [PlanApprovalIssue]
        /// Shown, never blocking (e.g. a `defer` finding: the sessions wait, the plan need not).
        public var cautions: [PlanApprovalIssue]
        public var canApprove: Bool { blockers.isEmpty }
    }

    public static func check(content: PlanContent, template: ProtocolTemplateDefinition, screening: [ScreeningResult],
                             acknowledgements: [ScreeningAcknowledgement]) -> Check {
        var blockers: [PlanApprovalIssue] = []
        var cautions: [PlanApprovalIssue] = []

        if let failure = validationErrors(content, template) {
            blockers += failure.map { PlanApprovalIssue(field: $0.field, message: $0.message) }
        }
        if (content.rationale?.count ?? 0) < minimumRationaleLength {
            blockers.append(PlanApprovalIssue(field: "rationale", message: "A rationale of at least \(minimumRationaleLength) characters is required to approve a plan."))
        }

        let modality = template.modality
        let modalityName = modality == .microneedling ? "microneedling" : "RF microneedling"
        guard let result = screening.first(where: { $0.modality == modality }) else {
            blockers.append(PlanApprovalIssue(field: "screening", message: "No intake has been screened for this patient; record an intake before approving a plan."))
            return Check(blockers: blockers, cautions: cautions)
        }
        for f in result.findings where f.outcome == .contraindicated {
            blockers.append(PlanApprovalIssue(field: f.rule, message: "Screening says \(modalityName) is contraindicated: \(f.title). \(f.reason)", source: f.source))
        }
        for f in result.openAcknowledgements(acknowledgements) {
            blockers.append(PlanApprovalIssue(field: f.rule, message: "\(f.title) needs a clinician's acknowledgement on the screening before the plan can be approved. \(f.reason)", source: f.source))
        }
        for f in result.findings where f.outcome == .defer {
            let until = f.deferUntil.map { " until \($0)" } ?? " until resolved"
            cautions.append(PlanApprovalIssue(field: f.rule, message: "\(f.title): sessions are deferred\(until). \(f.reason)", source: f.source))
        }
        return Check(blockers: blockers, cautions: cautions)
    }

    /// The template's ranges are re-checked at approval (a stored draft could predate a fix).
    static func validationErrors(_ c: PlanContent, _ t: ProtocolTemplateDefinition) -> [FieldError]? {
        switch PlanInput(c).validate(against: t) {
        case .success: return nil
        case .failure(let f): return f.errors
        }
    }
}
