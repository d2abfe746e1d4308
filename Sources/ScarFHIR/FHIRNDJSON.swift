import Foundation

/// One NDJSON file of an export: resources of one type, one per line.
public struct FHIRNDJSONPart: Sendable, Equatable {
    public var type: String
    /// 1, 2, … within the type: a type larger than one file is split.
    public var part: Int
    public var count: Int
    public var text: String
}

/// Collects resources into NDJSON files, one resource type per file, and hands out each file
/// once it reaches `maxBytes` (then the type continues in its next part). Memory holds at most
/// one unfinished file per type, however many resources pass through.
public struct FHIRNDJSONWriter: Sendable {
    public let maxBytes: Int
    private var open: [String: (text: String, count: Int)] = [:]
    private var nextPart: [String: Int] = [:]
    public private(set) var total = 0

    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    /// Adds one resource as one line (no line breaks inside: JSON escapes them).
    public mutating func add(_ resource: FHIRResource) throws {
        let line = String(decoding: try FHIRJSON.encode(resource), as: UTF8.self)
        // Taken out while it grows, so the text is appended in place, never copied.
        var file = open.removeValue(forKey: resource.resourceType) ?? ("", 0)
        file.text += line
        file.text += "\n"
        file.count += 1
        open[resource.resourceType] = file
        total += 1
    }

    /// The files that reached `maxBytes`, taken out of memory.
    public mutating func takeFull() -> [FHIRNDJSONPart] {
        let maxBytes = self.maxBytes
        return take { $0.text.utf8.count >= maxBytes }
    }

    /// Every unfinished file, at the end of the export.
    public mutating func takeAll() -> [FHIRNDJSONPart] {
        take { $0.count > 0 }
    }

    private mutating func take(_ ready: ((text: String, count: Int)) -> Bool) -> [FHIRNDJSONPart] {
        var parts: [FHIRNDJSONPart] = []
        for type in open.keys.sorted() {
            guard let file = open[type], ready(file) else { continue }
            let part = (nextPart[type] ?? 0) + 1
            nextPart[type] = part
            parts.append(FHIRNDJSONPart(type: type, part: part, count: file.count, text: file.text))
            open[type] = nil
        }
        return parts
    }
}
