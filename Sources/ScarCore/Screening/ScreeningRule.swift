/// One screening rule: when `criterion` holds for an intake and the modality is listed, the
/// rule yields a finding with `outcome`. Codable so a clinic's adjusted rule set can be stored
/// as JSON; `source` and `confidence` come from the domain reference and travel with the rule
/// so the product can show them next to the outcome (Decision 8).
public struct ScreeningRule: Sendable, Hashable, Codable, Identifiable {
    /// Stable identifier, e.g. `active-acne-in-area`.
    public var id: String
    /// Bumped whenever the rule's meaning, outcome or parameters change.
    public var version: String
    /// Short label for lists and the audit trail.
    public var title: String
    public var criterion: ScreeningCriterion
    public var modalities: [Modality]
    public var outcome: ScreeningOutcome
    public var parameters: RuleParameters
    /// Why the rule exists, in the reference's terms; the first part of each finding's reason.
    public var rationale: String
    /// Citation text as given in the domain reference.
    public var source: String
    public var confidence: ConfidenceTag

    public init(id: String, version: String, title: String, criterion: ScreeningCriterion, modalities: [Modality],
                outcome: ScreeningOutcome, parameters: RuleParameters = .none, rationale: String, source: String,
                confidence: ConfidenceTag) {
        self.id = id
        self.version = version
        self.title = title
        self.criterion = criterion
        self.modalities = modalities
        self.outcome = outcome
        self.parameters = parameters
        self.rationale = rationale
        self.source = source
        self.confidence = confidence
    }

    public func applies(to modality: Modality) -> Bool { modalities.contains(modality) }
}
