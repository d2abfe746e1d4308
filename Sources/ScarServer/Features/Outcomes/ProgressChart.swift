import Foundation
import ScarCore

/// A server-rendered SVG line chart of one scale over time, with session days marked.
/// Drawn through `SVG` (every value escaped); no script, no inline style (the CSP forbids both).
struct ProgressChart {
    struct Point {
        var date: CalendarDate
        var value: Int
    }

    var title: String
    var unit: String
    var points: [Point]
    var sessionDates: [CalendarDate]
    var id: String

    /// The scale charts of one patient's course, ids prefixed so two pages' charts never clash.
    static func scales(_ progress: PatientProgress, sessionDates: [CalendarDate], idPrefix: String, includeECCA: Bool = true) -> [ProgressChart] {
        func chart(_ title: String, _ unit: String, _ id: String, _ value: (ScarAssessment) -> Int) -> ProgressChart {
            ProgressChart(title: title, unit: unit, points: progress.assessments.map { .init(date: $0.details.assessedOn, value: value($0)) },
                          sessionDates: sessionDates, id: "\(idPrefix)-\(id)")
        }
        return [chart("Goodman & Baron quantitative", "points", "gbq") { $0.scores.gbQuantitative.total }]
            + (includeECCA ? [chart("ECCA", "points", "ecca") { $0.scores.ecca.total }] : [])
            + [chart("Goodman & Baron qualitative grade", "grade", "gbl") { $0.scores.gbQualitative.total }]
    }

    static let width = 560.0, height = 220.0
    static let left = 44.0, right = 16.0, top = 28.0, bottom = 36.0

    func svg() -> String {
        let w = Self.width, h = Self.height
        let plotW = w - Self.left - Self.right, plotH = h - Self.top - Self.bottom
        let days = points.map { Self.day($0.date) } + sessionDates.map(Self.day)
        let minDay = days.min() ?? 0, maxDay = max(days.max() ?? 1, minDay + 1)
        let maxValue = Self.niceMax(points.map(\.value).max() ?? 0)
        func x(_ d: CalendarDate) -> String { "\(Self.left + (Double(Self.day(d) - minDay) / Double(maxDay - minDay)) * plotW)" }
        func y(_ v: Int, _ shift: Double = 0) -> String { "\(Self.top + plotH - Double(v) / Double(maxValue) * plotH + shift)" }
        let left = "\(Self.left)"

        var svg = SVG(["class": "chart", "id": id, "viewBox": "0 0 \(Int(w)) \(Int(h))", "role": "img", "aria-labelledby": "\(id)-title"],
                      titleId: "\(id)-title", title: "\(title) over time")
        svg.element("text", ["x": left, "y": "18", "class": "chart-title"], text: title)
        svg.newline()
        for tick in [0, maxValue / 2, maxValue] {
            svg.element("line", ["x1": left, "y1": y(tick), "x2": "\(w - Self.right)", "y2": y(tick), "class": "grid", "stroke": "#d8e0e6"])
            svg.element("text", ["x": "\(Self.left - 6)", "y": y(tick, 4), "text-anchor": "end", "class": "tick"], text: "\(tick)")
            svg.newline()
        }
        for date in sessionDates {
            svg.element("line", ["x1": x(date), "y1": "\(Self.top)", "x2": x(date), "y2": "\(Self.top + plotH)", "class": "session",
                                 "stroke": "#9fd3ea", "stroke-dasharray": "4 3"], title: "Session \(date.description)")
            svg.newline()
        }
        if points.count > 1 {
            svg.element("polyline", ["points": points.map { "\(x($0.date)),\(y($0.value))" }.joined(separator: " "), "fill": "none",
                                     "stroke": "#2f6f8f", "stroke-width": "2.5"])
            svg.newline()
        }
        for p in points {
            svg.element("circle", ["cx": x(p.date), "cy": y(p.value), "r": "5", "fill": "#2f6f8f"], title: "\(p.date.description): \(p.value) \(unit)")
            svg.element("text", ["x": x(p.date), "y": y(p.value, -9), "text-anchor": "middle", "class": "value"], text: "\(p.value)")
            svg.newline()
        }
        if let first = points.first?.date {
            svg.element("text", ["x": left, "y": "\(h - 10)", "class": "tick"], text: first.description)
        }
        if let last = points.last?.date, points.count > 1 {
            svg.element("text", ["x": "\(w - Self.right)", "y": "\(h - 10)", "text-anchor": "end", "class": "tick"], text: last.description)
        }
        return svg.closed
    }

    static func day(_ d: CalendarDate) -> Int {
        var c = DateComponents()
        (c.year, c.month, c.day) = (d.year, d.month, d.day)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return Int((cal.date(from: c)?.timeIntervalSince1970 ?? 0) / 86_400)
    }

    /// A round upper bound for the y axis (at least 4, so a grade scale still reads well).
    static func niceMax(_ v: Int) -> Int {
        let target = max(v, 4)
        for step in [4, 10, 20, 40, 50, 100, 200, 250, 500, 1000] where step >= target { return step }
        return ((target + 99) / 100) * 100
    }
}
