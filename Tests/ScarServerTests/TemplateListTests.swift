import Foundation
@testable import ScarServer
import Testing

/// Every template the sources render by name is in `Template` (so `Views.load` checks it at
/// start), and every listed name is a file in Resources/Templates.
@Suite("Template list")
struct TemplateListTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyRenderedNameIsListedAndEveryListedTemplateExists() throws {
        let sources = Self.root.appendingPathComponent("Sources/ScarServer")
        let regex = try NSRegularExpression(pattern: #"render\("([a-z0-9-]+)""#)
        // Pages with a view model render a `Template` case (`render(.plan, …)`); counted so the
        // check below knows the sources were read.
        let byCase = try NSRegularExpression(pattern: #"render\(\.[a-zA-Z]+,"#)
        var rendered: Set<String> = []
        var renderedByCase = 0
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                rendered.insert((text as NSString).substring(with: m.range(at: 1)))
            }
            renderedByCase += byCase.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
        }
        #expect(rendered.count + renderedByCase > 30, "the sources were not found at \(sources.path)")
        let listed = Set(Template.allCases.map(\.rawValue))
        #expect(rendered.subtracting(listed).isEmpty, "rendered but not listed in Template: \(rendered.subtracting(listed).sorted())")
        let folder = sources.appendingPathComponent("Resources/Templates")
        for name in listed.union(TemplatePartial.allCases.map(\.rawValue)) {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name + ".mustache").path), "\(name).mustache")
        }
    }
}
