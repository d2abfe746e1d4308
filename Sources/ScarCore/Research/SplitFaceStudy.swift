import Foundation

public enum FaceSide: String, Sendable, Codable, CaseIterable {
    case left, right
    public var other: FaceSide { self == .left ? .right : .left }
}

/// A split-face study's design: two arms, one per side of each participant's face.
public struct StudyDesign: Sendable, Equatable {
    public var title: String
    public var protocolSummary: String
    public var armA: String
    public var armB: String
    /// `gb-quantitative`, `ecca` or `gb-qualitative`.
    public var outcomeScale: String
    public var timePoints: [String]
    public var targetEnrolment: Int
    public var blockSizes: [Int]

    public static let scales = [GoodmanBaronQuantitative.id, ECCA.id, GoodmanBaronQualitative.id]

    public init(title: String, protocolSummary: String, armA: String, armB: String, outcomeScale: String, timePoints: [String],
                targetEnrolment: Int, blockSizes: [Int] = [2, 4]) {
        self.title = title
        self.protocolSummary = protocolSummary
        self.armA = armA
        self.armB = armB
        self.outcomeScale = outcomeScale
        self.timePoints = timePoints
        self.targetEnrolment = targetEnrolment
        self.blockSizes = blockSizes
    }

    public static func validate(title: String?, protocolSummary: String?, armA: String?, armB: String?, outcomeScale: String?,
                                timePoints: String?, targetEnrolment: String?) -> Result<StudyDesign, ValidationFailure> {
        var errors: [FieldError] = []
        func text(_ v: String?, _ field: String, max: Int) -> String {
            guard let t = Text.trimmed(v), t.count <= max else {
                errors.append(FieldError(field, "is required (at most \(max) characters)"))
                return ""
            }
            return t
        }
        let t = text(title, "title", max: 200)
        let p = text(protocolSummary, "protocol", max: 4000)
        let a = text(armA, "armA", max: 200)
        let b = text(armB, "armB", max: 200)
        if !a.isEmpty, a == b { errors.append(FieldError("armB", "must differ from arm A")) }
        let scale = Text.trimmed(outcomeScale) ?? ""
        if !scales.contains(scale) { errors.append(FieldError("outcomeScale", "must be one of \(scales.joined(separator: ", "))")) }
        let points = (timePoints ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if points.isEmpty || points.count > 12 || Set(points).count != points.count || points.contains(where: { $0.count > 40 }) {
            errors.append(FieldError("timePoints", "list 1 to 12 distinct time points separated by commas, e.g. baseline, 3 months, 6 months"))
        }
        let target = Int(Text.trimmed(targetEnrolment) ?? "") ?? 0
        if target < 2 || target > 10_000 { errors.append(FieldError("targetEnrolment", "must be a whole number from 2 to 10000")) }
        if !errors.isEmpty { return .failure(ValidationFailure(errors)) }
        return .success(StudyDesign(title: t, protocolSummary: p, armA: a, armB: b, outcomeScale: scale, timePoints: points,
                                    targetEnrolment: target))
    }
}

/// Blocked randomization of which side gets arm A, reproducible from the recorded seed: an
/// auditor re-running it with the seed gets the same list. Each block holds equal numbers of
/// "A on the left" and "A on the right" in random order; block sizes are drawn from the design.
public enum SplitFaceRandomization {
    /// Side that receives arm A for participants 1…`count`, in enrolment order.
    public static func armASides(seed: UInt64, count: Int, blockSizes: [Int] = [2, 4]) -> [FaceSide] {
        precondition(blockSizes.allSatisfy { $0 > 0 && $0 % 2 == 0 }, "blocks hold both allocations equally")
        var generator = SplitMix64(seed: seed)
        var sides: [FaceSide] = []
        while sides.count < count {
            let size = blockSizes[Int(generator.next() % UInt64(blockSizes.count))]
            var block = Array(repeating: FaceSide.left, count: size / 2) + Array(repeating: FaceSide.right, count: size / 2)
            // Fisher–Yates with the seeded generator.
            for i in stride(from: block.count - 1, to: 0, by: -1) {
                let j = Int(generator.next() % UInt64(i + 1))
                block.swapAt(i, j)
            }
            sides.append(contentsOf: block)
        }
        return Array(sides.prefix(count))
    }

    /// The allocation of participant `number` (1-based).
    public static func armASide(seed: UInt64, participant number: Int, blockSizes: [Int] = [2, 4]) -> FaceSide {
        armASides(seed: seed, count: number, blockSizes: blockSizes)[number - 1]
    }
}

/// SplitMix64: small, well-known, and the same on every platform, so a seed means the same
/// allocation list everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One rating of one side of one participant at one time point.
public struct SideMeasurement: Sendable, Equatable {
    public var participant: Int
    public var timePoint: String
    public var side: FaceSide
    public var value: Double

    public init(participant: Int, timePoint: String, side: FaceSide, value: Double) {
        self.participant = participant
        self.timePoint = timePoint
        self.side = side
        self.value = value
    }
}

/// Per time point: arm A minus arm B over the participants with both sides rated.
public enum SplitFaceAnalysis {
    public struct TimePoint: Sendable, Equatable {
        public var timePoint: String
        public var analysis: PairedAnalysis
    }

    public static func analyze(timePoints: [String], armASide: [Int: FaceSide], measurements: [SideMeasurement]) -> [TimePoint] {
        timePoints.map { point in
            var a: [Double] = [], b: [Double] = [], dropped = 0
            let here = measurements.filter { $0.timePoint == point }
            let participants = Set(here.map(\.participant)).sorted()
            for p in participants {
                guard let sideA = armASide[p] else { continue }
                let valueA = here.first { $0.participant == p && $0.side == sideA }?.value
                let valueB = here.first { $0.participant == p && $0.side == sideA.other }?.value
                if let valueA, let valueB { a.append(valueA); b.append(valueB) } else { dropped += 1 }
            }
            return TimePoint(timePoint: point, analysis: PairedAnalysis.analyze(a: a, b: b, dropped: dropped))
        }
    }
}
