/// A clinic admin's change to one rule: its outcome and its window. Applying it yields a new
/// rule-set version; the rule's source stays, so the page still shows where the default came from.
public struct RuleAdjustment: Sendable, Equatable {
    public var ruleId: String
    public var outcome: ScreeningOutcome
    public var windowDays: Int?
    public var windowMonths: Int?

    public init(ruleId: String, outcome: ScreeningOutcome, windowDays: Int?, windowMonths: Int?) {
        self.ruleId = ruleId
        self.outcome = outcome
        self.windowDays = windowDays
        self.windowMonths = windowMonths
    }

    /// Rules whose outcome the product fixes, whatever a clinic configures. Isotretinoin is a
    /// warning that needs acknowledgement, never a block (domain reference, Decision 3);
    /// Fitzpatrick items are guidance, never a block (issue 3).
    static let outcomeCeilings: [ScreeningCriterion: ScreeningOutcome] = [
        .isotretinoinCurrentOrRecent: .acknowledge,
        .fitzpatrickIVtoVI: .eligible, .fitzpatrickNotRecorded: .eligible, .fitzpatrickSelfReported: .eligible,
    ]

    /// The rule set with this change, renamed `newVersion`, or every problem with the change.
    public func applied(to ruleSet: RuleSet, newVersion: String) -> Result<RuleSet, ValidationFailure> {
        guard let index = ruleSet.rules.firstIndex(where: { $0.id == ruleId }) else {
            return .failure(ValidationFailure([FieldError("rule", "is not a rule of this rule set")]))
        }
        var errors: [FieldError] = []
        var rule = ruleSet.rules[index]
        if let ceiling = Self.outcomeCeilings[rule.criterion], ceiling < outcome {
            errors.append(FieldError("outcome", "may be at most \(ceiling.rawValue) for this rule (a product decision, see its source)"))
        }
        if rule.parameters.hasWindow || windowDays != nil || windowMonths != nil {
            if windowDays == nil, windowMonths == nil, rule.parameters.hasWindow {
                errors.append(FieldError("windowDays", "give the window in days or in months"))
            }
            if windowDays != nil, windowMonths != nil {
                errors.append(FieldError("windowMonths", "give the window in days or in months, not both"))
            }
            if !rule.parameters.hasWindow {
                errors.append(FieldError("windowDays", "this rule has no time window"))
            }
        }
        if !errors.isEmpty { return .failure(ValidationFailure(errors)) }
        let changed = rule.outcome != outcome || rule.parameters.windowDays != windowDays || rule.parameters.windowMonths != windowMonths
        guard changed else { return .failure(ValidationFailure([FieldError("rule", "nothing changed")])) }
        rule.outcome = outcome
        if rule.parameters.hasWindow { rule.parameters = RuleParameters(windowDays: windowDays, windowMonths: windowMonths) }
        rule.version = "\(rule.version)+\(newVersion)"
        var result = ruleSet
        result.rules[index] = rule
        result.version = newVersion
        let problems = result.validationProblems()
        if !problems.isEmpty {
            // Name the fields as the form does, not by their position in the rule list.
            return .failure(ValidationFailure(problems.map { FieldError($0.field.components(separatedBy: ".").last ?? $0.field, $0.message) }))
        }
        return .success(result)
    }
}
