import Foundation
import SQLKit

/// Refusing writes on purpose, for the "disk full / read-only → 503" tests and operator drills.
extension ScarDatabase {
    /// How the database is made to refuse writes for the "disk full / read-only → 503" tests.
    /// Each one makes the engine itself fail the write with its real error code; nothing is faked
    /// above the driver.
    public enum WriteLimit: Sendable, Equatable {
        /// Back to normal (the settings are reset on every pooled connection as it is next used).
        case none
        /// SQLite `PRAGMA query_only = ON` (SQLITE_READONLY); PostgreSQL
        /// `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY` (SQLSTATE 25006).
        case readOnly
        /// SQLite `PRAGMA max_page_count` = the file's current page count: the file cannot grow,
        /// so a write needing a new page fails with SQLITE_FULL exactly as on a full disk.
        case noRoomToGrow
    }

    /// Imposes (or lifts) a write limit on every connection from its next checkout on.
    public func refuseWrites(_ limit: WriteLimit) async throws {
        var pages: Int?
        if limit == .noRoomToGrow {
            guard engine == .sqlite else { throw StoreError.configuration("noRoomToGrow is a SQLite-only limit") }
            pages = try await read { sql in try await sql.raw("PRAGMA page_count").first()!.decode(column: "page_count", as: Int.self) }
        }
        writeLimit.set(limit, pages: pages)
    }

    func apply(_ limit: LockedWriteLimit.Setting, on sql: any SQLDatabase) async throws {
        switch engine {
        case .sqlite:
            try await sql.raw("PRAGMA query_only = \(unsafeRaw: limit.limit == .readOnly ? "ON" : "OFF")").run()
            // 1073741823 is SQLite's default maximum.
            try await sql.raw("PRAGMA max_page_count = \(unsafeRaw: String(limit.pages ?? 1_073_741_823))").run()
        case .postgres:
            let mode = limit.limit == .readOnly ? "READ ONLY" : "READ WRITE"
            try await sql.raw("SET SESSION CHARACTERISTICS AS TRANSACTION \(unsafeRaw: mode)").run()
        }
    }
}

/// The current write limit, shared by every connection checkout.
final class LockedWriteLimit: @unchecked Sendable {
    struct Setting: Sendable {
        var limit: ScarDatabase.WriteLimit
        var pages: Int?
    }
    private let lock = NSLock()
    private var setting: Setting?

    /// Nil until a limit was ever set, so normal operation runs no extra statements.
    var current: Setting? {
        lock.lock()
        defer { lock.unlock() }
        return setting
    }

    func set(_ limit: ScarDatabase.WriteLimit, pages: Int?) {
        lock.lock()
        setting = Setting(limit: limit, pages: pages)
        lock.unlock()
    }
}
