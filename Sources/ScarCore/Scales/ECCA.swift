/// ECCA acne scar grading scale (Échelle d'Évaluation Clinique des Cicatrices d'Acné), 0–540
/// (domain reference §3.3, Decisions 1–2). ⚠️ Weights and count grades are [NC]: the
/// commonly reproduced version, to be checked against Dréno et al. 2007 before release.
public enum ECCA {
    public static let id = "ecca"
    public static let version = "1"
    public static let citation = "Dréno B, et al. ECCA grading scale: an original validated acne scar grading scale for clinical practice in dermatology. Dermatology 2007;214:46–51. Weights and count grades as commonly reproduced; not yet checked against the paper's own table"
    public static let confidence = ConfidenceTag.nc
    /// (15 + 20 + 25 + 30 + 40 + 50) × 3.
    public static let maximum = 540

    /// The six items; raw values are the command-line input keys.
    public enum Item: String, Sendable, Hashable, Codable, CaseIterable {
        case vShapedUnder2mm
        case uShaped2to4mm
        case mShapedOver4mm
        case superficialElastolysis
        case hypertrophicInflammatory
        case keloidOrHypertrophicMature

        public var label: String {
            switch self {
            case .vShapedUnder2mm: "Atrophic scars < 2 mm, V-shaped (ice pick)"
            case .uShaped2to4mm: "Atrophic scars 2–4 mm, U-shaped (boxcar)"
            case .mShapedOver4mm: "Atrophic scars > 4 mm, M-shaped (rolling)"
            case .superficialElastolysis: "Superficial elastolysis"
            case .hypertrophicInflammatory: "Hypertrophic inflammatory scars, < 2 years old"
            case .keloidOrHypertrophicMature: "Keloid / hypertrophic scars, > 2 years old"
            }
        }

        /// The item's coefficient.
        public var weight: Int {
            switch self {
            case .vShapedUnder2mm: 15
            case .uShaped2to4mm: 20
            case .mShapedOver4mm: 25
            case .superficialElastolysis: 30
            case .hypertrophicInflammatory: 40
            case .keloidOrHypertrophicMature: 50
            }
        }
    }

    /// Semi-quantitative count grades (Decision 1): 0 scars → 0, 1–4 → 1, 5–20 inclusive → 2,
    /// ≥ 21 → 3.
    public static let countBands = [CountBand(from: 1, factor: 1), CountBand(from: 5, factor: 2), CountBand(from: 21, factor: 3)]

    public static func countGrade(_ count: Int) -> Int { CountBand.factor(count, in: countBands) }

    /// Validated input: scar counts per item (absent items are 0).
    public struct Input: Sendable, Hashable {
        public private(set) var counts: [Item: Int]

        public init(counts: [Item: Int] = [:]) throws(FieldError) {
            for (item, count) in counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where count < 0 {
                throw FieldError(item.rawValue, "must be a whole number of 0 or more, got \(count)")
            }
            self.counts = counts.filter { $0.value > 0 }
        }

        public func count(_ item: Item) -> Int { counts[item] ?? 0 }
    }

    public struct ItemScore: Sendable, Hashable, Codable {
        public var item: Item
        public var count: Int
        /// Count grade 0–3.
        public var grade: Int
        /// weight × grade.
        public var points: Int
    }

    public struct Score: Sendable, Hashable, Codable {
        public var total: Int
        /// All six items in order, including those scoring 0.
        public var rows: [ItemScore]
    }

    public static func score(_ input: Input) -> Score {
        let rows = Item.allCases.map { item in
            let grade = countGrade(input.count(item))
            return ItemScore(item: item, count: input.count(item), grade: grade, points: item.weight * grade)
        }
        return Score(total: rows.reduce(0) { $0 + $1.points }, rows: rows)
    }
}
