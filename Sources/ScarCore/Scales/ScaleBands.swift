/// A count band of a scale as data, so the scale's own scoring and the assessment form's live
/// score read one table: counts from `from` upward, until the next band, score `factor`. A count
/// below the first band scores 0.
public struct CountBand: Sendable, Hashable, Codable {
    public var from: Int
    public var factor: Int

    public init(from: Int, factor: Int) {
        self.from = from
        self.factor = factor
    }

    /// The factor of the last band the count reaches (bands in ascending order), 0 below them all.
    public static func factor(_ count: Int, in bands: [CountBand]) -> Int {
        bands.last { count >= $0.from }?.factor ?? 0
    }
}

/// An area band as data: areas above `threshold` (from it, when `includesThreshold`), until the
/// next band, score `factor`. An area below the first band scores 0.
public struct AreaBand: Sendable, Hashable, Codable {
    public var threshold: Double
    public var includesThreshold: Bool
    public var factor: Int

    public init(threshold: Double, includesThreshold: Bool, factor: Int) {
        self.threshold = threshold
        self.includesThreshold = includesThreshold
        self.factor = factor
    }

    public func contains(_ area: Double) -> Bool { includesThreshold ? area >= threshold : area > threshold }

    /// The factor of the last band the area reaches (bands in ascending order), 0 below them all.
    public static func factor(_ area: Double, in bands: [AreaBand]) -> Int {
        bands.last { $0.contains(area) }?.factor ?? 0
    }
}
