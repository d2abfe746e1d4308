import Foundation
import ScarCore
import ScarStore

/// What the progress page shows (`OutcomePages.Progress`): the scales compared over time, one
/// view's photos side by side, and the reported outcomes.
enum ProgressView {
    /// A follow-up against the baseline (and the previous assessment), with the zones and scar types that changed.
    static func comparison(_ pair: (vsBaseline: OutcomeComparison, vsPrevious: OutcomeComparison)) -> OutcomePages.Comparison {
        let b = pair.vsBaseline, p = pair.vsPrevious
        return .init(date: b.toDate.description, gbq: change(b.gbQuantitative), ecca: change(b.ecca), grade: "\(b.gbGrade.from) → \(b.gbGrade.to)",
                     responder: b.responder, gbqPrev: change(p.gbQuantitative), eccaPrev: change(p.ecca), comparable: b.sameScaleVersions,
                     zones: FacialZone.allCases.compactMap { z -> OutcomePages.ZoneOrTypeChange? in
                         guard let c = b.zones[z], c.from != 0 || c.to != 0 else { return nil }
                         return .init(label: z.label, change: change(c))
                     },
                     types: ScarType.allCases.compactMap { t -> OutcomePages.ZoneOrTypeChange? in
                         guard let c = b.scarTypes[t], c.from != 0 || c.to != 0 else { return nil }
                         return .init(label: t.label, change: change(c))
                     })
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

        var views: [SelectOption] { PhotoView.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == view) } }

        /// The later photos to choose from (empty when there is no photo of this view).
        var dates: [SelectOption] {
            sameView.map { .init(value: $0.capturedOn.description, label: $0.capturedOn.description, selected: $0.id == later?.id) }
        }

        static func shown(_ p: Photo?) -> OutcomePages.ShownPhoto? {
            p.map { .init(url: "/photos/\($0.id.lower)/image", date: $0.capturedOn.description, alt: "\($0.view.label) photo, \($0.capturedOn)") }
        }
    }

    static func reportedOutcomes(_ pros: [OutcomeRepository.Recorded]) -> [OutcomePages.ReportedOutcome] {
        pros.reversed().map { r in
            .init(instrument: r.outcome.instrument, version: r.outcome.instrumentVersion, date: r.outcome.recordedOn.description,
                  satisfaction: r.outcome.satisfaction.map(String.init) ?? "—", items: r.outcome.responses.count,
                  enteredBy: r.byPatient ? "the patient (portal)" : "clinic staff",
                  answers: r.outcome.responses.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "; "))
        }
    }

    static func change(_ c: ScoreChange) -> String {
        let sign = c.absolute > 0 ? "+" : ""
        let percent = c.percent.map { String(format: " (%@%.0f%%)", $0 > 0 ? "+" : "", $0) } ?? ""
        return "\(c.from) → \(c.to): \(sign)\(c.absolute)\(percent)"
    }
}
