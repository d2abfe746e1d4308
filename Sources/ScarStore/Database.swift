import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SQLKit
import SQLiteNIO

/// Owns the connection pools (through FluentKit's `Databases`) and gives repositories two
/// ways in: `read` for queries and `write` for one serialized transaction.
///
/// SQLite: WAL, `synchronous=FULL`, foreign keys on, a busy timeout; writes start with
/// `BEGIN IMMEDIATE` so two writers queue instead of failing on a lock upgrade.
/// PostgreSQL: ordinary transactions; the few places that must serialize take advisory locks.
public final class ScarDatabase: Sendable {
    public let location: StoreLocation
    public var engine: Engine { location.engine }
    let databases: Databases
    let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    /// Blocking SQLite calls run here, apart from the shared pool that bcrypt uses.
    private let threadPool: NIOThreadPool
    private let writeGate = WriteGate()
    /// Per-connection settings a test (or an operator drill) imposes to make the database refuse
    /// writes the way a full disk or a read-only volume does; see `refuseWrites(_:)`.
    private let writeLimit = LockedWriteLimit()
    /// The key audit entries are MAC'd with (kept outside the database); see `AuditKey`.
    private let auditKeyBox = LockedAuditKey()

    /// The key new audit entries are MAC'd with; nil writes entries without a MAC.
    public var auditKey: AuditKey? { auditKeyBox.current }

    /// Every audit entry appended from now on carries HMAC-SHA-256 of its hash under `key`.
    public func useAuditKey(_ key: AuditKey?) { auditKeyBox.set(key) }

    /// How long a SQLite writer waits for another before giving up with a clear error.
    static let sqliteBusyTimeoutMilliseconds = 5000

