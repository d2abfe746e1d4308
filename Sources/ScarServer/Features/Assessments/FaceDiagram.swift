import ScarCore

/// A server-rendered SVG of a stylised face with the ten assessment zones, each labelled with
/// its total scar count and shaded by it. Drawn facing the patient: the patient's right side
/// is on the viewer's left. Accessible: the figure has a title, every zone a `<title>` and an
/// `aria-label`; the page shows the same numbers as a table. Only presentation attributes are
/// used (no `style=`), so the strict CSP needs no `unsafe-inline`. Drawn through `SVG`.
enum FaceDiagram {
    /// A zone's outline (an SVG path in a 320 × 400 box) and where its count is written.
    struct Shape {
        var path: String
        var labelX: Double
        var labelY: Double
    }

    static let shapes: [FacialZone: Shape] = [
        .forehead: Shape(path: "M72,122 Q76,46 160,38 Q244,46 248,122 Q160,108 72,122 Z", labelX: 160, labelY: 88),
        .rightTemple: Shape(path: "M44,118 L70,124 L74,178 L44,188 Q38,150 44,118 Z", labelX: 58, labelY: 156),
        .leftTemple: Shape(path: "M276,118 L250,124 L246,178 L276,188 Q282,150 276,118 Z", labelX: 262, labelY: 156),
        .rightCheek: Shape(path: "M56,196 Q88,184 124,196 Q132,238 118,266 Q84,276 60,258 Q48,226 56,196 Z", labelX: 90, labelY: 234),
        .leftCheek: Shape(path: "M264,196 Q232,184 196,196 Q188,238 202,266 Q236,276 260,258 Q272,226 264,196 Z", labelX: 230, labelY: 234),
        .nose: Shape(path: "M150,136 L170,136 L184,240 Q160,252 136,240 Z", labelX: 160, labelY: 212),
        .perioral: Shape(path: "M124,266 Q160,252 196,266 Q206,284 196,300 Q160,312 124,300 Q114,284 124,266 Z", labelX: 160, labelY: 288),
        .chin: Shape(path: "M128,318 Q160,308 192,318 Q198,344 176,362 Q160,368 144,362 Q122,344 128,318 Z", labelX: 160, labelY: 343),
        .rightJawline: Shape(path: "M60,272 Q88,284 116,306 L124,344 Q104,350 92,344 Q70,316 60,272 Z", labelX: 95, labelY: 318),
        .leftJawline: Shape(path: "M260,272 Q232,284 204,306 L196,344 Q216,350 228,344 Q250,316 260,272 Z", labelX: 225, labelY: 318),
    ]

    /// Fill for no scars, then five steps from light to dark.
    static let palette = ["#f1f4f6", "#fde3cc", "#f9c49f", "#f29a6e", "#dd6a45", "#b2402a"]

    /// The shading step of a count: 0 for none, else 1–5 relative to the busiest zone.
    static func level(_ count: Int, max: Int) -> Int {
        guard count > 0, max > 0 else { return 0 }
        return min(5, Int((Double(count) / Double(max) * 5).rounded(.up)))
    }

    static func zoneText(_ zone: FacialZone, count: Int) -> String {
        "\(zone.label): \(count) \(count == 1 ? "scar" : "scars")"
    }

    static func svg(_ zones: [ZoneFinding], id: String = "face-diagram") -> String {
        let totals = Dictionary(zones.map { ($0.zone, $0.total) }, uniquingKeysWith: +)
        let busiest = totals.values.max() ?? 0
        let sum = totals.values.reduce(0, +)
        var svg = SVG(["viewBox": "0 0 320 400", "class": "face-diagram", "id": id, "role": "group", "aria-labelledby": "\(id)-title"],
                      titleId: "\(id)-title", title: "Face diagram: \(sum) scars counted in 10 zones, shaded by count")
        svg.element("ellipse", ["cx": "160", "cy": "204", "rx": "126", "ry": "172", "fill": "#ffffff", "stroke": "#5b6b78", "stroke-width": "2"])
        svg.newline()
        svg.group(["aria-hidden": "true", "fill": "none", "stroke": "#9aa8b2", "stroke-width": "1.5"]) { g in
            g.newline()
            g.element("path", ["d": "M94,146 Q112,134 130,146 Q112,156 94,146 Z"])
            g.element("path", ["d": "M190,146 Q208,134 226,146 Q208,156 190,146 Z"])
            g.newline()
        }
        svg.newline()
        svg.group(["aria-hidden": "true", "fill": "#5b6b78", "font-family": "system-ui, sans-serif", "font-size": "11", "text-anchor": "middle"]) { g in
            g.newline()
            g.element("text", ["x": "40", "y": "24"], text: "Patient’s right")
            g.element("text", ["x": "280", "y": "24"], text: "Patient’s left")
            g.newline()
        }
        svg.newline()
        for zone in FacialZone.allCases {
            guard let shape = shapes[zone] else { continue }
            let count = totals[zone] ?? 0
            let step = level(count, max: busiest)
            let text = zoneText(zone, count: count)
            svg.group(["class": "zone", "id": "\(id)-\(zone.rawValue)", "role": "img", "aria-label": text, "data-count": "\(count)"], title: text) { g in
                g.element("path", ["d": shape.path, "fill": palette[step], "stroke": "#3d4b55", "stroke-width": "1.2"])
                g.element("text", ["x": SVG.number(shape.labelX), "y": SVG.number(shape.labelY), "text-anchor": "middle",
                                   "dominant-baseline": "middle", "font-family": "system-ui, sans-serif", "font-size": "15",
                                   "font-weight": "700", "fill": step >= 4 ? "#ffffff" : "#1f2a33", "aria-hidden": "true"],
                          text: "\(count)")
            }
            svg.newline()
        }
        return svg.closed
    }
}
