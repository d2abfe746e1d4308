import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import Synchronization

/// SQLite's connections for reads and writes, each a "lane": one connection and one thread of its
/// own that both runs the connection's SQLite calls (its thread pool) and runs the caller's code
/// between them (a task executor). A transaction's statements then run back to back on that
/// thread, instead of handing off from a pool thread to an event loop to the global executor and
/// back for every statement, which is what kept the server, not the disk, the limit under load
/// (issue 16). The writer has its lane (group commit runs every batch on it), so a read never
/// waits behind a commit's fsync; reads take the first free reader lane.
final class SQLiteLanes: Sendable {
    let writer: SQLiteLane
    let readers: [SQLiteLane]

    init(path: String, readers: Int, logger: Logger, eventLoopGroup: any EventLoopGroup,
         setUp: @escaping @Sendable (SQLiteConnection) async throws -> Void) {
        // As SQLiteKit names the file (a `file:` URL), so both open the same way.
        let storage = SQLiteConnection.Storage.file(path: URL(fileURLWithPath: path, isDirectory: false).absoluteString)
        let lane = { SQLiteLane(storage: storage, logger: logger, eventLoop: eventLoopGroup.next(), setUp: setUp) }
        writer = lane()
        self.readers = (0..<readers).map { _ in lane() }
    }

    /// The first reader lane nobody holds (connections open only as concurrency needs them), else
    /// the one with the shortest queue.
    func reader() -> SQLiteLane {
        var best = readers[0], shortest = Int.max
        for lane in readers {
            let queue = lane.queueLength
            if queue == 0 { return lane }
            if queue < shortest { (best, shortest) = (lane, queue) }
        }
        return best
    }

    func shutdown() async {
        for lane in [writer] + readers { await lane.shutdown() }
    }
}

/// One connection on one thread, used by one caller at a time (the others wait their turn, in order).
final class SQLiteLane: Sendable {
    let thread = LaneThread()
    private let storage: SQLiteConnection.Storage
    private let logger: Logger
    private let eventLoop: any EventLoop
    private let setUp: @Sendable (SQLiteConnection) async throws -> Void
    private let state = Mutex(State())

    private struct State {
        var connection: SQLiteConnection?
        /// Set by `shutdown`: no connection opens after it (a background job still running when
        /// the database shuts down would otherwise open one that is never closed).
        var shutDown = false
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    init(storage: SQLiteConnection.Storage, logger: Logger, eventLoop: any EventLoop,
         setUp: @escaping @Sendable (SQLiteConnection) async throws -> Void) {
        (self.storage, self.logger, self.eventLoop, self.setUp) = (storage, logger, eventLoop, setUp)
    }

    /// Callers holding or waiting for the lane.
    var queueLength: Int {
        state.withLock { ($0.busy ? 1 : 0) + $0.waiting.count }
    }

    /// Runs `body` with the lane's connection (opened and set up on first use), on the lane's thread.
    func withConnection<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        await acquire()
        thread.start()
        return try await withTaskExecutorPreference(thread) {
            defer { release() }
            return try await body(try await connection())
        }
    }

    private func connection() async throws -> SQLiteConnection {
        let (open, shutDown) = state.withLock { ($0.connection, $0.shutDown) }
        if shutDown { throw StoreError.unavailable("The database is shutting down.") }
        if let open, !open.isClosed { return open }
        let connection = try await SQLiteConnection.open(storage: storage, threadPool: thread.pool, logger: logger, on: eventLoop)
        do {
            try await setUp(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        let kept = state.withLock { state in
            if state.shutDown { return false }
            state.connection = connection
            return true
        }
        guard kept else {
            try? await connection.close()
            throw StoreError.unavailable("The database is shutting down.")
        }
        return connection
    }

    private func acquire() async {
        await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in
            let free = state.withLock { state in
                if state.busy {
                    state.waiting.append(turn)
                    return false
                }
                state.busy = true
                return true
            }
            if free { turn.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }

    func shutdown() async {
        let connection = state.withLock { state in
            state.shutDown = true
            defer { state.connection = nil }
            return state.connection
        }
        if let connection {
            try? await withTaskExecutorPreference(thread) { try await connection.close() }
        }
        await thread.shutdown()
    }
}

/// A lane's thread as a task executor: jobs enqueued here run on the lane's thread-pool thread,
/// between (and in order with) the SQLite calls submitted to the same pool. The thread starts
/// when the lane is first used (tests open many databases and use few of their lanes).
final class LaneThread: TaskExecutor, Sendable {
    let pool = NIOThreadPool(numberOfThreads: 1)
    private let started = Mutex(false)

    /// Starts the thread unless it runs; returns the executor.
    @discardableResult
    func start() -> LaneThread {
        started.withLock { started in
            if !started { pool.start() }
            started = true
        }
        return self
    }

    func shutdown() async {
        if started.withLock({ $0 }) { try? await pool.shutdownGracefully() }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let work = UnownedJob(job)
        // Run even when the pool has stopped (then on the caller's thread): a job is never dropped.
        pool.submit { _ in work.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
