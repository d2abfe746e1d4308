import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteNIO

/// What the database layer has done since start: statements sent, connections checked out,
/// transactions committed and the writers they carried. `/metrics` reports them; tests read them
/// around one request to count what a page costs.
public struct DatabaseCounts: Sendable, Equatable {
    public var statements = 0
    public var checkouts = 0
    public var commits = 0
    /// Write bodies committed (more than `commits` when SQLite's group commit shared a commit).
    public var committedWriters = 0

    public init(statements: Int = 0, checkouts: Int = 0, commits: Int = 0, committedWriters: Int = 0) {
        self.statements = statements
        self.checkouts = checkouts
        self.commits = commits
        self.committedWriters = committedWriters
    }

    public static func - (a: Self, b: Self) -> Self {
        DatabaseCounts(statements: a.statements - b.statements, checkouts: a.checkouts - b.checkouts, commits: a.commits - b.commits,
                       committedWriters: a.committedWriters - b.committedWriters)
    }
}

final class DatabaseCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = DatabaseCounts()

    var current: DatabaseCounts {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }

    func add(_ change: (inout DatabaseCounts) -> Void) {
        lock.lock()
        change(&counts)
        lock.unlock()
    }
}

/// Forwards every statement to the connection and counts it.
struct CountingSQLDatabase: SQLDatabaseWrapper {
    let base: any SQLDatabase
    let counters: DatabaseCounters

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        counters.add { $0.statements += 1 }
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        counters.add { $0.statements += 1 }
        try await base.execute(sql: query, onRow)
    }
}

/// The SQLite connections that already have their per-connection settings. Held strongly (the
/// pool keeps one per event loop), so a closed connection's address is never mistaken for a new
/// one's; closed ones are dropped.
final class PreparedConnections: @unchecked Sendable {
    private let lock = NSLock()
    private var connections: [ObjectIdentifier: SQLiteConnection] = [:]

    /// True the first time `connection` is seen (the caller then applies the settings).
    func isNew(_ connection: SQLiteConnection) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let id = ObjectIdentifier(connection)
        if connections[id] != nil { return false }
        connections = connections.filter { !$0.value.isClosed }
        connections[id] = connection
        return true
    }

    /// Forgets a connection whose settings failed to apply, so its next checkout tries again.
    func forget(_ connection: SQLiteConnection) {
        lock.lock()
        connections[ObjectIdentifier(connection)] = nil
        lock.unlock()
    }
}
