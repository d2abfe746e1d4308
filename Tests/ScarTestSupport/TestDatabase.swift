import Foundation
import Logging
import ScarStore
import SQLKit

/// A fresh, migrated database for each test, on the engine `scripts/test` selects:
/// `SCARTRACK_TEST_DATABASE=sqlite` (default) or `postgres` with `SCARTRACK_TEST_DATABASE_URL`.
/// Migrations run once per test process; each test gets a copy (SQLite: a file copy;
/// PostgreSQL: `CREATE DATABASE … TEMPLATE`), so no test sees another's data.
public enum TestDatabase {
    public static var engine: Engine {
        ProcessInfo.processInfo.environment["SCARTRACK_TEST_DATABASE"] == "postgres" ? .postgres : .sqlite
    }

    public static let logger: Logger = {
        var l = Logger(label: "scartrack.test")
        l.logLevel = .warning
        return l
    }()

    /// Runs `body` with a new database and shuts it down afterwards, also on failure.
    /// At most `openLimit` test databases are open at once, so a parallel test run stays
    /// within the connection limit of one PostgreSQL server.
    public static func with<T>(_ body: (ScarDatabase) async throws -> T) async throws -> T {
        await gate.acquire()
        do {
            let result = try await open(body)
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    static let openLimit = 12
    static let gate = CountingGate(limit: openLimit)

    private static func open<T>(_ body: (ScarDatabase) async throws -> T) async throws -> T {
        let location = try await Templates.shared.freshLocation()
        let db = try ScarDatabase(location: location, logger: logger, connectionsPerEventLoop: 1, connectionTimeout: 60)
        do {
            let result = try await body(db)
            await db.shutdown()
            return result
        } catch {
            await db.shutdown()
            throw error
        }
    }

    /// A location for a new database copy, for tests that open it more than once (restarts).
    public static func freshLocation() async throws -> StoreLocation {
        try await Templates.shared.freshLocation()
    }

    actor Templates {
        static let shared = Templates()
        private var template: Task<StoreLocation, any Error>?
        private var admin: ScarDatabase?
        private let root = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-tests-\(ProcessInfo.processInfo.processIdentifier)")

        func freshLocation() async throws -> StoreLocation {
            let template = try await templateLocation()
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            switch template {
            case .sqlite(let path):
                let copy = root.appendingPathComponent("\(name).sqlite").path
                try FileManager.default.copyItem(atPath: path, toPath: copy)
                // Closing the last connection normally folds the WAL into the file; copy it if it did not.
                if FileManager.default.fileExists(atPath: path + "-wal") {
                    try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
                }
                return .sqlite(path: copy)
            case .postgres(let url):
                let templateName = URL(string: url)!.lastPathComponent
                try await admin!.read { sql in
                    try await sql.raw("CREATE DATABASE \(ident: String(name)) TEMPLATE \(ident: templateName)").run()
                }
                return .postgres(url: Self.url(url, database: String(name)))
            }
        }

        /// Single flight: concurrent first callers wait for the same template.
        private func templateLocation() async throws -> StoreLocation {
            if let template { return try await template.value }
            let task = Task { try await self.makeTemplate() }
            template = task
            return try await task.value
        }

        private func makeTemplate() async throws -> StoreLocation {
            let location: StoreLocation
            switch TestDatabase.engine {
            case .sqlite:
                try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
                location = .sqlite(path: root.appendingPathComponent("template.sqlite").path)
            case .postgres:
                guard let base = ProcessInfo.processInfo.environment["SCARTRACK_TEST_DATABASE_URL"] else {
                    fatalError("SCARTRACK_TEST_DATABASE=postgres needs SCARTRACK_TEST_DATABASE_URL (scripts/test sets both)")
                }
                let admin = try ScarDatabase(location: .postgres(url: base), logger: TestDatabase.logger, connectionsPerEventLoop: 1, connectionTimeout: 60)
                self.admin = admin
                let name = "template_\(ProcessInfo.processInfo.processIdentifier)_\(Int.random(in: 1000...9999))"
                try await admin.read { sql in try await sql.raw("CREATE DATABASE \(ident: name)").run() }
                location = .postgres(url: Self.url(base, database: name))
            }
            let db = try ScarDatabase(location: location, logger: TestDatabase.logger, connectionsPerEventLoop: 1, connectionTimeout: 60)
            do {
                try await Migrator.migrate(db)
            } catch {
                await db.shutdown()
                throw error
            }
            await db.shutdown()
            return location
        }

        static func url(_ base: String, database: String) -> String {
            var c = URLComponents(string: base)!
            c.path = "/" + database
            return c.string!
        }
    }
}

/// A counting semaphore for async code: at most `limit` holders at once, first come first served.
actor CountingGate {
    private let limit: Int
    private var holders = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if holders < limit {
            holders += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            holders -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
