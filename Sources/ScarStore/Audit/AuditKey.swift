import Crypto
import Foundation
import Logging
import NIOCore
import SQLKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The secret that anchors the audit trail outside the database. Every entry's hash is MAC'd
/// (HMAC-SHA-256) under it, and so is every checkpoint of the chain head, so someone who can
/// write the database but does not hold the key cannot recompute a chain that verifies.
///
/// Where it comes from, first match wins:
/// 1. `SCARTRACK_AUDIT_KEY`: 64 hex digits (32 bytes), a secret in the environment;
/// 2. `SCARTRACK_AUDIT_KEY_FILE`: a file holding those 64 hex digits (shared by several app servers);
/// 3. `<data dir>/audit.key`, created on first start (32 random bytes as hex, mode 0600, folder 0700).
/// A key file must be readable by its owner only.
public struct AuditKey: Sendable {
    let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 32 else { throw StoreError.configuration("the audit key must be at least 32 bytes (64 hex digits)") }
        self.bytes = bytes
    }

    public static func random() -> AuditKey {
        try! AuditKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// A short public name of the key (not the key): lets `audit verify` say which key it used.
    public var id: String {
        String(mac("scartrack-audit-key-id").prefix(16))
    }

    /// HMAC-SHA-256 (hex) over one audit entry's hash.
    public func entryMAC(seq: Int, hash: String) -> String {
        mac("entry\n\(seq)\n\(hash)")
    }

    func mac(_ text: String) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: bytes)))
    }

    /// Constant-time comparison of two hex MACs.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func parseHex(_ text: String) -> [UInt8]? {
        let hex = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard hex.count >= 64, hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var i = 0
        while i < hex.count {
            guard let byte = UInt8(String(decoding: hex[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            i += 2
        }
        return bytes
    }

    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case environment
        case file(String)
        public var description: String {
            switch self {
            case .environment: "SCARTRACK_AUDIT_KEY"
            case .file(let path): path
            }
        }
    }

    /// The default key file of a data directory.
    public static func defaultPath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("audit.key")
    }

    /// Loads the key the environment names. With `create`, a missing key file is created
    /// (random 32 bytes, 0600 in a 0700 folder); without it a missing file gives nil.
    public static func load(environment: [String: String], dataDirectory: String, create: Bool) throws -> (AuditKey, Source)? {
        if let value = environment["SCARTRACK_AUDIT_KEY"], !value.isEmpty {
            guard let bytes = parseHex(value) else {
                throw StoreError.configuration("SCARTRACK_AUDIT_KEY must be at least 64 hex digits (32 bytes), e.g. from `openssl rand -hex 32`")
            }
            return (try AuditKey(bytes: bytes), .environment)
        }
        let path: String
        if let file = environment["SCARTRACK_AUDIT_KEY_FILE"], !file.isEmpty {
            path = file
        } else {
            path = defaultPath(dataDirectory: dataDirectory)
        }
        if FileManager.default.fileExists(atPath: path) {
            return (try read(path: path), .file(path))
        }
        guard create else { return nil }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let fresh = AuditKey.random()
        let hex = fresh.bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        // O_EXCL: when two servers start at once on a shared folder, one creates it and the other reads it.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            if errno == EEXIST { return (try read(path: path), .file(path)) }
            throw StoreError.configuration("cannot create the audit key file \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(hex.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(path)
            throw StoreError.configuration("cannot write the audit key file \(path)")
        }
        if !folder.isEmpty { AuditCheckpoints.syncFolder(folder) }
        return (fresh, .file(path))
    }

    static func read(path: String) throws -> AuditKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.configuration("cannot read the audit key file \(path): \(String(cString: strerror(errno)))")
        }
        if info.st_mode & 0o077 != 0 {
            throw StoreError.configuration("the audit key file \(path) is readable or writable by others; run chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path), let bytes = parseHex(String(decoding: data, as: UTF8.self)) else {
            throw StoreError.configuration("the audit key file \(path) must hold at least 64 hex digits (32 bytes)")
        }
        return try AuditKey(bytes: bytes)
    }
}

/// A write connection that carries the audit key, so `AuditTrail.append` can MAC the entry it
/// writes without every repository passing the key along. Forwards everything else.
struct AuditKeyedSQLDatabase: SQLDatabaseWrapper {
    let base: any SQLDatabase
    let auditKey: AuditKey
}

/// The key a database writes its audit entries with; nil until `ScarDatabase.useAuditKey`.
final class LockedAuditKey: @unchecked Sendable {
    private let lock = NSLock()
    private var value: AuditKey?

    var current: AuditKey? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set(_ key: AuditKey?) {
        lock.lock()
        value = key
        lock.unlock()
    }
}
