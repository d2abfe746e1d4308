import Foundation
import ScarCore
import ScarStore

/// What a study page shows, as the template reads it. Allocation is shown only to those who may
/// see it; the rating grid shows participant codes and sides only, never which arm a side received.
struct StudyPageView {
    let study: StudyRepository.Study
    let participants: [StudyRepository.Participant]
    let measurements: [SideMeasurement]
    let role: Role

    var id: String { study.id.lower }
    var unblinded: Bool { StudyAccess.seeAllocation.contains(role) }

    static func format(_ v: Double?, _ digits: Int = 3) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }

    var header: [String: Any] {
        let d = study.design
        return [
            "title": d.title, "protocol": d.protocolSummary, "armA": d.armA, "armB": d.armB,
            "scale": ScaleNames.label(d.outcomeScale), "timePoints": d.timePoints.joined(separator: ", "),
            "enrolled": study.enrolled, "target": d.targetEnrolment,
            "seed": role == .admin ? String(study.seed) : "", "showSeed": role == .admin,
            "canEnrol": StudyAccess.designers.allows(role), "canRate": StudyAccess.raters.allows(role),
            "enrolURL": "/studies/\(id)/participants", "rateURL": "/studies/\(id)/ratings",
        ]
    }

    var participantRows: [String: Any] {
        [
            "participants": participants.map { p in
                ["code": p.code, "enrolledOn": CalendarDate.utc(p.enrolledAt).description, "unblinded": unblinded, "withdrawn": !p.consentValid,
                 "left": p.armASide == .left ? study.design.armA : study.design.armB,
                 "right": p.armASide == .right ? study.design.armA : study.design.armB] as [String: Any]
            },
            "hasParticipants": !participants.isEmpty, "unblinded": unblinded,
        ]
    }

    func ratingGrid(typed: [String: String], conflicts: Set<String>) -> [String: Any] {
        func value(_ p: StudyRepository.Participant, _ t: String, _ side: FaceSide) -> SideMeasurement? {
            measurements.first { $0.participant == p.number && $0.timePoint == t && $0.side == side }
        }
        return ["ratingRows": participants.flatMap { p in study.design.timePoints.map { t in
            let left = "r|\(p.code)|\(t)|left", right = "r|\(p.code)|\(t)|right"
            return ["code": p.code, "timePoint": t, "withdrawn": !p.consentValid,
                    "left": value(p, t, .left).map { Self.format($0.value, 1) } ?? "",
                    "right": value(p, t, .right).map { Self.format($0.value, 1) } ?? "",
                    "leftName": left, "rightName": right,
                    "leftTyped": typed[left] ?? "", "rightTyped": typed[right] ?? "",
                    "leftConflict": conflicts.contains(left), "rightConflict": conflicts.contains(right),
                    "leftDone": value(p, t, .left) != nil, "rightDone": value(p, t, .right) != nil] as [String: Any]
        } }]
    }

    func photos(_ rating: (photos: [StudyRepository.RatingPhoto], withheld: [String: String])) -> [String: Any] {
        [
            "ratingPhotos": participants.map { p in
                let mine = rating.photos.filter { $0.participantCode == p.code }
                func shots(_ side: FaceSide?) -> [[String: Any]] {
                    mine.filter { $0.view.side == side }.map { ph in
                        ["url": "/studies/\(id)/rating-photos/\(ph.id.lower)",
                         "caption": "\(ph.view.label), day \(ph.daysFromEnrolment)",
                         "alt": "\(p.code) \(ph.view.label) photo, day \(ph.daysFromEnrolment) from enrolment"]
                    }
                }
                let reason = rating.withheld[p.code]
                let both = shots(nil)
                return ["code": p.code, "withheld": reason != nil, "reason": reason ?? "", "none": reason == nil && mine.isEmpty,
                        "left": shots(.left), "right": shots(.right), "both": both, "hasBoth": !both.isEmpty] as [String: Any]
            },
            "hasRatingPhotos": !participants.isEmpty,
        ]
    }

    var analysis: [String: Any] {
        let result = SplitFaceAnalysis.analyze(timePoints: study.design.timePoints,
                                               armASide: Dictionary(uniqueKeysWithValues: participants.map { ($0.number, $0.armASide) }),
                                               measurements: measurements)
        let fmt = Self.format
        return [
            "showAnalysis": StudyAccess.seeAnalysis.contains(role),
            "analysis": result.map { tp in
                let a = tp.analysis
                return ["timePoint": tp.timePoint, "n": a.n, "dropped": a.dropped, "hasDropped": a.dropped > 0, "mean": fmt(a.meanDifference, 3),
                        "ci": a.ci95.map { "\(fmt($0.lower, 3)) to \(fmt($0.upper, 3))" } ?? "—",
                        "t": fmt(a.tStatistic, 3), "tp": fmt(a.tP, 4), "w": fmt(a.wilcoxonStatistic, 1), "wp": fmt(a.wilcoxonP, 4),
                        "method": a.wilcoxonMethod?.rawValue ?? "—", "dz": fmt(a.effectSize, 3)] as [String: Any]
            },
        ]
    }
}
