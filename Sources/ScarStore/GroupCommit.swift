import Foundation
import SQLKit

/// SQLite group commit. SQLite has one writer at a time and each commit waits for its fsync, so
/// writers that arrive while a transaction is committing wait together and then share the next
/// transaction: each runs inside its own `SAVEPOINT` (a writer that throws is rolled back to it
/// and nothing it wrote lands), one `COMMIT` makes them all durable at once, and only then is each
/// caller answered. A writer alone in its batch runs exactly as before, without a savepoint.
///
/// If SQLite ends the whole transaction itself (a full disk, an I/O error), the writers of that
/// batch that had already run are answered with that error: none of them was committed.
final class GroupCommit: @unchecked Sendable {
    /// One caller's transaction body and how to answer it.
    struct Pending: Sendable {
        let run: @Sendable (any SQLDatabase) async throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    /// The most writers one commit carries; more wait for the next. 1 turns group commit off
    /// (`SCARTRACK_SQLITE_GROUP_COMMIT=false`, kept for measuring and as an escape hatch).
    let maximumBatch: Int

    init(maximumBatch: Int = 64) {
        self.maximumBatch = maximumBatch
    }

    private let lock = NSLock()
    private var queue: [Pending] = []
    private var draining = false

    /// Queues `pending`; starts the drain loop when none runs. `transaction` runs one batch; the
    /// drain loop runs on `executor` when given (the SQLite writer's own thread).
    func submit(_ pending: Pending, on executor: (any TaskExecutor)?,
                transaction: @escaping @Sendable ([Pending]) async -> Void) {
        lock.lock()
        queue.append(pending)
        let start = !draining
        draining = true
        lock.unlock()
        guard start else { return }
        Task(executorPreference: executor) {
            while let batch = self.nextBatch() {
                await transaction(batch)
            }
        }
    }

    private func nextBatch() -> [Pending]? {
        lock.lock()
        defer { lock.unlock() }
        guard !queue.isEmpty else {
            draining = false
            return nil
        }
        let batch = Array(queue.prefix(maximumBatch))
        queue.removeFirst(batch.count)
        return batch
    }

    /// Runs a batch on `sql`, which is inside `BEGIN IMMEDIATE`; returns who succeeded (to be
    /// answered after the commit) and who failed with what. Throws when the transaction itself is lost.
    static func run(_ batch: [Pending], on sql: any SQLDatabase, keyed: any SQLDatabase) async -> Outcome {
        var outcome = Outcome()
        if batch.count == 1 {
            do {
                try await batch[0].run(keyed)
                outcome.succeeded.append(batch[0])
            } catch {
                outcome.transactionLost = error
                outcome.failed.append((batch[0], error))
            }
            return outcome
        }
        for (index, pending) in batch.enumerated() {
            do {
                try await sql.raw("SAVEPOINT w").run()
            } catch {
                outcome.transactionLost = error
                outcome.notRun = Array(batch[index...])
                return outcome
            }
            // Savepoints are not released: each writer's nests in the one before, `ROLLBACK TO w`
            // undoes only the innermost (this writer's), and COMMIT ends them all (a statement fewer per writer).
            do {
                try await pending.run(keyed)
                outcome.succeeded.append(pending)
            } catch {
                outcome.failed.append((pending, error))
                do {
                    try await sql.raw("ROLLBACK TO w").run()
                } catch let lost {
                    // SQLite already ended the transaction: nothing of this batch will commit.
                    outcome.transactionLost = lost
                    outcome.notRun = Array(batch[(index + 1)...])
                    return outcome
                }
            }
        }
        return outcome
    }

    struct Outcome: Sendable {
        var succeeded: [Pending] = []
        var failed: [(Pending, any Error)] = []
        /// Set when the transaction cannot be committed (the lone writer failed, or SQLite ended it).
        var transactionLost: (any Error)?
        /// Writers not yet run when the transaction was lost; they go into the next batch.
        var notRun: [Pending] = []
    }

    /// Puts writers that never ran back at the head of the queue.
    func requeue(_ pending: [Pending]) {
        guard !pending.isEmpty else { return }
        lock.lock()
        queue.insert(contentsOf: pending, at: 0)
        lock.unlock()
    }
}

/// Holds a writer's result until its batch has committed.
final class WriteResult<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T?

    var value: T? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
