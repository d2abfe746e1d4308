import Foundation

/// A versioned set of screening rules: the shipped default, or a clinic's adjusted copy
/// stored as JSON. Every screening result records the version it was computed with.
public struct RuleSet: Sendable, Hashable, Codable {
    public var version: String
    public var rules: [ScreeningRule]

    public init(version: String, rules: [ScreeningRule]) {
        self.version = version
        self.rules = rules
    }

    public func rule(id: String) -> ScreeningRule? { rules.first { $0.id == id } }

    /// Problems that make a (clinic-edited) rule set unsafe to use; empty when it is fine.
    /// The server checks this before storing a clinic's rule set.
    public func validationProblems() -> [FieldError] {
        var problems: [FieldError] = []
        if version.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldError("version", "is required"))
        }
        var seen = Set<String>()
        for (i, rule) in rules.enumerated() {
            let at = "rules[\(i)]"
            if rule.id.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldError("\(at).id", "is required")) }
            if !seen.insert(rule.id).inserted { problems.append(FieldError("\(at).id", "repeats rule id \(rule.id)")) }
            if rule.version.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(FieldError("\(at).version", "is required"))
            }
            if rule.modalities.isEmpty { problems.append(FieldError("\(at).modalities", "must list at least one modality")) }
            if rule.source.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(FieldError("\(at).source", "is required: every rule carries its source"))
            }
            if let d = rule.parameters.windowDays, d < 0 || d > 3660 {
                problems.append(FieldError("\(at).parameters.windowDays", "must be between 0 and 3660"))
            }
            if let m = rule.parameters.windowMonths, m < 0 || m > 120 {
                problems.append(FieldError("\(at).parameters.windowMonths", "must be between 0 and 120"))
            }
        }
        return problems
    }
}