    /// `connectionsPerEventLoop` bounds PostgreSQL connections (SQLite always uses one per loop);
    /// tests that open hundreds of databases at once keep it small.
    public init(location: StoreLocation, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                connectionsPerEventLoop: Int = 4, connectionTimeout: Int64 = 10) throws {
        self.location = location
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        let threadPool = NIOThreadPool(numberOfThreads: 4)
        threadPool.start()
        self.threadPool = threadPool
        let databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        switch location {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .snapshot, isDefault: false)
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = nil
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: connectionsPerEventLoop,
                                    connectionPoolTimeout: .seconds(connectionTimeout), sqlLogLevel: .trace), as: .psql)
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 1,
                                    connectionPoolTimeout: .seconds(connectionTimeout), sqlLogLevel: .trace), as: .snapshot, isDefault: false)
        }
        self.databases = databases
    }

    /// A pooled database handle; cheap to create per call.
    var fluent: any Database {
        databases.database(logger: logger, on: eventLoopGroup.any())!
    }

    /// Runs `body` on one connection with the per-connection settings applied.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await mapErrors {
            try await self.fluent.withConnection { connection in
                let sql = connection as! any SQLDatabase
                try await self.prepare(sql)
                return try await body(sql)
            }
        }
    }

    /// Runs `body` in one read-only transaction that sees a single consistent state of the
    /// database however long it runs (PostgreSQL `REPEATABLE READ`; SQLite a WAL read
    /// transaction), on a pool of its own: `body` may `write` meanwhile (e.g. an export storing
    /// its files) without waiting for the connection it holds.
    public func snapshot<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await mapErrors {
            let pool = self.databases.database(.snapshot, logger: self.logger, on: self.eventLoopGroup.any())!
            return try await pool.withConnection { connection in
                try await self.inTransaction(connection as! any SQLDatabase,
                                             begin: self.engine == .postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN DEFERRED",
                                             body)
            }
        }
    }

    /// Runs `body` inside one write transaction; everything it writes lands together or not at all.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if engine == .sqlite {
            return try await writeGate.withLock { try await self.transaction(body) }
        }
        return try await transaction(body)
    }

    private func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await mapErrors {
            try await self.fluent.withConnection { connection in
                try await self.inTransaction(connection as! any SQLDatabase, begin: self.engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN") { sql in
                    let keyed: any SQLDatabase = self.auditKey.map { AuditKeyedSQLDatabase(base: sql, auditKey: $0) } ?? sql
                    return try await body(keyed)
                }
            }
        }
    }

    /// `begin`, then `body`, then COMMIT (ROLLBACK when it throws), on one connection with its settings applied.
    private func inTransaction<T: Sendable>(_ sql: any SQLDatabase, begin: String,
                                            _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await prepare(sql)
        try await sql.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Per-connection SQLite settings. They are cheap, and running them on every checkout
    /// means a connection the pool opened later can never miss them.
    private func prepare(_ sql: any SQLDatabase) async throws {
        if let limit = writeLimit.current {
            try await apply(limit, on: sql)
        }
        guard engine == .sqlite else { return }
        try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.sqliteBusyTimeoutMilliseconds))").run()
        try await sql.raw("PRAGMA synchronous = FULL").run()
        try await sql.raw("PRAGMA foreign_keys = ON").run()
    }

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

    private func apply(_ limit: LockedWriteLimit.Setting, on sql: any SQLDatabase) async throws {
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

    /// One-time file settings: WAL survives in the file itself.
    func configureFile() async throws {
        guard engine == .sqlite else { return }
        try await read { sql in
            try await sql.raw("PRAGMA journal_mode = WAL").run()
        }
    }

    /// Liveness of the database for `/health`: a trivial round trip.
    public func ping() async -> Bool {
        do {
            return try await read { sql in
                try await sql.raw("SELECT 1 AS ok").first() != nil
            }
        } catch {
            return false
        }
    }

    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
    }

    /// Turns driver errors that mean "cannot write now" into `StoreError.unavailable`, so the
    /// server answers 503 with a clear message instead of 500.
    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError {
            switch error.reason {
            case .readOnly:
                throw StoreError.writeRefused("The database is read-only (SQLITE_READONLY); nothing was saved.")
            case .full:
                throw StoreError.writeRefused("The disk holding the database is full (SQLITE_FULL); nothing was saved.")
            case .ioError:
                throw StoreError.writeRefused("The disk holding the database reported an input/output error (SQLITE_IOERR); nothing was saved.")
            case .cantOpen, .busy, .locked, .busyTimeout:
                throw StoreError.unavailable("The database cannot accept changes right now (\(error.reason)).")
            case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed:
                if error.message.contains("UNIQUE") { throw StoreError.duplicate(field: Self.uniqueField(in: error.message)) }
                throw error
            default:
                throw error
            }
        } catch let error as PSQLError {
            if let code = error.serverInfo?[.sqlState] {
                if code == "23505" {
                    throw StoreError.duplicate(field: Self.uniqueField(in: error.serverInfo?[.constraintName] ?? ""))
                }
                // 53100 disk full, 53xxx other insufficient resources; 25006 read-only transaction.
                if code == "53100" {
                    throw StoreError.writeRefused("The disk holding the database is full (SQLSTATE 53100); nothing was saved.")
                }
                if code == "25006" {
                    throw StoreError.writeRefused("The database is read-only (SQLSTATE 25006); nothing was saved.")
                }
                if code.hasPrefix("53") || code.hasPrefix("08") || code.hasPrefix("57") {
                    throw StoreError.unavailable("The database cannot accept changes right now (\(code)).")
                }
            } else if error.code == .connectionError || error.code == .serverClosedConnection {
                throw StoreError.unavailable("The database is unreachable.")
            }
            throw error
        }
    }

    /// Maps a unique index name or message to the API field it protects.
    static func uniqueField(in text: String) -> String {
        if text.contains("mrn") { return "mrn" }
        if text.contains("email") { return "email" }
        return "id"
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


extension DatabaseID {
    /// The pool `ScarDatabase.snapshot` reads from (one connection per event loop), apart from
    /// the pool every other read and write uses.
    static let snapshot = DatabaseID(string: "scartrack-snapshot")
}

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
