import Foundation
import ScarCore
import ScarStore

/// The dashboard's numbers as the `analytics` template shows them: rates as percentages with
/// their 95 % interval, one SVG bar chart per grouping, and the adverse-event comparison.
enum AnalyticsView {
    static func pct(_ p: Double?) -> String { p.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
    static func num(_ v: Double?, _ digits: Int = 2) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }
    static func interval(_ ci: WilsonInterval?) -> String { ci.map { "\(pct($0.lower))–\(pct($0.upper))" } ?? "—" }

    static func data(_ r: ClinicAnalytics) -> [String: Any] {
        let overall = r.overall
        return [
            "patientsTreated": r.patientsTreated, "sessionsSigned": r.sessionsSigned, "completedCourses": r.completedCourses,
            "evaluable": overall?.evaluable ?? 0, "responders": overall?.responders ?? 0,
            "overallRate": pct(overall?.interval?.proportion), "overallCI": interval(overall?.interval),
            "overallSVG": ProportionChart(id: "chart-overall", title: "Responder rate, all patients",
                                          bars: overall.map { [ProportionChart.Bar(label: "All patients", interval: $0.interval)] } ?? []).svg(),
            "dimensions": dimensions(r),
            "changes": r.scaleChanges.map { ["label": $0.label, "scale": $0.scale, "patients": $0.patients, "mean": num($0.mean)] },
            "ttrPatients": r.timeToResponse.patients, "ttrMean": num(r.timeToResponse.mean, 1), "ttrMedian": num(r.timeToResponse.median, 1),
        ].merging(adverseEvents(r.adverseEvents)) { _, new in new }
    }

    static func dimensions(_ r: ClinicAnalytics) -> [[String: Any]] {
        AnalyticsDimension.allCases.filter { $0 != .overall }.map { dim -> [String: Any] in
            let groups = r.groups(dim)
            let chart = ProportionChart(id: "chart-\(dim.rawValue)", title: "Responder rate by \(dim.label.lowercased())",
                                        bars: groups.map { .init(label: $0.label, interval: $0.interval) })
            return [
                "id": dim.rawValue, "label": dim.label, "svg": chart.svg(),
                "rows": groups.map { g -> [String: Any] in
                    ["label": g.label, "key": g.key, "patients": g.patients, "evaluable": g.evaluable, "responders": g.responders,
                     "rate": pct(g.interval?.proportion), "ci": interval(g.interval)]
                },
                "isFitzpatrick": dim == .fitzpatrickGroup, "isDepth": dim == .depthBand,
            ]
        }
    }

    static func adverseEvents(_ ae: AdverseEventRates) -> [String: Any] {
        let lit = LiteratureAdverseEvents.interval
        let chart = ProportionChart(id: "chart-ae", title: "Adverse events: patients with at least one", bars: [
            .init(label: "This clinic (per patient)", interval: ae.perPatient),
            .init(label: "Literature: 18 of 246", interval: lit, reference: true),
            .init(label: "This clinic (per session)", interval: ae.perSession),
        ])
        func row(_ label: String, _ ci: WilsonInterval?, k: Int, n: Int, id: String) -> [String: Any] {
            ["label": label, "id": id, "k": k, "n": n, "rate": pct(ci?.proportion), "ci": interval(ci)]
        }
        return [
            "aeEvents": ae.events, "aeSVG": chart.svg(),
            "aeRows": [row("This clinic, per patient", ae.perPatient, k: ae.patientsWithEvent, n: ae.patients, id: "ae-per-patient"),
                       row("This clinic, per signed session", ae.perSession, k: ae.sessionsWithEvent, n: ae.sessions, id: "ae-per-session"),
                       row("Literature (Harris, Naidoo & Murrell 2015)", lit, k: lit.successes, n: lit.trials, id: "ae-literature")],
        ]
    }
}
