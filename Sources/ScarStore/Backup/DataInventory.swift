import Crypto
import Foundation
import ScarCore
import SQLKit

/// What a database holds, read inside one consistent snapshot: rows per table, the schema
/// version, the audit chain head, the photo files it references and its signed documents.
/// `scartrack backup` writes it into the manifest; `scartrack restore` recomputes it on the
/// restored copy and compares.
public struct DataInventory: Codable, Sendable, Equatable {
    /// The last applied migration id, e.g. `0010-studies`.
    public var schemaVersion: String
    /// Row count of every table (sorted by name when encoded).
    public var tableCounts: [String: Int]
    public var auditEntries: Int
    /// Hash of the newest audit entry (the genesis hash when the trail is empty).
    public var auditHead: String
    /// The newest entry's sequence number and the first entry with a MAC (0 when none); absent in
    /// manifests written before the audit key existed.
    public var auditHeadSeq: Int?
    public var auditKeyedFrom: Int?
    /// Every photo file the database references, by content hash, sorted.
    public var photos: [PhotoReference]
    /// Signed consent documents live in the database (rendered text + its SHA-256).
    public var signedDocuments: Int
    /// SHA-256 over the sorted `id:sha256` lines of the signed documents.
    public var signedDocumentsDigest: String
    /// Signed documents whose text no longer matches its stored hash (should be 0).
    public var signedDocumentsAltered: Int

    public struct PhotoReference: Codable, Sendable, Hashable, Comparable {
        public var sha256: String
        public var mediaType: String

        /// Relative path in a data folder or backup: `photos/ab/<sha256>.jpg`.
        public var relativePath: String? {
            guard let type = ImageMediaType(rawValue: mediaType), PhotoStore.isHash(sha256) else { return nil }
            return "photos/\(sha256.prefix(2))/\(sha256).\(type.fileExtension)"
        }

        public static func < (a: PhotoReference, b: PhotoReference) -> Bool {
            (a.sha256, a.mediaType) < (b.sha256, b.mediaType)
        }
    }

    /// Reads the inventory on one connection (call it inside a snapshot for consistency).
    public static func read(on sql: any SQLDatabase, engine: Engine) async throws -> DataInventory {
        let tables = try await tableNames(on: sql, engine: engine)
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
        }
        let version = try await sql.raw("SELECT id FROM schema_migrations ORDER BY id DESC LIMIT 1").first()?
            .decode(column: "id", as: String.self) ?? ""
        let head = try await AuditTrail.head(on: sql)
        // The `mac` column exists from 0014 on (an older backup being restored has none).
        let keyedFrom = version >= Migration0014AuditMAC.migration.id ? try await AuditTrail.firstKeyedSeq(on: sql) : 0
        // Photos patients send with check-ins and problem reports (from 0021 on) are backed up too.
        let reported = version >= Migration0021CheckIns.migration.id ? " UNION SELECT sha256, media_type FROM reported_photos" : ""
        let photos = try await sql.raw("""
            SELECT DISTINCT sha256, media_type FROM (SELECT sha256, media_type FROM photos\(unsafeRaw: reported)) AS files
            ORDER BY sha256, media_type
            """).all().map {
            PhotoReference(sha256: try $0.decode(column: "sha256", as: String.self), mediaType: try $0.decode(column: "media_type", as: String.self))
        }
        var lines: [String] = []
        var altered = 0
        for row in try await sql.raw("SELECT id, sha256, rendered_html FROM consents").all() {
            let id = try row.decode(column: "id", as: UUID.self).lower
            let sha = try row.decode(column: "sha256", as: String.self)
            if ConsentRepository.sha256(try row.decode(column: "rendered_html", as: String.self)) != sha { altered += 1 }
            lines.append("\(id):\(sha)")
        }
        return DataInventory(schemaVersion: version, tableCounts: counts, auditEntries: counts["audit_log"] ?? 0, auditHead: head.hash,
                             auditHeadSeq: head.seq, auditKeyedFrom: keyedFrom,
                             photos: photos, signedDocuments: lines.count,
                             signedDocumentsDigest: SHA256Hex.of(lines.sorted().joined(separator: "\n")),
                             signedDocumentsAltered: altered)
    }

    static func tableNames(on sql: any SQLDatabase, engine: Engine) async throws -> [String] {
        let query: SQLQueryString = switch engine {
        case .sqlite: "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        case .postgres: "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
        return try await sql.raw(query).all().map { try $0.decode(column: "t", as: String.self) }
    }
}

extension ScarDatabase {
    /// The inventory as the database stands now (a read transaction on SQLite is a snapshot too).
    public func inventory() async throws -> DataInventory {
        let engine = self.engine
        return try await read { sql in
            if engine == .postgres { try await sql.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run() }
            else { try await sql.raw("BEGIN").run() }
            do {
                let inventory = try await DataInventory.read(on: sql, engine: engine)
                try await sql.raw("COMMIT").run()
                return inventory
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// True when the database has no tables at all: the only place `restore` writes into.
    public func hasNoTables() async throws -> Bool {
        let engine = self.engine
        return try await read { sql in try await DataInventory.tableNames(on: sql, engine: engine).isEmpty }
    }

    /// SQLite online backup: `VACUUM INTO` writes a consistent, compacted copy of the database as
    /// of one read snapshot while other connections keep writing (WAL).
    public func vacuumInto(_ path: String) async throws {
        guard engine == .sqlite else { throw StoreError.configuration("VACUUM INTO is SQLite only") }
        try await read { sql in try await sql.raw("VACUUM INTO \(bind: path)").run() }
    }

    /// PostgreSQL online backup: opens a repeatable-read transaction, exports its snapshot, reads
    /// the inventory inside it and runs `body` (which runs `pg_dump --snapshot`) while the
    /// transaction holds the snapshot, so the dump and the inventory see exactly the same data.
    public func withExportedSnapshot<T: Sendable>(
        _ body: @escaping @Sendable (_ snapshot: String, _ inventory: DataInventory) async throws -> T
    ) async throws -> T {
        guard engine == .postgres else { throw StoreError.configuration("exported snapshots are PostgreSQL only") }
        return try await read { sql in
            try await sql.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
            do {
                let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS s").first()!.decode(column: "s", as: String.self)
                let inventory = try await DataInventory.read(on: sql, engine: .postgres)
                let result = try await body(snapshot, inventory)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

/// Streaming SHA-256 of a file, so a large database file is never read into memory at once.
public enum FileDigest {
    public static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.configuration("cannot read \(path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
