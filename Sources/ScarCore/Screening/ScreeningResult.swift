/// One rule that matched an intake, with the wording and citation to show next to it.
public struct ScreeningFinding: Sendable, Hashable, Codable {
    /// The rule's id.
    public var rule: String
    public var ruleVersion: String
    public var title: String
    public var outcome: ScreeningOutcome
    /// Human wording: what matched, what the reference says, any computed date.
    public var reason: String
    public var source: String
    public var confidence: ConfidenceTag
    /// Only for `defer` findings with a computable end; nil means "until resolved".
    public var deferUntil: CalendarDate?

    public init(rule: String, ruleVersion: String, title: String, outcome: ScreeningOutcome, reason: String,
                source: String, confidence: ConfidenceTag, deferUntil: CalendarDate?) {
        self.rule = rule
        self.ruleVersion = ruleVersion
        self.title = title
        self.outcome = outcome
        self.reason = reason
        self.source = source
        self.confidence = confidence
        self.deferUntil = deferUntil
    }
}

/// The outcome of screening one intake for one modality on one day. Stored as computed, with
/// the rule set version, so a later change to the rules never rewrites what was shown.
public struct ScreeningResult: Sendable, Hashable, Codable {
    public var modality: Modality
    public var asOf: CalendarDate
    /// The most severe finding's outcome; `eligible` when nothing matched.
    public var outcome: ScreeningOutcome
    /// The latest `deferUntil` among `defer` findings; nil when there is no `defer` finding or
    /// when any of them has no computable date (it lasts "until resolved").
    public var deferUntil: CalendarDate?
    public var ruleSetVersion: String
    /// Most severe first; rule-set order within the same outcome.
    public var findings: [ScreeningFinding]

    public init(modality: Modality, asOf: CalendarDate, outcome: ScreeningOutcome, deferUntil: CalendarDate?,
                ruleSetVersion: String, findings: [ScreeningFinding]) {
        self.modality = modality
        self.asOf = asOf
        self.outcome = outcome
        self.deferUntil = deferUntil
        self.ruleSetVersion = ruleSetVersion
        self.findings = findings
    }
}
