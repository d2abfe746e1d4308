import Foundation

/// Change in one count or score between two assessments. Lower is better for every scale
/// ScarTrack records, so a negative `absolute` is an improvement.
public struct ScoreChange: Sendable, Hashable, Codable {
    public var from: Int
    public var to: Int
    public var absolute: Int { to - from }
    /// Percentage change from `from`; nil when `from` is 0 (no baseline to divide by).
    public var percent: Double? { from == 0 ? nil : Double(to - from) / Double(from) * 100 }

    public init(from: Int, to: Int) {
        self.from = from
        self.to = to
    }

    enum CodingKeys: String, CodingKey { case from, to, absolute, percent }

    /// Written with the derived `absolute` and `percent` (null when undefined), for the API and exports.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(absolute, forKey: .absolute)
        try c.encode(percent, forKey: .percent)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(from: try c.decode(Int.self, forKey: .from), to: try c.decode(Int.self, forKey: .to))
    }
}

/// A follow-up assessment compared with an earlier one (the baseline or the previous):
/// the comparison the outcomes pages, the API and the analytics all use.
public struct OutcomeComparison: Sendable, Hashable {
    public enum Reference: String, Sendable, Codable { case baseline, previous }

    public var reference: Reference
    public var fromId: UUID
    public var toId: UUID
    public var fromDate: CalendarDate
    public var toDate: CalendarDate
    public var gbQuantitative: ScoreChange
    public var ecca: ScoreChange
    public var gbGrade: ScoreChange
    /// At least one Goodman & Baron qualitative grade better (domain reference, Decision 7).
    public var responder: Bool
    public var zones: [FacialZone: ScoreChange]
    public var scarTypes: [ScarType: ScoreChange]
    /// False when the two assessments were scored with different versions of a scale: the
    /// numbers are shown, but flagged as not directly comparable.
    public var sameScaleVersions: Bool

    public static func compare(_ earlier: ScarAssessment, _ later: ScarAssessment, reference: Reference) -> OutcomeComparison {
        let a = earlier.scores, b = later.scores
        let from = GoodmanBaronQualitative.Grade(rawValue: a.gbQualitative.total)
        let to = GoodmanBaronQualitative.Grade(rawValue: b.gbQualitative.total)
        var zones: [FacialZone: ScoreChange] = [:]
        for zone in FacialZone.allCases {
            zones[zone] = ScoreChange(from: earlier.details.zone(zone).total, to: later.details.zone(zone).total)
        }
        var types: [ScarType: ScoreChange] = [:]
        let before = earlier.details.typeTotals, after = later.details.typeTotals
        for type in ScarType.allCases {
            types[type] = ScoreChange(from: before[type] ?? 0, to: after[type] ?? 0)
        }
        return OutcomeComparison(
            reference: reference, fromId: earlier.id, toId: later.id,
            fromDate: earlier.details.assessedOn, toDate: later.details.assessedOn,
            gbQuantitative: ScoreChange(from: a.gbQuantitative.total, to: b.gbQuantitative.total),
            ecca: ScoreChange(from: a.ecca.total, to: b.ecca.total),
            gbGrade: ScoreChange(from: a.gbQualitative.total, to: b.gbQualitative.total),
            responder: from.flatMap { f in to.map { GoodmanBaronQualitative.isResponder(baseline: f, followUp: $0) } } ?? false,
            zones: zones, scarTypes: types,
            sameScaleVersions: a.gbQuantitative.version == b.gbQuantitative.version && a.ecca.version == b.ecca.version
                && a.gbQualitative.version == b.gbQualitative.version)
    }
}

/// A patient's assessments in time order, the first being the baseline, with each later
/// one compared with the baseline and with the one before it.
public struct PatientProgress: Sendable {
    public var assessments: [ScarAssessment]
    public var comparisons: [(vsBaseline: OutcomeComparison, vsPrevious: OutcomeComparison)]

    public init(_ assessments: [ScarAssessment]) {
        let ordered = assessments.sorted {
            ($0.details.assessedOn, $0.createdAt) < ($1.details.assessedOn, $1.createdAt)
        }
        self.assessments = ordered
        var comparisons: [(OutcomeComparison, OutcomeComparison)] = []
        if let baseline = ordered.first {
            for i in ordered.indices.dropFirst() {
                comparisons.append((OutcomeComparison.compare(baseline, ordered[i], reference: .baseline),
                                    OutcomeComparison.compare(ordered[i - 1], ordered[i], reference: .previous)))
            }
        }
        self.comparisons = comparisons
    }

    public var baseline: ScarAssessment? { assessments.first }
    public var latest: OutcomeComparison? { comparisons.last?.vsBaseline }
}

/// A patient-reported outcome: the instrument's id and version and the raw answers only
/// (licensed item text is never stored), plus a simple 0–10 satisfaction rating.
public struct PatientReportedOutcome: Sendable, Hashable {
    public var instrument: String
    public var instrumentVersion: String
    public var responses: [String: String]
    public var satisfaction: Int?
    public var recordedOn: CalendarDate

    public init(instrument: String, instrumentVersion: String, responses: [String: String], satisfaction: Int?, recordedOn: CalendarDate) {
        self.instrument = instrument
        self.instrumentVersion = instrumentVersion
        self.responses = responses
        self.satisfaction = satisfaction
        self.recordedOn = recordedOn
    }

    /// Checks the raw fields; every problem named by field.
    public static func validate(instrument: String?, version: String?, responses: [String: String], satisfaction: String?,
                                recordedOn: CalendarDate) -> Result<PatientReportedOutcome, ValidationFailure> {
        var errors: [FieldError] = []
        let name = Text.trimmed(instrument) ?? ""
        if name.isEmpty || name.count > 64 { errors.append(FieldError("instrument", "is required (at most 64 characters), e.g. FASQoL")) }
        let v = Text.trimmed(version) ?? ""
        if v.isEmpty || v.count > 32 { errors.append(FieldError("instrumentVersion", "is required (at most 32 characters)")) }
        if responses.count > 200 { errors.append(FieldError("responses", "has more than 200 items")) }
        for (key, value) in responses where key.isEmpty || key.count > 64 || value.count > 200 {
            errors.append(FieldError("responses", "item \(key.prefix(64)) must have an id of at most 64 and an answer of at most 200 characters"))
            break
        }
        var rating: Int?
        if let raw = Text.trimmed(satisfaction) {
            if let r = Int(raw), (0...10).contains(r) { rating = r } else { errors.append(FieldError("satisfaction", "must be a whole number from 0 to 10")) }
        }
        if !errors.isEmpty { return .failure(ValidationFailure(errors)) }
        return .success(PatientReportedOutcome(instrument: name, instrumentVersion: v, responses: responses, satisfaction: rating,
                                               recordedOn: recordedOn))
    }
}
