@testable import ScarServer
import ScarCore
import Testing

/// The one SVG builder escapes every attribute value and text, and the drawings built on it keep
/// their accessible names.
@Suite("SVG builder")
struct SVGTests {
    @Test func attributeValuesAndTextAreEscapedThroughTheOneEscaper() {
        var svg = SVG(["id": "a\"b", "viewBox": "0 0 10 10"], titleId: "a\"b-title", title: "<script>&")
        svg.element("text", ["x": "1", "data-note": "O'Brien <b>"], title: "x & y", text: "5 < 6")
        svg.element("line", ["x1": "0"])
        svg.group(["class": "zone"], title: "T") { $0.element("path", ["d": "M0,0 Z"]) }
        let out = svg.closed
        #expect(out == """
            <svg xmlns="http://www.w3.org/2000/svg" id="a&quot;b" viewBox="0 0 10 10">
            <title id="a&quot;b-title">&lt;script&gt;&amp;</title>
            <text x="1" data-note="O&#39;Brien &lt;b&gt;"><title>x &amp; y</title>5 &lt; 6</text><line x1="0"/>\
            <g class="zone"><title>T</title><path d="M0,0 Z"/></g></svg>
            """)
    }

    @Test func theFaceDiagramNamesEveryZoneWithItsCount() {
        let svg = FaceDiagram.svg([ZoneFinding(zone: .nose, counts: [.boxcar: 3])])
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 320 400\" class=\"face-diagram\""))
        #expect(svg.contains("aria-label=\"Nose: 3 scars\" data-count=\"3\"><title>Nose: 3 scars</title>"))
        #expect(svg.components(separatedBy: "class=\"zone\"").count == FacialZone.allCases.count + 1)
        #expect(svg.contains("<text x=\"40\" y=\"24\">Patient’s right</text>"))
        #expect(svg.hasSuffix("</g>\n</svg>"))
    }
}
