import Foundation
import SQLKit

/// One schema step, written once for both engines. Column types are spelled as
/// placeholders that `Dialect` expands: `{uuid}`, `{ts}`, `{bool}`, `{int}`, `{json}`.
struct Migration: Sendable {
    /// Numbered and named, e.g. `0001-foundation`; applied in this order, once.
    let id: String
    let statements: @Sendable (Engine) -> [String]
}

enum Dialect {
    static func expand(_ sql: String, for engine: Engine) -> String {
        let types: [(String, String)] = switch engine {
        case .sqlite: [("{uuid}", "TEXT"), ("{ts}", "REAL"), ("{bool}", "INTEGER"), ("{int}", "INTEGER"), ("{json}", "TEXT")]
        case .postgres: [("{uuid}", "UUID"), ("{ts}", "TIMESTAMPTZ"), ("{bool}", "BOOLEAN"), ("{int}", "BIGINT"), ("{json}", "TEXT")]
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
        Migration0013Course.migration,
    ]

    /// Returns the ids it applied (empty when the schema was current).
    @discardableResult
    public static func migrate(_ database: ScarDatabase) async throws -> [String] {
        try await database.configureFile()
        let engine = database.engine
        return try await database.write { sql in
            if engine == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(7345001)").run()
            }
            try await sql.raw(SQLQueryString(Dialect.expand(
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at {ts} NOT NULL)", for: engine))).run()
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

    public static var latest: String { all.last!.id }
}
