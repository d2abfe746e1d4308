import Foundation
import SQLKit

/// The database's own clock as SQL, for times several app servers must agree on (leases,
/// expiry, poll intervals): the engine's `now`, never this process's clock. SQLite stores
/// times as seconds since 1970 (as SQLiteNIO binds a `Date`), PostgreSQL as `timestamptz`.
public enum DatabaseClock {
    public static func now(_ engine: Engine) -> String {
        engine == .sqlite ? "((julianday('now') - 2440587.5) * 86400.0)" : "clock_timestamp()"
    }

    /// The database's now plus (or minus) whole seconds.
    public static func now(plus seconds: Int, _ engine: Engine) -> String {
        engine == .sqlite ? "(\(now(engine)) + \(seconds))" : "(clock_timestamp() + make_interval(secs => \(seconds)))"
    }

    /// The database's now, read through `sql`.
    public static func read(on sql: any SQLDatabase, _ engine: Engine) async throws -> Date {
        try await sql.raw("SELECT \(unsafeRaw: now(engine)) AS now").first()!.decode(column: "now", as: Date.self)
    }
}
