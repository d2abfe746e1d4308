import Foundation
import Mustache
@testable import ScarServer
import Testing

/// The pages' view models reach the templates through `ReflectedModel` (each struct reflected once
/// per render, not once per name per enclosing section, issue 16); a template must read exactly
/// what it read from the bare structs.
@Suite("Templates read view models through ReflectedModel")
struct ReflectedModelTests {
    struct Line { var label: String; var note: String?; var count: Int; var flagged: Bool }
    struct Card { var title: String; var lines: [Line]; var empty: [Line]; var note: String?; var id: UUID; var tags: [String] }
    struct Page { var card: Card?; var missing: Card?; var note: String?; var heading: String; var ratio: Double }

    static let template = """
        {{heading}} {{ratio}}|{{#card}}{{title}} {{id}} [{{#tags}}{{.}},{{/tags}}] {{#lines}}<{{label}}:{{note}}:{{count}}:{{#flagged}}!{{/flagged}}{{^flagged}}.{{/flagged}}>{{/lines}}\
        {{^empty}}none{{/empty}} {{#note}}n={{.}}{{/note}}{{^note}}no note{{/note}} {{heading}}{{/card}}|{{^missing}}no card{{/missing}}|{{note}}
        """

    static let page = Page(
        card: Card(title: "Course", lines: [Line(label: "a", note: nil, count: 1, flagged: true), Line(label: "b & c", note: "x", count: 2, flagged: false)],
                   empty: [], note: nil, id: UUID(uuidString: "7A0C1D1E-0000-4000-8000-000000000001")!, tags: ["one", "two"]),
        missing: nil, note: "outer", heading: "Patient <1>", ratio: 0.5)

    @Test func aTemplateReadsTheSameThroughTheBoxAsFromTheStructs() throws {
        let template = try MustacheTemplate(string: Self.template)
        let bare = template.render(Self.page)
        let boxed = template.render(PageData(layout: [:], page: Self.page))
        #expect(boxed == bare)
        // A nil optional inside a section is looked up in the enclosing ones, as before.
        #expect(bare.contains("<a:outer:1:!>"))
        #expect(bare.contains("7a0c1d1e") || bare.contains("7A0C1D1E"))
    }

    @Test func thePagesNamesHideTheLayoutsEvenWhenEmpty() throws {
        let template = try MustacheTemplate(string: "{{note}}|{{pageTitle}}|{{heading}}")
        var page = Self.page
        page.note = nil
        let html = template.render(PageData(layout: ["note": "layout note", "pageTitle": "Title", "heading": "layout heading"], page: page))
        #expect(html == "|Title|Patient &lt;1&gt;")
    }
}
