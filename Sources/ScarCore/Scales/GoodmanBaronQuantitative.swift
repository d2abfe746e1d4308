/// Goodman & Baron quantitative global acne scarring score, 0–84 (domain reference §3.2,
/// Decisions 1–2). ⚠️ The point table is [NC]: it is the commonly reproduced version and must
/// be checked against Table 1 of the 2006 paper; it lives only here so that check is one edit.
public enum GoodmanBaronQuantitative {
    public static let id = "gb-quantitative"
    public static let version = "1"
    public static let citation = "Goodman GJ, Baron JA. Postacne scarring – a quantitative global scarring grading system. J Cosmet Dermatol 2006. DOI 10.1111/j.1473-2165.2006.00222.x. Point table, count bands and keloid area bands as commonly reproduced; not yet checked against Table 1 of the paper"
    public static let confidence = ConfidenceTag.nc
    /// Every one of the 11 rows at its top band: 6 + 18 + 36 + 24.
    public static let maximum = 84

    /// The 11 lesion-type rows, each scored separately (Decision 2; scoring per letter would
    /// give a maximum of 42, not the quoted 84).
    public enum Row: String, Sendable, Hashable, Codable, CaseIterable {
        case a1 = "A1", a2 = "A2", b1 = "B1", b2 = "B2", b3 = "B3", c1 = "C1", c2 = "C2", c3 = "C3", c4 = "C4"
        case d1 = "D1", d2 = "D2"

        public var label: String {
            switch self {
            case .a1: "Macular erythematous or pigmented scars"
            case .a2: "Mildly atrophic dish-like scars"
            case .b1: "Moderately atrophic dish-like scars"
            case .b2: "Punched-out scars with shallow bases, small (< 5 mm)"
            case .b3: "Shallow but broad atrophic areas (< 1.5 cm)"
            case .c1: "Punched-out scars with deep but normal bases, small (< 5 mm)"
            case .c2: "Punched-out scars with deep abnormal bases, small (< 5 mm)"
            case .c3: "Linear or troughed dermal scarring"
            case .c4: "Deep broad atrophic areas (> 1.5 cm)"
            case .d1: "Papular scars"
            case .d2: "Keloidal / hypertrophic scars (banded by area in cm²)"
            }
        }

        /// Points per lesion type: A 1, B 2, C 3, D1 2, D2 6.
        public var pointsPerType: Int {
            switch self {
            case .a1, .a2: 1
            case .b1, .b2, .b3: 2
            case .c1, .c2, .c3, .c4: 3
            case .d1: 2
            case .d2: 6
            }
        }

        /// The rows scored by count (all but D2).
        public static let countedRows: [Row] = allCases.filter { $0 != .d2 }
    }

    /// Count bands (Decision 1, read literally): 0 → ×0, 1–10 → ×1, 11–20 → ×2, ≥ 21 → ×3.
    public static let countBands = [CountBand(from: 1, factor: 1), CountBand(from: 11, factor: 2), CountBand(from: 21, factor: 3)]

    public static func multiplier(count: Int) -> Int { CountBand.factor(count, in: countBands) }

    /// Keloid/hypertrophic area bands (Decision 1): 0 → 0, > 0 and < 5 cm² → ×1 (6 points),
    /// 5–20 cm² inclusive → ×2 (12), > 20 cm² → ×3 (18). Boundary inclusivity is [NC].
    public static let areaBands = [AreaBand(threshold: 0, includesThreshold: false, factor: 1),
                                   AreaBand(threshold: 5, includesThreshold: true, factor: 2),
                                   AreaBand(threshold: 20, includesThreshold: false, factor: 3)]

    public static func multiplier(areaCm2: Double) -> Int { AreaBand.factor(areaCm2, in: areaBands) }

    /// Validated input: counts per row (absent rows are 0) and the total keloid/hypertrophic area.
    public struct Input: Sendable, Hashable {
        public private(set) var counts: [Row: Int]
        public private(set) var keloidAreaCm2: Double

        /// Throws for a negative count, a count given for D2 (it is banded by area), or an area
        /// that is negative or not finite.
        public init(counts: [Row: Int] = [:], keloidAreaCm2: Double = 0) throws(FieldError) {
            for (row, count) in counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if row == .d2 { throw FieldError("D2", "is scored by area: give D2AreaCm2 instead of a count") }
                if count < 0 { throw FieldError(row.rawValue, "must be a whole number of 0 or more, got \(count)") }
            }
            guard keloidAreaCm2 >= 0, keloidAreaCm2.isFinite else {
                throw FieldError("D2AreaCm2", "must be a number of 0 or more, got \(keloidAreaCm2)")
            }
            self.counts = counts.filter { $0.value > 0 }
            self.keloidAreaCm2 = keloidAreaCm2
        }

        public func count(_ row: Row) -> Int { counts[row] ?? 0 }
    }

    public struct RowScore: Sendable, Hashable, Codable {
        public var row: Row
        /// The count, for every row but D2.
        public var count: Int?
        /// The area in cm², for D2 only.
        public var areaCm2: Double?
        public var multiplier: Int
        public var points: Int
    }

    public struct Score: Sendable, Hashable, Codable {
        public var total: Int
        /// All 11 rows in A1…D2 order, including rows scoring 0, so the breakdown is complete.
        public var rows: [RowScore]
    }

    public static func score(_ input: Input) -> Score {
        var rows = Row.countedRows.map { row in
            let m = multiplier(count: input.count(row))
            return RowScore(row: row, count: input.count(row), areaCm2: nil, multiplier: m, points: row.pointsPerType * m)
        }
        let m = multiplier(areaCm2: input.keloidAreaCm2)
        rows.append(RowScore(row: .d2, count: nil, areaCm2: input.keloidAreaCm2, multiplier: m,
                             points: Row.d2.pointsPerType * m))
        return Score(total: rows.reduce(0) { $0 + $1.points }, rows: rows)
    }
}
