import Foundation

/// What was found in one facial zone: scar counts by type and, optionally, their size and depth class.
public struct ZoneFinding: Sendable, Hashable {
    public var zone: FacialZone
    /// Counts of 0 are left out, so two findings with the same scars are equal.
    public private(set) var counts: [ScarType: Int]
    public var sizeClass: ScarSizeClass?
    public var depthClass: ScarDepthClass?

    public init(zone: FacialZone, counts: [ScarType: Int] = [:], sizeClass: ScarSizeClass? = nil, depthClass: ScarDepthClass? = nil) {
        self.zone = zone
        self.counts = counts.filter { $0.value > 0 }
        self.sizeClass = sizeClass
        self.depthClass = depthClass
    }

    public func count(_ type: ScarType) -> Int { counts[type] ?? 0 }
    public var total: Int { counts.values.reduce(0, +) }
}

/// A validated scar assessment, as entered (built only by `ScarAssessmentInput.validate`, or
/// from stored values). The scale inputs are the existing ScarCore scale types.
public struct ScarAssessmentDetails: Sendable, Hashable {
    public var assessedOn: CalendarDate
    /// The rater did not know which treatment or time point the patient was at.
    public var blinded: Bool
    public var notes: String?
    /// Every zone, in `FacialZone.allCases` order (zones with nothing found have no counts).
    public var zones: [ZoneFinding]
    /// Total hypertrophic/keloid area in cm²; it is also the Goodman & Baron D2 input.
    public var hypertrophicAreaCm2: Double
    public var gbQuantitative: GoodmanBaronQuantitative.Input
    public var ecca: ECCA.Input
    public var gbQualitative: GoodmanBaronQualitative.Answers

    public init(assessedOn: CalendarDate, blinded: Bool, notes: String?, zones: [ZoneFinding], hypertrophicAreaCm2: Double,
                gbQuantitative: GoodmanBaronQuantitative.Input, ecca: ECCA.Input, gbQualitative: GoodmanBaronQualitative.Answers) {
        self.assessedOn = assessedOn
        self.blinded = blinded
        self.notes = notes
        var byZone = Dictionary(zones.map { ($0.zone, $0) }, uniquingKeysWith: { _, last in last })
        self.zones = FacialZone.allCases.map { byZone.removeValue(forKey: $0) ?? ZoneFinding(zone: $0) }
        self.hypertrophicAreaCm2 = hypertrophicAreaCm2
        self.gbQuantitative = gbQuantitative
        self.ecca = ecca
        self.gbQualitative = gbQualitative
    }

    public func zone(_ zone: FacialZone) -> ZoneFinding {
        zones.first { $0.zone == zone } ?? ZoneFinding(zone: zone)
    }

    /// Scar counts summed over all zones, every type present (0 when none).
    public var typeTotals: [ScarType: Int] {
        var totals = Dictionary(uniqueKeysWithValues: ScarType.allCases.map { ($0, 0) })
        for finding in zones {
            for (type, count) in finding.counts { totals[type, default: 0] += count }
        }
        return totals
    }

    public var dominantScarType: DominantScarType { DominantScarType(typeTotals) }
}

/// The scar type with the largest total count over all zones; treatment planning reads it.
/// A tie is reported as a tie, never settled silently.
public enum DominantScarType: Sendable, Hashable {
    /// No scars were counted.
    case none
    case single(ScarType, count: Int)
    /// Two or more types share the largest count; listed in `ScarType` order.
    case tie([ScarType], count: Int)

    public init(_ totals: [ScarType: Int]) {
        let top = totals.values.max() ?? 0
        guard top > 0 else { self = .none; return }
        let leaders = totals.filter { $0.value == top }.map(\.key).sorted()
        self = leaders.count == 1 ? .single(leaders[0], count: top) : .tie(leaders, count: top)
    }

    public var types: [ScarType] {
        switch self {
        case .none: []
        case .single(let t, _): [t]
        case .tie(let ts, _): ts
        }
    }

    public var count: Int {
        switch self {
        case .none: 0
        case .single(_, let c), .tie(_, let c): c
        }
    }

    public var isTie: Bool { if case .tie = self { true } else { false } }

    public var summary: String {
        switch self {
        case .none: "No scars counted"
        case .single(let t, let c): "\(t.label) (\(c))"
        case .tie(let ts, let c): "Tie: " + ts.map(\.label).joined(separator: ", ") + " (\(c) each)"
        }
    }
}

/// One scale's result as it was computed when the assessment was saved, with the scale's id
/// and version. Stored results are shown as stored: a later scale version never changes them.
public struct RecordedScore<Result: Sendable & Hashable & Codable>: Sendable, Hashable {
    public var scaleId: String
    public var version: String
    /// The sum for the quantitative scales; the grade (1–4) for the qualitative one.
    public var total: Int
    public var result: Result

    public init(scaleId: String, version: String, total: Int, result: Result) {
        self.scaleId = scaleId
        self.version = version
        self.total = total
        self.result = result
    }
}

/// The three scale results of one assessment.
public struct AssessmentScores: Sendable, Hashable {
    public var gbQuantitative: RecordedScore<GoodmanBaronQuantitative.Score>
    public var ecca: RecordedScore<ECCA.Score>
    public var gbQualitative: RecordedScore<GoodmanBaronQualitative.Grade>

    public init(gbQuantitative: RecordedScore<GoodmanBaronQuantitative.Score>, ecca: RecordedScore<ECCA.Score>,
                gbQualitative: RecordedScore<GoodmanBaronQualitative.Grade>) {
        self.gbQuantitative = gbQuantitative
        self.ecca = ecca
        self.gbQualitative = gbQualitative
    }

    /// Scores the inputs with the current version of each scale (the scale code does the arithmetic).
    public static func compute(_ details: ScarAssessmentDetails) -> AssessmentScores {
        let gbq = GoodmanBaronQuantitative.score(details.gbQuantitative)
        let ecca = ECCA.score(details.ecca)
        let grade = GoodmanBaronQualitative.grade(details.gbQualitative)
        return AssessmentScores(
            gbQuantitative: RecordedScore(scaleId: GoodmanBaronQuantitative.id, version: GoodmanBaronQuantitative.version,
                                          total: gbq.total, result: gbq),
            ecca: RecordedScore(scaleId: ECCA.id, version: ECCA.version, total: ecca.total, result: ecca),
            gbQualitative: RecordedScore(scaleId: GoodmanBaronQualitative.id, version: GoodmanBaronQualitative.version,
                                         total: grade.rawValue, result: grade))
    }
}

/// A saved scar assessment: a clinical record, append-only (a correction is a new assessment).
public struct ScarAssessment: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var clinicId: UUID
    public var patientId: UUID
    /// The signed-in member of staff who rated the scars.
    public var raterId: UUID
    public var raterName: String
    public var createdAt: Date
    public var details: ScarAssessmentDetails
    public var scores: AssessmentScores

    public init(id: UUID, clinicId: UUID, patientId: UUID, raterId: UUID, raterName: String, createdAt: Date,
                details: ScarAssessmentDetails, scores: AssessmentScores) {
        self.id = id
        self.clinicId = clinicId
        self.patientId = patientId
        self.raterId = raterId
        self.raterName = raterName
        self.createdAt = createdAt
        self.details = details
        self.scores = scores
    }
}
