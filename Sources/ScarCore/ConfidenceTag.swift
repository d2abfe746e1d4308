/// The domain reference's confidence tag for a fact, shown next to every rule and scale so a
/// clinic can see which values still need checking against the primary paper.
public enum ConfidenceTag: String, Sendable, Codable, CaseIterable, Hashable {
    /// Confirmed by at least two independent sources.
    case c2 = "C2"
    /// Found in one source.
    case c1 = "C1"
    /// Not confirmed from any retrieved text: check against the primary paper before release.
    case nc = "NC"
    /// Stated in a seed article only.
    case seed
}

extension ConfidenceTag {
    /// How a clinician reads the tag: plain words, never the tag itself.
    public var readerLabel: String {
        switch self {
        case .c2: "two or more sources agree"
        case .c1: "one source"
        case .nc: "not yet checked against the original paper"
        case .seed: "from a consumer article only"
        }
    }
}
