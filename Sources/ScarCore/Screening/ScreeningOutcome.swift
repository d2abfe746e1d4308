/// How a finding (or the whole screening) bears on treating today, ordered by severity so the
/// overall outcome is simply the maximum of the findings'.
public enum ScreeningOutcome: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    /// Nothing stands in the way; guidance findings carry this outcome.
    case eligible
    /// Relative contraindication (class R in the reference): a clinician must acknowledge it.
    case acknowledge
    /// Defer until resolved or until a date (class D).
    case `defer`
    /// Absolute contraindication (class A): a hard stop unless a physician overrides it with a reason.
    case contraindicated

    private var severity: Int {
        switch self {
        case .eligible: 0
        case .acknowledge: 1
        case .defer: 2
        case .contraindicated: 3
        }
    }

    public static func < (a: ScreeningOutcome, b: ScreeningOutcome) -> Bool { a.severity < b.severity }
}
