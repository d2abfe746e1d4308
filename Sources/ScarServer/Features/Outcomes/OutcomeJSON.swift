import Foundation
import ScarCore
import ScarStore

struct ComparisonJSON: Encodable {
    var reference: String
    var from: String
    var to: String
    var fromDate: String
    var toDate: String
    var gbQuantitative: ScoreChange
    var ecca: ScoreChange
    var gbQualitativeGrade: ScoreChange
    var responder: Bool
    var sameScaleVersions: Bool
    var zones: [String: ScoreChange]
    var scarTypes: [String: ScoreChange]

    init(_ c: OutcomeComparison) {
        reference = c.reference.rawValue
        from = c.fromId.lower
        to = c.toId.lower
        fromDate = c.fromDate.description
        toDate = c.toDate.description
        gbQuantitative = c.gbQuantitative
        ecca = c.ecca
        gbQualitativeGrade = c.gbGrade
        responder = c.responder
        sameScaleVersions = c.sameScaleVersions
        zones = Dictionary(uniqueKeysWithValues: c.zones.map { ($0.key.rawValue, $0.value) })
        scarTypes = Dictionary(uniqueKeysWithValues: c.scarTypes.map { ($0.key.rawValue, $0.value) })
    }
}

struct OutcomesJSON: Encodable {
    var baseline: String?
    var assessments: Int
    var responder: Bool?
    var comparisons: [Pair]

    struct Pair: Encodable {
        var vsBaseline: ComparisonJSON
        var vsPrevious: ComparisonJSON
    }

    init(_ p: PatientProgress) {
        baseline = p.baseline?.id.lower
        assessments = p.assessments.count
        responder = p.latest?.responder
        comparisons = p.comparisons.map { Pair(vsBaseline: ComparisonJSON($0.vsBaseline), vsPrevious: ComparisonJSON($0.vsPrevious)) }
    }
}

struct PROJSON: Encodable {
    var id: String
    var instrument: String
    var instrumentVersion: String
    var responses: [String: String]
    var satisfaction: Int?
    var recordedOn: String

    init(_ r: OutcomeRepository.Recorded) {
        id = r.id.lower
        instrument = r.outcome.instrument
        instrumentVersion = r.outcome.instrumentVersion
        responses = r.outcome.responses
        satisfaction = r.outcome.satisfaction
        recordedOn = r.outcome.recordedOn.description
    }

    func encode(to encoder: any Encoder) throws {
        enum K: String, CodingKey { case id, instrument, instrumentVersion, responses, satisfaction, recordedOn }
        var c = encoder.container(keyedBy: K.self)
        try c.encode(id, forKey: .id)
        try c.encode(instrument, forKey: .instrument)
        try c.encode(instrumentVersion, forKey: .instrumentVersion)
        try c.encode(responses, forKey: .responses)
        try c.encode(satisfaction, forKey: .satisfaction)
        try c.encode(recordedOn, forKey: .recordedOn)
    }
}
