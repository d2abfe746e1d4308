import Foundation
import ScarCore
import ScarStore

/// JSON shapes of the studies API (participant codes only, never names).
struct StudyJSON: Encodable {
    var id: String
    var title: String
    var `protocol`: String
    var armA: String
    var armB: String
    var outcomeScale: String
    var timePoints: [String]
    var targetEnrolment: Int
    var enrolled: Int
    var seed: String?

    init(_ s: StudyRepository.Study, showSeed: Bool) {
        id = s.id.lower
        title = s.design.title
        self.protocol = s.design.protocolSummary
        armA = s.design.armA
        armB = s.design.armB
        outcomeScale = s.design.outcomeScale
        timePoints = s.design.timePoints
        targetEnrolment = s.design.targetEnrolment
        enrolled = s.enrolled
        seed = showSeed ? String(s.seed) : nil
    }
}

struct ParticipantJSON: Encodable {
    var code: String
    var number: Int
    var armASide: String?
    var enrolledAt: Date

    init(_ p: StudyRepository.Participant, unblinded: Bool) {
        code = p.code
        number = p.number
        armASide = unblinded ? p.armASide.rawValue : nil
        enrolledAt = p.enrolledAt
    }
}

struct TimePointJSON: Encodable {
    struct TTest: Encodable { var statistic: Double?; var p: Double?; var df: Int? }
    struct Wilcoxon: Encodable { var statistic: Double?; var p: Double?; var method: String? }
    var timePoint: String
    var n: Int
    var dropped: Int
    var meanDifference: Double?
    var ci95: [Double]?
    var tTest: TTest
    var wilcoxon: Wilcoxon
    var effectSize: Double?

    init(_ t: SplitFaceAnalysis.TimePoint) {
        let a = t.analysis
        timePoint = t.timePoint
        n = a.n
        dropped = a.dropped
        meanDifference = a.meanDifference
        ci95 = a.ci95.map { [$0.lower, $0.upper] }
        tTest = TTest(statistic: a.tStatistic, p: a.tP, df: a.df)
        wilcoxon = Wilcoxon(statistic: a.wilcoxonStatistic, p: a.wilcoxonP, method: a.wilcoxonMethod?.rawValue)
        effectSize = a.effectSize
    }
}
