/// Fitzpatrick skin phototype I–VI (Fitzpatrick TB, Arch Dermatol 1988;124:869–71).
public enum FitzpatrickType: Int, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case i = 1, ii, iii, iv, v, vi

    public var roman: String { ["I", "II", "III", "IV", "V", "VI"][rawValue - 1] }

    public static func < (a: FitzpatrickType, b: FitzpatrickType) -> Bool { a.rawValue < b.rawValue }
}

/// Who decided the phototype: self-report reliability is limited (Eilers 2013, reference §8),
/// so the method is stored with the type.
public enum FitzpatrickMethod: String, Sendable, Codable, CaseIterable, Hashable {
    case selfReported = "self-reported"
    case clinicianAssessed = "clinician-assessed"
}
