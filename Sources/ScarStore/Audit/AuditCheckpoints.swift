import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One checkpoint of the trail, kept outside the database, MAC'd under the audit key: the newest
/// entry's sequence number and hash at a moment and (v2, from migration 0032 on) the head of every
/// chain — each clinic's and the installation's own — so removing a clinic's newest entries is
/// named even when other clinics wrote after them. v1 lines (one global chain) still verify.
public struct AuditCheckpoint: Codable, Sendable, Equatable {
    /// The newest entry of one chain when the checkpoint was taken.
    public struct ChainHead: Codable, Sendable, Equatable {
        /// The clinic's id (lower case), or "" for the installation's own chain.
        public var clinic: String
        /// The entry's place in its chain.
        public var position: Int
        public var seq: Int
        public var hash: String

        public init(clinic: String, position: Int, seq: Int, hash: String) {
            (self.clinic, self.position, self.seq, self.hash) = (clinic, position, seq, hash)
        }
    }

    public var v: Int
    /// The chain head's sequence number (0 for an empty trail).
    public var seq: Int
    public var hash: String
    /// ISO 8601, UTC.
    public var at: String
    /// The first entry written with a MAC (0 when none had one yet): entries from here on must carry one.
    public var keyedFrom: Int
    public var keyId: String
    public var mac: String
    /// Every chain's head (v2); nil in v1 checkpoints.
    public var chains: [ChainHead]?

    public init(seq: Int, hash: String, at: Date, keyedFrom: Int, chains: [ChainHead]? = nil, key: AuditKey) {
        self.v = chains == nil ? 1 : 2
        self.chains = chains?.sorted { $0.clinic < $1.clinic }
        self.seq = seq
        self.hash = hash
        self.at = AuditCheckpoints.format(at)
        self.keyedFrom = keyedFrom
        self.keyId = key.id
        self.mac = ""
        self.mac = key.mac(signedText)
    }

    var signedText: String {
        let heads = (chains ?? []).map { "\n\($0.clinic):\($0.position):\($0.seq):\($0.hash)" }.joined()
        return "checkpoint\nv\(v)\n\(seq)\n\(hash)\n\(at)\n\(keyedFrom)\(heads)"
    }

    public func isAuthentic(under key: AuditKey) -> Bool {
        AuditKey.same(mac, key.mac(signedText))
    }

    /// The time for messages: `2026-12-06 10:00 UTC`.
    public var readableTime: String {
        guard let date = AuditCheckpoints.parse(at) else { return at }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}

/// The append-only checkpoint file `<data dir>/audit-checkpoints.jsonl`: one JSON line per
/// checkpoint, each written with one `write` on an `O_APPEND` descriptor and fsync'd.
public enum AuditCheckpoints {
    public static func defaultPath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("audit-checkpoints.jsonl")
    }

    /// Appends one checkpoint line and fsyncs the file (and the folder when the file is new).
    public static func append(_ checkpoint: AuditCheckpoint, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = Array(try encoder.encode(checkpoint)) + [UInt8(ascii: "\n")]
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let isNew = !FileManager.default.fileExists(atPath: path)
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw StoreError.configuration("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // A line cut short by a crash mid-write must not swallow this one: start on a new line.
        var info = stat()
        if fstat(fd, &info) == 0, info.st_size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, info.st_size - 1) == 1, last != UInt8(ascii: "\n") { line.insert(UInt8(ascii: "\n"), at: 0) }
        }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        guard written == line.count else { throw StoreError.configuration("cannot write \(path): \(String(cString: strerror(errno)))") }
        guard fsync(fd) == 0 else { throw StoreError.configuration("cannot fsync \(path): \(String(cString: strerror(errno)))") }
        if isNew, !folder.isEmpty { syncFolder(folder) }
    }

    public struct Contents: Sendable {
        /// Lines whose MAC verifies under the key.
        public var checkpoints: [AuditCheckpoint]
        /// Lines that do not parse or whose MAC does not verify (1-based line numbers).
        public var rejected: [(line: Int, reason: String, torn: Bool)]

        /// The checkpoint with the highest sequence (the newest position of the head seen).
        public var newest: AuditCheckpoint? { checkpoints.max { ($0.seq, $0.at) < ($1.seq, $1.at) } }
    }

    /// Reads every line; a missing file is an empty list.
    public static func read(path: String, key: AuditKey) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else { return Contents(checkpoints: [], rejected: []) }
        var checkpoints: [AuditCheckpoint] = []
        var rejected: [(line: Int, reason: String, torn: Bool)] = []
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where !line.isEmpty {
            guard let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(line)) else {
                // A line cut short by a crash mid-write: skipped, and said so. (Removing a line needs no
                // forging either; what matters is that no line can be forged.)
                rejected.append((index + 1, "cannot be read", true))
                continue
            }
            guard checkpoint.isAuthentic(under: key) else {
                rejected.append((index + 1, checkpoint.keyId == key.id
                    ? "its MAC does not match (the checkpoint file was altered)"
                    : "it was written under another audit key (key id \(checkpoint.keyId), this one is \(key.id))", false))
                continue
            }
            checkpoints.append(checkpoint)
        }
        return Contents(checkpoints: checkpoints, rejected: rejected)
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

extension ScarDatabase {
    /// The newest entry now, the first entry that carries a MAC (0 when none does), and each chain's head.
    public func auditHead() async throws -> (seq: Int, hash: String, keyedFrom: Int, chains: [AuditCheckpoint.ChainHead]) {
        try await read { sql in
            let head = try await AuditTrail.head(on: sql)
            let keyedFrom = try await AuditTrail.firstKeyedSeq(on: sql)
            return (head.seq, head.hash, keyedFrom, try await AuditTrail.chainHeads(on: sql))
        }
    }

    /// Writes a checkpoint of the current head to `path` (under the database's audit key) and
    /// returns it; nil without a key.
    @discardableResult
    public func writeAuditCheckpoint(to path: String, now: Date = Date()) async throws -> AuditCheckpoint? {
        guard let key = auditKey else { return nil }
        let head = try await auditHead()
        let checkpoint = AuditCheckpoint(seq: head.seq, hash: head.hash, at: now, keyedFrom: head.keyedFrom, chains: head.chains, key: key)
        try AuditCheckpoints.append(checkpoint, to: path)
        return checkpoint
    }
}
