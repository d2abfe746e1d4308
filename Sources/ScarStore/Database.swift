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
import Synchronization

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
    private let groupCommit: GroupCommit
    /// SQLite: a connection and thread for the writer and each reader (nil on PostgreSQL).
    private let lanes: SQLiteLanes?
    private let counters: DatabaseCounters
    private let preparedConnections = PreparedConnections()
    private let shutdownTask = Mutex<Task<Void, Never>?>(nil)
    /// Per-connection settings a test (or an operator drill) imposes to make the database refuse
    /// writes the way a full disk or a read-only volume does; see `refuseWrites(_:)`.
    let writeLimit = LockedWriteLimit()
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
                connectionsPerEventLoop: Int = 4, connectionTimeout: Int64 = 10, groupCommit: Bool = true) throws {
        self.location = location
        self.groupCommit = GroupCommit(maximumBatch: groupCommit ? 64 : 1)
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        let threadPool = NIOThreadPool(numberOfThreads: 4)
        threadPool.start()
        self.threadPool = threadPool
        let databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        let counters = DatabaseCounters()
        self.counters = counters
        var lanes: SQLiteLanes?
        switch location {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .snapshot, isDefault: false)
            lanes = SQLiteLanes(path: path, readers: 4, logger: logger, eventLoopGroup: eventLoopGroup) { connection in
                let sql = CountingSQLDatabase(base: connection.sql(queryLogLevel: .trace), counters: counters)
                for pragma in Self.sqlitePragmas { try await sql.raw(SQLQueryString(pragma)).run() }
            }
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = nil
            // Every statement here is a clinic's short read or write, or an aggregate whose planner
            // estimate is far off (the 1M-session analytics: 37M, JIT compile 3.4 s of 9.6 s). JIT
            // only ever cost time, so it is off for ScarTrack's sessions; named for pg_stat_activity.
            configuration.coreConfiguration.options.additionalStartupParameters = [("jit", "off"), ("application_name", "scartrack")]
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: connectionsPerEventLoop,
                                    connectionPoolTimeout: .seconds(connectionTimeout), sqlLogLevel: .trace), as: .psql)
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 1,
                                    connectionPoolTimeout: .seconds(connectionTimeout), sqlLogLevel: .trace), as: .snapshot, isDefault: false)
        }
        self.databases = databases
        self.lanes = lanes
    }

    /// A pooled database handle; cheap to create per call.
    var fluent: any Database {
        databases.database(logger: logger, on: eventLoopGroup.any())!
    }

    /// Runs `body` on one connection with the per-connection settings applied (SQLite: a reader lane).
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await mapErrors {
            try await self.withPreparedConnection(lane: self.lanes?.reader()) { sql in try await body(sql) }
        }
    }

    /// Runs `body` in one short read transaction on a reader (SQLite: a reader lane, `BEGIN
    /// DEFERRED`; PostgreSQL: `REPEATABLE READ READ ONLY`): every statement sees the same state,
    /// and neither the writer nor other readers wait for it.
    public func readTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin: SQLQueryString = engine == .postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN DEFERRED"
        return try await mapErrors {
            try await self.withPreparedConnection(lane: self.lanes?.reader()) { sql in
                try await Self.run(begin: begin, on: sql, body)
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
                guard self.engine == .sqlite else {
                    return try await self.inTransaction(connection, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
                }
                // The snapshot reads a whole clinic: its rows are read straight from the driver's connection.
                let sqlite = try await (connection as! any SQLiteDatabase).withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
                return try await self.inTransaction(connection, begin: "BEGIN DEFERRED") { sql in
                    try await body(SnapshotSQLiteDatabase(base: sql, connection: sqlite))
                }
            }
        }
    }

    /// Runs `body` inside one write transaction; everything it writes lands together or not at all.
    /// SQLite: writers queue and share commits (`GroupCommit`); each is answered after its commit.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard engine == .sqlite else { return try await transaction(body) }
        let result = WriteResult<T>()
        return try await withCheckedThrowingContinuation { continuation in
            let pending = GroupCommit.Pending(
                run: { sql in result.value = try await body(sql) },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: result.value!) }
                })
            groupCommit.submit(pending, on: lanes?.writer.thread.start()) { batch in await self.commitTogether(batch) }
        }
    }

    /// What the database layer has done since start (statements, checkouts, commits).
    public var counts: DatabaseCounts { counters.current }

    /// `body` on `lane`'s connection when given (SQLite), else on a pooled one.
    private func withPreparedConnection<T: Sendable>(lane: SQLiteLane?,
                                                     _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard let lane else { return try await withPreparedConnection(body) }
        return try await lane.withConnection { connection in
            self.counters.add { $0.checkouts += 1 }
            let sql = CountingSQLDatabase(base: connection.sql(queryLogLevel: .trace), counters: self.counters)
            if let limit = self.writeLimit.current {
                try await self.apply(limit, on: sql)
            }
            return try await body(sql)
        }
    }

    private func withPreparedConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await self.fluent.withConnection { connection in
            self.counters.add { $0.checkouts += 1 }
            let sql = CountingSQLDatabase(base: connection as! any SQLDatabase, counters: self.counters)
            try await self.prepare(sql, connection: connection)
            return try await body(sql)
        }
    }

    private func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await mapErrors {
            try await self.withPreparedConnection { sql in
                try await sql.raw("BEGIN").run()
                do {
                    let keyed: any SQLDatabase = self.auditKey.map { AuditKeyedSQLDatabase(base: sql, auditKey: $0) } ?? sql
                    let result = try await body(keyed)
                    try await sql.raw("COMMIT").run()
                    self.counters.add { $0.commits += 1; $0.committedWriters += 1 }
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    /// `begin`, then `body`, then COMMIT (ROLLBACK when it throws), on one connection with its settings applied.
    private func inTransaction<T: Sendable>(_ connection: any Database, begin: String,
                                            _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let sql = connection as! any SQLDatabase
        try await prepare(sql, connection: connection)
        return try await Self.run(begin: SQLQueryString(begin), on: sql, body)
    }

    /// `begin`, then `body`, then COMMIT (ROLLBACK when it throws), on `sql`.
    private static func run<T: Sendable>(begin: SQLQueryString, on sql: any SQLDatabase,
                                         _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await sql.raw(begin).run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// One SQLite transaction for a batch of writers: `BEGIN IMMEDIATE`, each writer (in a savepoint
    /// when there are several), one `COMMIT`, then every writer is answered.
    private func commitTogether(_ batch: [GroupCommit.Pending]) async {
        let outcome: GroupCommit.Outcome
        let commitError: (any Error)?
        do {
            let ran = try await withPreparedConnection(lane: lanes?.writer) { sql -> (GroupCommit.Outcome, (any Error)?) in
                try await sql.raw("BEGIN IMMEDIATE").run()
                let keyed: any SQLDatabase = self.auditKey.map { AuditKeyedSQLDatabase(base: sql, auditKey: $0) } ?? sql
                let outcome = await GroupCommit.run(batch, on: sql, keyed: keyed)
                if outcome.transactionLost != nil || outcome.succeeded.isEmpty {
                    try? await sql.raw("ROLLBACK").run()
                    return (outcome, nil)
                }
                do {
                    try await sql.raw("COMMIT").run()
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    return (outcome, error)
                }
                let writers = outcome.succeeded.count
                self.counters.add { $0.commits += 1; $0.committedWriters += writers }
                return (outcome, nil)
            }
            outcome = ran.0
            commitError = ran.1
        } catch {
            // No connection or no transaction: nobody in the batch ran.
            let mapped = Self.mapped(error)
            for pending in batch { pending.finish(mapped) }
            return
        }
        // A failed commit or a transaction SQLite ended: nobody who ran is committed.
        let lost = (commitError ?? outcome.transactionLost).map(Self.mapped)
        for pending in outcome.succeeded { pending.finish(lost) }
        for (pending, own) in outcome.failed { pending.finish(Self.mapped(own)) }
        groupCommit.requeue(outcome.notRun)
    }

    /// Per-connection SQLite settings, applied once when the pool hands out a connection it has
    /// not handed out before (a connection opened later gets them at its first checkout).
    /// (The driver also switches foreign keys on when it opens a connection.)
    private func prepare(_ sql: any SQLDatabase, connection: any Database) async throws {
        if let limit = writeLimit.current {
            try await apply(limit, on: sql)
        }
        guard engine == .sqlite, let sqlite = connection as? any SQLiteDatabase else { return }
        let checkedOut: EventLoopFuture<SQLiteConnection> = sqlite.withConnection { $0.eventLoop.makeSucceededFuture($0) }
        let raw = try await checkedOut.get()
        guard preparedConnections.isNew(raw) else { return }
        do {
            for pragma in Self.sqlitePragmas { try await sql.raw(SQLQueryString(pragma)).run() }
        } catch {
            preparedConnections.forget(raw)
            throw error
        }
    }

    /// Every SQLite connection's settings, applied once when it opens (a lane) or at its first checkout (the pool).
    static let sqlitePragmas = ["PRAGMA busy_timeout = \(sqliteBusyTimeoutMilliseconds)", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"]

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

    /// Closes every connection and stops the threads, once: the server's own shutdown and its
    /// owner's (a test, a command) may both call it, even at the same time, and a second run
    /// would stop the lanes' threads under the first one's closing connections.
    public func shutdown() async {
        let closing = shutdownTask.withLock { task in
            if let task { return task }
            let started = Task { [databases, lanes, threadPool] in
                await databases.shutdownAsync()
                await lanes?.shutdown()
                try? await threadPool.shutdownGracefully()
            }
            task = started
            return started
        }
        await closing.value
    }

    /// Turns driver errors that mean "cannot write now" into `StoreError.unavailable`, so the
    /// server answers 503 with a clear message instead of 500.
    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.mapped(error)
        }
    }

    /// The error `mapErrors` turns a driver error into (others unchanged).
    static func mapped(_ error: any Error) -> any Error {
        switch error {
        case let error as SQLiteError:
            switch error.reason {
            case .readOnly:
                return StoreError.writeRefused("The database is read-only (SQLITE_READONLY); nothing was saved.")
            case .full:
                return StoreError.writeRefused("The disk holding the database is full (SQLITE_FULL); nothing was saved.")
            case .ioError:
                return StoreError.writeRefused("The disk holding the database reported an input/output error (SQLITE_IOERR); nothing was saved.")
            case .cantOpen, .busy, .locked, .busyTimeout:
                return StoreError.unavailable("The database cannot accept changes right now (\(error.reason)).")
            case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed:
                if error.message.contains("UNIQUE") { return StoreError.duplicate(field: Self.uniqueField(in: error.message)) }
                return error
            default:
                return error
            }
        case let error as PSQLError:
            if let code = error.serverInfo?[.sqlState] {
                if code == "23505" {
                    return StoreError.duplicate(field: Self.uniqueField(in: error.serverInfo?[.constraintName] ?? ""))
                }
                // 53100 disk full, 53xxx other insufficient resources; 25006 read-only transaction.
                if code == "53100" {
                    return StoreError.writeRefused("The disk holding the database is full (SQLSTATE 53100); nothing was saved.")
                }
                if code == "25006" {
                    return StoreError.writeRefused("The database is read-only (SQLSTATE 25006); nothing was saved.")
                }
                if code.hasPrefix("53") || code.hasPrefix("08") || code.hasPrefix("57") {
                    return StoreError.unavailable("The database cannot accept changes right now (\(code)).")
                }
            } else if error.code == .connectionError || error.code == .serverClosedConnection {
                return StoreError.unavailable("The database is unreachable.")
            }
            return error
        default:
            return error
        }
    }

    /// Maps a unique index name or message to the API field it protects.
    static func uniqueField(in text: String) -> String {
        if text.contains("mrn") { return "mrn" }
        if text.contains("email") { return "email" }
        return "id"
    }
}

extension DatabaseID {
    /// The pool `ScarDatabase.snapshot` reads from (one connection per event loop), apart from
    /// the pool every other read and write uses.
    static let snapshot = DatabaseID(string: "scartrack-snapshot")
}
