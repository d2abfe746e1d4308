/// Severity of eczema or psoriasis (also rosacea, dermatitis) in the treatment area. The
/// reference lists moderate–severe disease; mild disease is recorded but raises no finding.
public enum SkinConditionSeverity: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case none, mild, moderate, severe

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: SkinConditionSeverity, b: SkinConditionSeverity) -> Bool { a.rank < b.rank }
}
