import Foundation
import ScarCore
import ScarStore

/// The `study` page's view model. Allocation is shown only to those who may see it; the rating
/// grid shows participant codes and sides only, never which arm a side received.
struct StudyPage {
    struct ParticipantRow {
        var code: String
        var enrolledOn: String
        var unblinded: Bool
        var withdrawn: Bool
        var left: String
        var right: String
    }

    struct RatingRow {
        var code: String
        var timePoint: String
        var withdrawn: Bool
        var left: String
        var right: String
        var leftName: String
        var rightName: String
        var leftTyped: String
        var rightTyped: String
        var leftConflict: Bool
        var rightConflict: Bool
        var leftDone: Bool
        var rightDone: Bool
    }

    struct Shot {
        var url: String
        var caption: String
        var alt: String
    }

    struct PhotoRow {
        var code: String
        var withheld: Bool
        var reason: String
        var none: Bool
        var left: [Shot]
        var right: [Shot]
        var both: [Shot]
    }

    struct AnalysisRow {
        var timePoint: String
        var n: Int
        /// Participants left out for missing ratings; nil when none.
        var dropped: Int?
        var mean: String
        var ci: String
        var t: String
        var tp: String
        var w: String
        var wp: String
        var method: String
        var dz: String
    }

    // Header.
    var title: String
    var `protocol`: String
    var armA: String
    var armB: String
    var scale: String
    var timePoints: String
    var enrolled: Int
    var target: Int
    /// The randomization seed, for administrators (auditors) only.
    var seed: String?
    var canEnrol: Bool
    var canRate: Bool
    var enrolURL: String
    var rateURL: String
    /// Why the last form was refused.
    var error: String?

    var unblinded: Bool
    var participants: [ParticipantRow]
    var ratingRows: [RatingRow]
    var ratingPhotos: [PhotoRow]
    var showAnalysis: Bool
    var analysis: [AnalysisRow]

    static func format(_ v: Double?, _ digits: Int = 3) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }

    init(study: StudyRepository.Study, participants: [StudyRepository.Participant], measurements: [SideMeasurement], role: Role,
         rating: (photos: [StudyRepository.RatingPhoto], withheld: [String: String]), typed: [String: String], conflicts: Set<String>,
         error: String?) {
        let d = study.design
        let id = study.id.lower
        title = d.title
        self.protocol = d.protocolSummary
        (armA, armB) = (d.armA, d.armB)
        scale = ScaleNames.label(d.outcomeScale)
        timePoints = d.timePoints.joined(separator: ", ")
        (enrolled, target) = (study.enrolled, d.targetEnrolment)
        seed = role == .admin ? String(study.seed) : nil
        canEnrol = AccessPolicy.clinicians.allows(role)
        canRate = AccessPolicy.raters.allows(role)
        (enrolURL, rateURL) = ("/studies/\(id)/participants", "/studies/\(id)/ratings")
        self.error = error
        let unblinded = AccessPolicy.clinicians.allows(role)
        self.unblinded = unblinded
        self.participants = participants.map { p in
            ParticipantRow(code: p.code, enrolledOn: CalendarDate.utc(p.enrolledAt).description, unblinded: unblinded, withdrawn: !p.consentValid,
                           left: p.armASide == .left ? d.armA : d.armB, right: p.armASide == .right ? d.armA : d.armB)
        }
        ratingRows = Self.ratingRows(d, participants: participants, measurements: measurements, typed: typed, conflicts: conflicts)
        ratingPhotos = participants.map { Self.photoRow($0, studyId: id, rating: rating) }
        showAnalysis = AccessPolicy.analysts.allows(role)
        analysis = Self.analysis(d, participants: participants, measurements: measurements)
    }

    static func ratingRows(_ d: StudyDesign, participants: [StudyRepository.Participant], measurements: [SideMeasurement],
                           typed: [String: String], conflicts: Set<String>) -> [RatingRow] {
        func value(_ p: StudyRepository.Participant, _ t: String, _ side: FaceSide) -> SideMeasurement? {
            measurements.first { $0.participant == p.number && $0.timePoint == t && $0.side == side }
        }
        return participants.flatMap { p in d.timePoints.map { t in
            let left = "r|\(p.code)|\(t)|left", right = "r|\(p.code)|\(t)|right"
            return RatingRow(code: p.code, timePoint: t, withdrawn: !p.consentValid,
                             left: value(p, t, .left).map { format($0.value, 1) } ?? "", right: value(p, t, .right).map { format($0.value, 1) } ?? "",
                             leftName: left, rightName: right, leftTyped: typed[left] ?? "", rightTyped: typed[right] ?? "",
                             leftConflict: conflicts.contains(left), rightConflict: conflicts.contains(right),
                             leftDone: value(p, t, .left) != nil, rightDone: value(p, t, .right) != nil)
        } }
    }

    static func photoRow(_ p: StudyRepository.Participant, studyId: String,
                         rating: (photos: [StudyRepository.RatingPhoto], withheld: [String: String])) -> PhotoRow {
        let mine = rating.photos.filter { $0.participantCode == p.code }
        func shots(_ side: FaceSide?) -> [Shot] {
            mine.filter { $0.view.side == side }.map { ph in
                Shot(url: "/studies/\(studyId)/rating-photos/\(ph.id.lower)", caption: "\(ph.view.label), day \(ph.daysFromEnrolment)",
                     alt: "\(p.code) \(ph.view.label) photo, day \(ph.daysFromEnrolment) from enrolment")
            }
        }
        let reason = rating.withheld[p.code]
        return PhotoRow(code: p.code, withheld: reason != nil, reason: reason ?? "", none: reason == nil && mine.isEmpty,
                        left: shots(.left), right: shots(.right), both: shots(nil))
    }

    static func analysis(_ d: StudyDesign, participants: [StudyRepository.Participant], measurements: [SideMeasurement]) -> [AnalysisRow] {
        SplitFaceAnalysis.analyze(timePoints: d.timePoints, armASide: Dictionary(uniqueKeysWithValues: participants.map { ($0.number, $0.armASide) }),
                                  measurements: measurements).map { tp in
            let a = tp.analysis
            return AnalysisRow(timePoint: tp.timePoint, n: a.n, dropped: a.dropped > 0 ? a.dropped : nil, mean: format(a.meanDifference, 3),
                               ci: a.ci95.map { "\(format($0.lower, 3)) to \(format($0.upper, 3))" } ?? "—",
                               t: format(a.tStatistic, 3), tp: format(a.tP, 4), w: format(a.wilcoxonStatistic, 1), wp: format(a.wilcoxonP, 4),
                               method: a.wilcoxonMethod?.rawValue ?? "—", dz: format(a.effectSize, 3))
        }
    }
}

/// The `studies` page's view model: the list and the new-study form.
struct StudiesPage {
    struct Row {
        var url: String
        var title: String
        var enrolled: Int
        var target: Int
        var scale: String
    }

    struct Scale {
        var value: String
        var label: String
    }

    var studies: [Row]
    var canDesign: Bool
    var scales = StudyDesign.scales.map { Scale(value: $0, label: ScaleNames.label($0)) }
    var errors: [FieldError]
}
