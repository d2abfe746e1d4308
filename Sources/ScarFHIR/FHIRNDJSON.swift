import Foundation

/// A piece of one NDJSON file of an export: whole lines (resources of one type, one per line),
/// in order. A file (one `part` of a type) is the concatenation of its chunks.
public struct FHIRNDJSONChunk: Sendable, Equatable {
    public var type: String
    /// 1, 2, … within the type: a type larger than one file is split.
    public var part: Int
    /// Resources (lines) in this chunk.
    public var count: Int
    public var bytes: [UInt8]
    /// The last chunk of its file: the file is complete (it may carry no bytes when the file
    /// ended exactly at a chunk boundary).
    public var endsFile: Bool
}

/// Writes resources as NDJSON lines straight into bytes (`FHIRJSONWritable`), one buffer per
/// resource type, and hands out each buffer as a chunk once it reaches `chunkBytes`, so memory
/// holds at most one unfinished chunk per type however large the file or the clinic. A file
/// ends once it reaches `maxBytes` (the type continues in its next part) or at the end.
public struct FHIRNDJSONWriter: Sendable {
    public let maxBytes: Int
    public let chunkBytes: Int
    private var files: [OpenFile] = []
    private var slots: [String: Int] = [:]
    private var ready: [FHIRNDJSONChunk] = []
    public private(set) var total = 0

    private struct OpenFile: Sendable {
        let type: String
        var part = 1
        /// Resources and bytes in this part, chunks handed out included.
        var count = 0
        var bytes = 0
        /// Resources in the unfinished chunk.
        var chunkCount = 0
        var buffer = FHIRJSONBuffer()
    }

    public init(maxBytes: Int, chunkBytes: Int = 256 * 1024) {
        self.maxBytes = maxBytes
        self.chunkBytes = min(chunkBytes, maxBytes)
    }

    /// Adds one resource as one line (no line breaks inside: JSON escapes them).
    public mutating func add(_ resource: FHIRResource) {
        let type = resource.resourceType
        let slot: Int
        if let known = slots[type] {
            slot = known
        } else {
            slot = files.count
            slots[type] = slot
            files.append(OpenFile(type: type))
        }
        let before = files[slot].buffer.bytes.count
        resource.writeJSON(to: &files[slot].buffer)
        files[slot].buffer.newLine()
        files[slot].bytes += files[slot].buffer.bytes.count - before
        files[slot].count += 1
        files[slot].chunkCount += 1
        total += 1
        if files[slot].bytes >= maxBytes {
            hand(slot, endsFile: true)
        } else if files[slot].buffer.bytes.count >= chunkBytes {
            hand(slot, endsFile: false)
        }
    }

    /// The chunks ready so far (full chunks and ended files), in the order they filled.
    public mutating func takeReady() -> [FHIRNDJSONChunk] {
        defer { ready = [] }
        return ready
    }

    /// At the end of the export: the chunks ready, then every unfinished file's last chunk (by type).
    public mutating func finish() -> [FHIRNDJSONChunk] {
        for slot in files.indices.sorted(by: { files[$0].type < files[$1].type }) where files[slot].count > 0 {
            hand(slot, endsFile: true)
        }
        return takeReady()
    }

    private mutating func hand(_ slot: Int, endsFile: Bool) {
        var taken = FHIRJSONBuffer()
        swap(&taken, &files[slot].buffer)
        ready.append(FHIRNDJSONChunk(type: files[slot].type, part: files[slot].part, count: files[slot].chunkCount, bytes: taken.bytes,
                                     endsFile: endsFile))
        files[slot].chunkCount = 0
        if endsFile {
            files[slot].part += 1
            files[slot].count = 0
            files[slot].bytes = 0
        }
    }
}
