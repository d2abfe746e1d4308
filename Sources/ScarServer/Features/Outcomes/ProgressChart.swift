import Foundation
import ScarCore

/// A server-rendered SVG line chart of one scale over time, with session days marked.
/// Built as text with every value escaped; no script, no inline style (the CSP forbids both).
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
        func x(_ d: CalendarDate) -> Double { Self.left + (Double(Self.day(d) - minDay) / Double(maxDay - minDay)) * plotW }
        func y(_ v: Int) -> Double { Self.top + plotH - Double(v) / Double(maxValue) * plotH }

        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart" id="\(esc(id))" viewBox="0 0 \(Int(w)) \(Int(h))" role="img" aria-labelledby="\(esc(id))-title">
        <title id="\(esc(id))-title">\(esc(title)) over time</title>
        <text x="\(Self.left)" y="18" class="chart-title">\(esc(title))</text>

        """
        for tick in [0, maxValue / 2, maxValue] {
            let ty = y(tick)
            out += "<line x1=\"\(Self.left)\" y1=\"\(ty)\" x2=\"\(w - Self.right)\" y2=\"\(ty)\" class=\"grid\" stroke=\"#d8e0e6\"/>"
            out += "<text x=\"\(Self.left - 6)\" y=\"\(ty + 4)\" text-anchor=\"end\" class=\"tick\">\(tick)</text>\n"
        }
        for date in sessionDates {
            let sx = x(date)
            out += "<line x1=\"\(sx)\" y1=\"\(Self.top)\" x2=\"\(sx)\" y2=\"\(Self.top + plotH)\" class=\"session\" stroke=\"#9fd3ea\" stroke-dasharray=\"4 3\"><title>Session \(esc(date.description))</title></line>\n"
        }
        if points.count > 1 {
            let path = points.map { "\(x($0.date)),\(y($0.value))" }.joined(separator: " ")
            out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#2f6f8f\" stroke-width=\"2.5\"/>\n"
        }
        for p in points {
            out += "<circle cx=\"\(x(p.date))\" cy=\"\(y(p.value))\" r=\"5\" fill=\"#2f6f8f\"><title>\(esc(p.date.description)): \(p.value) \(esc(unit))</title></circle>"
            out += "<text x=\"\(x(p.date))\" y=\"\(y(p.value) - 9)\" text-anchor=\"middle\" class=\"value\">\(p.value)</text>\n"
        }
        if let first = points.first?.date {
            out += "<text x=\"\(Self.left)\" y=\"\(h - 10)\" class=\"tick\">\(esc(first.description))</text>"
        }
        if let last = points.last?.date, points.count > 1 {
            out += "<text x=\"\(w - Self.right)\" y=\"\(h - 10)\" text-anchor=\"end\" class=\"tick\">\(esc(last.description))</text>"
        }
        out += "</svg>"
        return out
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

    func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
