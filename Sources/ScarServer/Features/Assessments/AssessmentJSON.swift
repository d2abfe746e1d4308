import Foundation
import ScarCore

/// The API's assessment representation (see `Assessment` in openapi.json). Scores are the
/// stored results with their scale id and version, exactly as computed when saved.
struct AssessmentJSON: Encodable {
    var id: String
    var patientId: String
    var assessedOn: String
    var blinded: Bool
    var notes: String?
    var rater: Rater
    var createdAt: Date
    var zones: [Zone]
    var hypertrophicAreaCm2: Double
    var scarTypeTotals: [String: Int]
    var dominantScarType: Dominant
    var scores: Scores

    struct Rater: Encodable {
        var id: String
        var name: String
    }

    struct Zone: Encodable {
        var zone: String
        var counts: [String: Int]
        var total: Int
        var sizeClass: String?
        var depthClass: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(zone, forKey: .zone)
            try c.encode(counts, forKey: .counts)
            try c.encode(total, forKey: .total)
            try c.encode(sizeClass, forKey: .sizeClass)
            try c.encode(depthClass, forKey: .depthClass)
        }

        enum CodingKeys: String, CodingKey { case zone, counts, total, sizeClass, depthClass }
    }

    struct Dominant: Encodable {
        /// Empty when no scars were counted; more than one on a tie.
        var types: [String]
        var count: Int
        var tie: Bool
    }

    struct QuantitativeScore<Input: Encodable, Row: Encodable>: Encodable {
        var scale: String
        var version: String
        var total: Int
        var input: Input
        var rows: [Row]
    }

    struct QualitativeScore: Encodable {
        var scale: String
        var version: String
        var grade: Int
        var level: String
        var input: GoodmanBaronQualitative.Answers
    }

    struct Scores: Encodable {
        var gbQuantitative: QuantitativeScore<GoodmanBaronQuantitative.Input, GoodmanBaronQuantitative.RowScore>
        var ecca: QuantitativeScore<ECCA.Input, ECCA.ItemScore>
        var gbQualitative: QualitativeScore
    }

    init(_ a: ScarAssessment) {
        let d = a.details
        id = a.id.lower
        patientId = a.patientId.lower
        assessedOn = d.assessedOn.description
        blinded = d.blinded
        notes = d.notes
        rater = Rater(id: a.raterId.lower, name: a.raterName)
        createdAt = a.createdAt
        zones = d.zones.map { f in
            Zone(zone: f.zone.rawValue, counts: Dictionary(uniqueKeysWithValues: ScarType.allCases.map { ($0.rawValue, f.count($0)) }),
                 total: f.total, sizeClass: f.sizeClass?.rawValue, depthClass: f.depthClass?.rawValue)
        }
        hypertrophicAreaCm2 = d.hypertrophicAreaCm2
        scarTypeTotals = Dictionary(uniqueKeysWithValues: d.typeTotals.map { ($0.key.rawValue, $0.value) })
        let dominant = d.dominantScarType
        dominantScarType = Dominant(types: dominant.types.map(\.rawValue), count: dominant.count, tie: dominant.isTie)
        let s = a.scores
        scores = Scores(
            gbQuantitative: .init(scale: s.gbQuantitative.scaleId, version: s.gbQuantitative.version, total: s.gbQuantitative.total,
                                  input: d.gbQuantitative, rows: s.gbQuantitative.result.rows),
            ecca: .init(scale: s.ecca.scaleId, version: s.ecca.version, total: s.ecca.total, input: d.ecca, rows: s.ecca.result.rows),
            gbQualitative: .init(scale: s.gbQualitative.scaleId, version: s.gbQualitative.version, grade: s.gbQualitative.total,
                                 level: s.gbQualitative.result.level, input: d.gbQualitative))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(patientId, forKey: .patientId)
        try c.encode(assessedOn, forKey: .assessedOn)
        try c.encode(blinded, forKey: .blinded)
        try c.encode(notes, forKey: .notes)
        try c.encode(rater, forKey: .rater)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(zones, forKey: .zones)
        try c.encode(hypertrophicAreaCm2, forKey: .hypertrophicAreaCm2)
        try c.encode(scarTypeTotals, forKey: .scarTypeTotals)
        try c.encode(dominantScarType, forKey: .dominantScarType)
        try c.encode(scores, forKey: .scores)
    }

    enum CodingKeys: String, CodingKey {
        case id, patientId, assessedOn, blinded, notes, rater, createdAt, zones, hypertrophicAreaCm2, scarTypeTotals, dominantScarType, scores
    }
}

struct AssessmentListJSON: Encodable {
    var items: [AssessmentJSON]
}
