import Foundation
import SQLKit

/// One schema step, written once for both engines. Column types are spelled as
/// placeholders that `Dialect` expands: `{uuid}`, `{ts}`, `{bool}`, `{int}`, `{json}`, `{bytes}`.
struct Migration: Sendable {
    /// Numbered and named, e.g. `0001-foundation`; applied in this order, once.
    let id: String
    let statements: @Sendable (Engine) -> [String]
}

enum Dialect {
    static func expand(_ sql: String, for engine: Engine) -> String {
        let types: [(String, String)] = switch engine {
        case .sqlite: [("{uuid}", "TEXT"), ("{ts}", "REAL"), ("{bool}", "INTEGER"), ("{int}", "INTEGER"), ("{json}", "TEXT"), ("{bytes}", "BLOB")]
        case .postgres: [("{uuid}", "UUID"), ("{ts}", "TIMESTAMPTZ"), ("{bool}", "BOOLEAN"), ("{int}", "BIGINT"), ("{json}", "TEXT"), ("{bytes}", "BYTEA")]
        }
        return types.reduce(sql) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }
}

/// Applies pending migrations in one transaction. On PostgreSQL an advisory lock makes a
/// second app server starting at the same moment wait instead of racing.
public enum Migrator {
    static let all: [Migration] = [
        Migration0001Foundation.migration,
        Migration0002IntakeScreening.migration,
        Migration0003Assessments.migration,
        Migration0004Photos.migration,
        Migration0005Plans.migration,
        Migration0006Schedule.migration,
        Migration0007Trust.migration,
        Migration0008Charting.migration,
        Migration0009Outcomes.migration,
        Migration0010Studies.migration,
        Migration0011Analytics.migration,
        Migration0012TwoFactor.migration,
        Migration0013Course.migration,
        Migration0014AuditMAC.migration,
        Migration0018PhotoMetadata.migration,
        Migration0019ClinicProfile.migration,
        Migration0020Portal.migration,
        Migration0021CheckIns.migration,
        Migration0022FHIRExport.migration,
        Migration0023Import.migration,
        Migration0024AdverseEventNotes.migration,
        Migration0025PortalFollowUps.migration,
        Migration0028PhotoBlobs.migration,
        Migration0029AuditKeyId.migration,
        Migration0031ExportTypeFilters.migration,
        Migration0032AuditChains.migration,
        Migration0033ClinicLogo.migration,
        Migration0034OutcomeForms.migration,
        Migration0035AnalyticsFacts.migration,
        Migration0036ExportChunks.migration,
        Migration0038PatientMode.migration,
    ]

    /// Returns the ids it applied (empty when the schema was current).
    @discardableResult
    public static func migrate(_ database: ScarDatabase) async throws -> [String] {
        try await database.configureFile()
        let engine = database.engine
        // SQLite with the schema current: nothing to apply, so no write lock is taken, and a command
        // opening the file while a server writes (a backup under load) does not wait behind its writers.
        if engine == .sqlite, try await sqliteSchemaIsCurrent(database) { return [] }
        return try await database.write { sql in
            if engine == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(7345001)").run()
            }
            // An application role without CREATE on the schema (the recommended PostgreSQL
            // deployment) must still start when the owner has already migrated: only create the
            // bookkeeping table when it is missing.
            let exists = engine == .postgres
                ? try await sql.raw("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").first()?.decode(column: "present", as: Bool.self) ?? false
                : false
            if !exists {
                try await sql.raw(SQLQueryString(Dialect.expand(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at {ts} NOT NULL)", for: engine))).run()
            }
            let done = Set(try await sql.raw("SELECT id FROM schema_migrations").all().map { try $0.decode(column: "id", as: String.self) })
            var applied: [String] = []
            for migration in all where !done.contains(migration.id) {
                for statement in migration.statements(engine) {
                    try await sql.raw(SQLQueryString(Dialect.expand(statement, for: engine))).run()
                }
                try await sql.raw("INSERT INTO schema_migrations (id, applied_at) VALUES (\(bind: migration.id), \(bind: Date()))").run()
                applied.append(migration.id)
            }
            return applied
        }
    }

    static func sqliteSchemaIsCurrent(_ database: ScarDatabase) async throws -> Bool {
        try await database.read { sql in
            guard try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").first() != nil
            else { return false }
            let done = Set(try await sql.raw("SELECT id FROM schema_migrations").all().map { try $0.decode(column: "id", as: String.self) })
            return all.allSatisfy { done.contains($0.id) }
        }
    }

    public static var latest: String { all.last!.id }

    /// PostgreSQL only: lets `role` (the role the server connects as, not the owner who
    /// migrates) read and write the application tables, but only SELECT and INSERT on
    /// `audit_log` — UPDATE, DELETE and TRUNCATE fail with a permission error before any
    /// trigger runs. Run by `scartrack migrate --app-role NAME` after migrating, as the owner.
    public static func grantApplicationRole(_ database: ScarDatabase, role: String) async throws {
        guard database.engine == .postgres else {
            throw StoreError.configuration("--app-role applies to PostgreSQL only; SQLite has no roles (the triggers guard the audit trail).")
        }
        guard !role.isEmpty, role.count <= 63, role.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw StoreError.configuration("The application role must be letters, digits and _ only (at most 63).")
        }
        try await database.write { sql in
            try await sql.raw("GRANT USAGE ON SCHEMA public TO \(ident: role)").run()
            try await sql.raw("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(ident: role)").run()
            try await sql.raw("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(ident: role)").run()
            try await sql.raw("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM \(ident: role)").run()
            try await sql.raw("REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM \(ident: role)").run()
            // Tables later migrations add (run by this same owner) get the ordinary grant too;
            // re-running `migrate --app-role` after an upgrade re-applies the audit_log limits.
            try await sql.raw("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(ident: role)").run()
            // …and sequences (the audit trail's `audit_log_seq`, 0032), which appending needs.
            try await sql.raw("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO \(ident: role)").run()
        }
    }
}
