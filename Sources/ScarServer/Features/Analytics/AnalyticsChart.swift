import Foundation
import ScarCore

/// A server-rendered horizontal bar chart of proportions with 95 % Wilson interval whiskers.
/// Drawn through `SVG` (every value escaped); presentation attributes only (the CSP forbids
/// inline style and script). The same numbers are in a table beside each chart.
struct ProportionChart {
    struct Bar {
        var label: String
        var interval: WilsonInterval?
        /// Drawn in the second colour (the literature figure beside the clinic's).
        var reference: Bool = false
    }

    var id: String
    var title: String
    var bars: [Bar]

    static let width = 640.0, labelWidth = 190.0, right = 96.0, rowHeight = 30.0, top = 30.0, bottom = 28.0

    func svg() -> String {
        let plotW = Self.width - Self.labelWidth - Self.right
        let h = Self.top + Double(max(bars.count, 1)) * Self.rowHeight + Self.bottom
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func x(_ p: Double) -> String { f(Self.labelWidth + p * plotW) }
        var svg = SVG(["class": "chart analytics-chart", "id": id, "viewBox": "0 0 \(Int(Self.width)) \(Int(h))", "role": "img",
                       "aria-labelledby": "\(id)-title"],
                      titleId: "\(id)-title", title: "\(title) (bars: proportion; whiskers: 95% Wilson interval)")
        svg.element("text", ["x": "0", "y": "18", "class": "chart-title"], text: title)
        svg.newline()
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg.element("line", ["x1": x(tick), "y1": f(Self.top - 4), "x2": x(tick), "y2": f(h - Self.bottom), "stroke": "#d8e0e6"])
            svg.element("text", ["x": x(tick), "y": f(h - 10), "text-anchor": "middle", "class": "tick"], text: "\(Int(tick * 100))%")
            svg.newline()
        }
        if bars.isEmpty {
            svg.element("text", ["x": f(Self.labelWidth), "y": f(Self.top + 18), "class": "tick"], text: "No data for this filter")
            svg.newline()
        }
        for (i, bar) in bars.enumerated() {
            let y = Self.top + Double(i) * Self.rowHeight
            let mid = y + Self.rowHeight / 2
            svg.element("text", ["x": f(Self.labelWidth - 8), "y": f(mid + 4), "text-anchor": "end", "class": "bar-label"], text: Self.clip(bar.label))
            guard let ci = bar.interval else {
                svg.element("text", ["x": f(Self.labelWidth + 4), "y": f(mid + 4), "class": "tick"], text: "no evaluable patients")
                svg.newline()
                continue
            }
            svg.element("rect", ["x": x(0), "y": f(y + 6), "width": f(max(ci.proportion * plotW, 1)), "height": f(Self.rowHeight - 12),
                                 "fill": bar.reference ? "#b7791f" : "#2f6f8f", "fill-opacity": "0.8"],
                        title: "\(bar.label): \(Self.percent(ci.proportion)) (\(ci.successes)/\(ci.trials)), 95% CI \(Self.percent(ci.lower))–\(Self.percent(ci.upper))")
            svg.element("line", ["x1": x(ci.lower), "y1": f(mid), "x2": x(ci.upper), "y2": f(mid), "stroke": "#1b2a33", "stroke-width": "1.5"])
            for end in [ci.lower, ci.upper] {
                svg.element("line", ["x1": x(end), "y1": f(mid - 6), "x2": x(end), "y2": f(mid + 6), "stroke": "#1b2a33",
                                     "stroke-width": "1.5"])
            }
            svg.element("text", ["x": f(Self.width - Self.right + 6), "y": f(mid + 4), "class": "value"],
                        text: "\(Self.percent(ci.proportion)) (\(ci.successes)/\(ci.trials))")
            svg.newline()
        }
        return svg.closed
    }

    static func clip(_ s: String) -> String { s.count > 28 ? String(s.prefix(27)) + "…" : s }

    static func percent(_ p: Double) -> String { String(format: "%.1f%%", p * 100) }

}
