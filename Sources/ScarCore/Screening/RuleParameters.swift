/// The clinic-adjustable numbers of a rule. Today that is one time window: how long after a
/// recorded date (procedure, retinoid or isotretinoin stop) the rule still applies; for a
/// `defer` rule its end is the lift date. Days and months are kept apart because sources say
/// "2 weeks" and "6 months", and six calendar months is not a fixed number of days.
/// Both nil means the reference gives no number: the rule applies with no computable end.
public struct RuleParameters: Sendable, Hashable, Codable {
    public var windowDays: Int?
    public var windowMonths: Int?

    public init(windowDays: Int? = nil, windowMonths: Int? = nil) {
        self.windowDays = windowDays
        self.windowMonths = windowMonths
    }

    public static let none = RuleParameters()

    public var hasWindow: Bool { windowDays != nil || windowMonths != nil }

    /// The first day the rule no longer applies to an event on `date`; nil without a window.
    public func windowEnd(after date: CalendarDate) -> CalendarDate? {
        guard hasWindow else { return nil }
        return date.adding(months: windowMonths ?? 0).adding(days: windowDays ?? 0)
    }

    /// "14 days", "6 months", "1 month and 3 days": for the reason text and the docs.
    public var windowDescription: String? {
        func unit(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let parts = [windowMonths.map { unit($0, "month") }, windowDays.map { unit($0, "day") }].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }
}
