import Foundation
import SQLKit

/// What the database's schema is against what this build knows: readiness fails while a
/// migration is missing (not yet applied) or unknown (applied by a newer build, whose tables this
/// server would misread).
public struct SchemaState: Sendable, Equatable {
    public var missing: [String]
    public var unknown: [String]
    public var current: Bool { missing.isEmpty && unknown.isEmpty }

    /// A sentence for an operator, or nil when the schema is current.
    public var problem: String? {
        if !unknown.isEmpty {
            return "The database has migrations this server does not know (\(unknown.joined(separator: ", "))): it was migrated by a newer ScarTrack. Upgrade this server."
        }
        if !missing.isEmpty {
            return "The database lacks migrations (\(missing.joined(separator: ", "))). Run `scartrack migrate` (a starting server migrates too)."
        }
        return nil
    }
}

extension Migrator {
    public static func state(_ database: ScarDatabase) async throws -> SchemaState {
        let applied = try await database.read { sql in
            try await sql.raw("SELECT id FROM schema_migrations").all().map { try $0.decode(column: "id", as: String.self) }
        }
        let known = all.map(\.id)
        return SchemaState(missing: known.filter { !applied.contains($0) }, unknown: applied.filter { !known.contains($0) }.sorted())
    }
}

extension ScarDatabase {
    /// Whether the database takes writes now: a PostgreSQL standby or a read-only session
    /// setting says no; so does a SQLite file the server cannot write.
    public func acceptsWrites() async -> Bool {
        switch location {
        case .sqlite(let path):
            return FileManager.default.isWritableFile(atPath: path)
        case .postgres:
            do {
                return try await read { sql in
                    try await sql.raw("SELECT current_setting('transaction_read_only') = 'off' AND NOT pg_is_in_recovery() AS writable")
                        .first()?.decode(column: "writable", as: Bool.self) ?? false
                }
            } catch {
                return false
            }
        }
    }
}
