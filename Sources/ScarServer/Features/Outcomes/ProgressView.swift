import Foundation
import ScarCore
import ScarStore

/// What the progress page shows, as the template reads it: the scales compared over time, one
/// view's photos side by side, and the reported outcomes.
enum ProgressView {
    static func scales(_ progress: PatientProgress) -> [String: Any] {
        let comparisons = progress.comparisons.map(comparison)
        return [
            "hasAssessments": !progress.assessments.isEmpty, "hasComparisons": !comparisons.isEmpty,
            "baselineDate": progress.baseline?.details.assessedOn.description ?? "",
            "responder": progress.latest?.responder ?? false, "hasLatest": progress.latest != nil,
            "comparisons": comparisons,
        ]
    }

    /// A follow-up against the baseline (and the previous assessment), with the zones and scar types that changed.
    static func comparison(_ pair: (vsBaseline: OutcomeComparison, vsPrevious: OutcomeComparison)) -> [String: Any] {
        let b = pair.vsBaseline, p = pair.vsPrevious
        return ["date": b.toDate.description, "gbq": change(b.gbQuantitative), "ecca": change(b.ecca),
                "grade": "\(b.gbGrade.from) → \(b.gbGrade.to)", "responder": b.responder,
                "gbqPrev": change(p.gbQuantitative), "eccaPrev": change(p.ecca), "comparable": b.sameScaleVersions,
                "zones": FacialZone.allCases.compactMap { z -> [String: Any]? in
                    guard let c = b.zones[z], c.from != 0 || c.to != 0 else { return nil }
                    return ["label": z.label, "change": change(c)]
                },
                "types": ScarType.allCases.compactMap { t -> [String: Any]? in
                    guard let c = b.scarTypes[t], c.from != 0 || c.to != 0 else { return nil }
                    return ["label": t.label, "change": change(c)]
                }]
    }

    /// The baseline photo of one view beside a later one (the page's `?view=` and `?date=` choose).
    struct PhotoComparison {
        var view: PhotoView
        var sameView: [Photo]
        var baseline: Photo?
        var later: Photo?

        init(_ photos: [Photo], view chosenView: String?, date: String?) {
            view = PhotoView(rawValue: chosenView ?? "frontal") ?? .frontal
            let view = self.view
            sameView = photos.filter { $0.view == view }.sorted { $0.capturedOn < $1.capturedOn }
            let chosenDate = date.flatMap(CalendarDate.init)
            later = sameView.last { chosenDate == nil || $0.capturedOn == chosenDate } ?? sameView.last
            baseline = sameView.first
        }

        var data: [String: Any] {
            func photoData(_ p: Photo?) -> [String: Any] {
                guard let p else { return ["has": false] }
                return ["has": true, "url": "/photos/\(p.id.lower)/image", "date": p.capturedOn.description,
                        "alt": "\(p.view.label) photo, \(p.capturedOn)"]
            }
            return [
                "views": PhotoView.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == view] },
                "dates": sameView.map { ["value": $0.capturedOn.description, "selected": $0.id == later?.id] },
                "baselinePhoto": photoData(baseline), "laterPhoto": photoData(later == baseline ? nil : later),
                "hasPhotos": !sameView.isEmpty,
            ]
        }
    }

    static func reportedOutcomes(_ pros: [OutcomeRepository.Recorded]) -> [String: Any] {
        [
            "pros": pros.reversed().map { r in
                ["instrument": r.outcome.instrument, "version": r.outcome.instrumentVersion, "date": r.outcome.recordedOn.description,
                 "satisfaction": r.outcome.satisfaction.map(String.init) ?? "—", "items": r.outcome.responses.count,
                 "enteredBy": r.byPatient ? "the patient (portal)" : "clinic staff",
                 "answers": r.outcome.responses.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "; ")] as [String: Any]
            },
            "hasPros": !pros.isEmpty,
        ]
    }

    static func change(_ c: ScoreChange) -> String {
        let sign = c.absolute > 0 ? "+" : ""
        let percent = c.percent.map { String(format: " (%@%.0f%%)", $0 > 0 ? "+" : "", $0) } ?? ""
        return "\(c.from) → \(c.to): \(sign)\(c.absolute)\(percent)"
    }
}
