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
