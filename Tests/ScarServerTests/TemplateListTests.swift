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
        // Typed renders (`render(.name, …)`) are checked by the compiler; they are counted only to
        // show the sources were read.
        let typed = try NSRegularExpression(pattern: #"render\(\.([a-zA-Z]+)"#)
        var rendered: Set<String> = [], typedCount = 0
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                rendered.insert((text as NSString).substring(with: m.range(at: 1)))
            }
            typedCount += typed.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
        }
        #expect(rendered.count + typedCount > 40, "the sources were not found at \(sources.path)")
        let listed = Set(Template.allCases.map(\.rawValue))
        #expect(rendered.subtracting(listed).isEmpty, "rendered but not listed in Template: \(rendered.subtracting(listed).sorted())")
        let folder = sources.appendingPathComponent("Resources/Templates")
        for name in listed.union(TemplatePartial.allCases.map(\.rawValue)) {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name + ".mustache").path), "\(name).mustache")
        }
    }

    /// Start checks every `Template` and `TemplatePartial` case: the real templates load, and a
    /// folder missing one page and one partial is refused by name.
    @Test func everyTemplateCaseIsCheckedAtStart() async throws {
        _ = try await Views.load()
        let folder = Self.root.appendingPathComponent("Sources/ScarServer/Resources/Templates")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        _ = try await Views.load(directory: copy.path)
        for name in [Template.progress.rawValue, TemplatePartial.sessionChart.rawValue] {
            try FileManager.default.removeItem(at: copy.appendingPathComponent(name + ".mustache"))
        }
        do {
            _ = try await Views.load(directory: copy.path)
            Issue.record("start accepted a template folder without progress.mustache and session-chart.mustache")
        } catch let error as ConfigurationError {
            #expect(error.description == "Templates missing from the build: progress.mustache, session-chart.mustache")
        }
    }
}
