/// Contraindication screening: a pure function of the intake, the modality, the day and the
/// rule set. No clock is read here; the caller passes `asOf`.
public enum Screening {
    /// Appended to every reason: findings support a clinician's decision, they do not make it.
    public static let decisionSupportNote = "This finding supports the clinical decision; the clinician decides."

    public static func evaluate(intake: Intake, modality: Modality, asOf: CalendarDate,
                                ruleSet: RuleSet = .default) -> ScreeningResult {
        var findings: [ScreeningFinding] = []
        for rule in ruleSet.rules where rule.applies(to: modality) {
            guard let match = rule.criterion.match(intake, asOf: asOf, parameters: rule.parameters) else { continue }
            let deferUntil = rule.outcome == .defer ? match.windowEnd : nil
            var parts = [rule.rationale]
            if let detail = match.detail { parts.append(detail) }
            if rule.outcome == .defer {
                parts.append(deferUntil.map { "Deferred until \($0)." }
                             ?? "No lift date can be computed; it lasts until resolved.")
            }
            parts.append(decisionSupportNote)
            findings.append(ScreeningFinding(
                rule: rule.id, ruleVersion: rule.version, title: rule.title, outcome: rule.outcome,
                reason: parts.joined(separator: " "), source: rule.source, confidence: rule.confidence,
                deferUntil: deferUntil))
        }
        // Most severe first; the sort is stable, so rule-set order holds within an outcome.
        findings = findings.enumerated()
            .sorted { ($0.element.outcome, -$0.offset) > ($1.element.outcome, -$1.offset) }
            .map(\.element)

        let defers = findings.filter { $0.outcome == .defer }
        let deferUntil: CalendarDate? = defers.isEmpty || defers.contains { $0.deferUntil == nil }
            ? nil : defers.compactMap(\.deferUntil).max()
        return ScreeningResult(
            modality: modality, asOf: asOf, outcome: findings.map(\.outcome).max() ?? .eligible,
            deferUntil: deferUntil, ruleSetVersion: ruleSet.version, findings: findings)
    }
}
