import Crypto
import Foundation

/// One chunk of an export file to store (whole NDJSON lines), with the file's row when the
/// chunk completes it.
public struct FHIRExportPiece: Sendable {
    public var fileId: UUID
    public var seq: Int
    public var bytes: [UInt8]
    public var completes: FHIRExportFile?
}

/// The files an export is writing, chunk by chunk: at most one open file per resource type,
/// with its running resource count, size and SHA-256, so a file's row is known without
/// holding the file. Unchecked: `SHA256` is a plain value (its context is copied with it) that
/// swift-crypto does not mark `Sendable`; the export hands this from one store to the next.
public struct FHIRExportOpenFiles: @unchecked Sendable {
    private var open: [String: Open] = [:]

    private struct Open {
        let id = UUID()
        let part: Int
        var count = 0
        var bytes = 0
        var chunks = 0
        var hasher = SHA256()
    }

    public init() {}

    /// The piece to store for the next chunk of `type`'s file `part` (`count` resources);
    /// `endsFile`: the file is complete, and the piece carries its row.
    public mutating func piece(type: String, part: Int, count: Int, bytes: [UInt8], endsFile: Bool, jobId: UUID) -> FHIRExportPiece {
        var file = open[type].flatMap { $0.part == part ? $0 : nil } ?? Open(part: part)
        let seq = file.chunks
        file.count += count
        file.bytes += bytes.count
        if !bytes.isEmpty {
            file.hasher.update(data: bytes)
            file.chunks += 1
        }
        open[type] = endsFile ? nil : file
        let row = endsFile ? FHIRExportFile(id: file.id, jobId: jobId, resourceType: type, part: part, resourceCount: file.count,
                                            byteCount: file.bytes, sha256: file.hasher.finalize().map { String(format: "%02x", $0) }.joined(),
                                            chunks: file.chunks) : nil
        return FHIRExportPiece(fileId: file.id, seq: seq, bytes: bytes, completes: row)
    }
}
