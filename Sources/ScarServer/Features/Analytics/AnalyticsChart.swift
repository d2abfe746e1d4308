import Foundation
import ScarCore

/// A server-rendered horizontal bar chart of proportions with 95 % Wilson interval whiskers.
/// Built as text with every value escaped; presentation attributes only (the CSP forbids
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
        func x(_ p: Double) -> Double { Self.labelWidth + p * plotW }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart analytics-chart" id="\(Markup.escape(id))" viewBox="0 0 \(Int(Self.width)) \(Int(h))" \
        role="img" aria-labelledby="\(Markup.escape(id))-title">
        <title id="\(Markup.escape(id))-title">\(Markup.escape(title)) (bars: proportion; whiskers: 95% Wilson interval)</title>
        <text x="0" y="18" class="chart-title">\(Markup.escape(title))</text>

        """
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let tx = x(tick)
            out += "<line x1=\"\(f(tx))\" y1=\"\(f(Self.top - 4))\" x2=\"\(f(tx))\" y2=\"\(f(h - Self.bottom))\" stroke=\"#d8e0e6\"/>"
            out += "<text x=\"\(f(tx))\" y=\"\(f(h - 10))\" text-anchor=\"middle\" class=\"tick\">\(Int(tick * 100))%</text>\n"
        }
        if bars.isEmpty {
            out += "<text x=\"\(f(Self.labelWidth))\" y=\"\(f(Self.top + 18))\" class=\"tick\">No data for this filter</text>\n"
        }
        for (i, bar) in bars.enumerated() {
            let y = Self.top + Double(i) * Self.rowHeight
            let mid = y + Self.rowHeight / 2
            out += "<text x=\"\(f(Self.labelWidth - 8))\" y=\"\(f(mid + 4))\" text-anchor=\"end\" class=\"bar-label\">\(Markup.escape(Self.clip(bar.label)))</text>"
            guard let ci = bar.interval else {
                out += "<text x=\"\(f(Self.labelWidth + 4))\" y=\"\(f(mid + 4))\" class=\"tick\">no evaluable patients</text>\n"
                continue
            }
            let fill = bar.reference ? "#b7791f" : "#2f6f8f"
            out += "<rect x=\"\(f(x(0)))\" y=\"\(f(y + 6))\" width=\"\(f(max(ci.proportion * plotW, 1)))\" height=\"\(f(Self.rowHeight - 12))\" fill=\"\(fill)\" fill-opacity=\"0.8\">"
            out += "<title>\(Markup.escape(bar.label)): \(Self.percent(ci.proportion)) (\(ci.successes)/\(ci.trials)), 95% CI \(Self.percent(ci.lower))–\(Self.percent(ci.upper))</title></rect>"
            out += "<line x1=\"\(f(x(ci.lower)))\" y1=\"\(f(mid))\" x2=\"\(f(x(ci.upper)))\" y2=\"\(f(mid))\" stroke=\"#1b2a33\" stroke-width=\"1.5\"/>"
            for end in [ci.lower, ci.upper] {
                out += "<line x1=\"\(f(x(end)))\" y1=\"\(f(mid - 6))\" x2=\"\(f(x(end)))\" y2=\"\(f(mid + 6))\" stroke=\"#1b2a33\" stroke-width=\"1.5\"/>"
            }
            out += "<text x=\"\(f(Self.width - Self.right + 6))\" y=\"\(f(mid + 4))\" class=\"value\">\(Self.percent(ci.proportion)) (\(ci.successes)/\(ci.trials))</text>\n"
        }
        out += "</svg>"
        return out
    }

    static func clip(_ s: String) -> String { s.count > 28 ? String(s.prefix(27)) + "…" : s }

    static func percent(_ p: Double) -> String { String(format: "%.1f%%", p * 100) }

}
