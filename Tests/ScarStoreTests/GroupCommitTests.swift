import Foundation
import ScarCore
@testable import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// SQLite group commit: writers arriving together share commits, each is answered after its own
/// commit, and a writer that fails leaves nothing behind while the others land. On PostgreSQL the
/// same calls are ordinary transactions; the outcomes asked of them are the same.
@Suite("Group commit")
struct GroupCommitTests {
    struct Refused: Error {}

    static func clinicCount(_ db: ScarDatabase, prefix: String) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM clinics WHERE name LIKE \(bind: prefix + "%")").first()!.decode(column: "n", as: Int.self)
        }
    }

    @Test func fiftyWritersAtOnceLandExceptTheOnesThatFailAndShareCommits() async throws {
        try await TestDatabase.with { db in
            let before = db.counts
            let results = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        do {
                            try await db.write { sql in
                                try await sql.raw("""
                                    INSERT INTO clinics (id, name, time_zone, created_at) VALUES (\(bind: UUID()), \(bind: "GC \(i)"), 'UTC', \(bind: Date()))
                                    """).run()
                                try await AuditTrail.append(AuditEvent(action: "test.write", details: ["i": String(i)]), by: .commandLine(),
                                                            engine: db.engine, on: sql)
                                if i % 5 == 0 { throw Refused() }
                            }
                            return true
                        } catch {
                            #expect(error is Refused, "\(error)")
                            return false
                        }
                    }
                }
                var ok: [Bool] = []
                for await r in group { ok.append(r) }
                return ok
            }
            #expect(results.filter { $0 }.count == 40)
            let landed = try await Self.clinicCount(db, prefix: "GC ")
            #expect(landed == 40)
            let done = db.counts - before
            #expect(done.committedWriters == 40)
            if db.engine == .sqlite { #expect(done.commits < 40, "writers waiting together share a commit (\(done.commits) commits)") }
            let verification = try await AuditRepository(db).verify()
            #expect(verification.intact)
        }
    }

    @Test func aWriterAloneIsAnsweredWithItsOwnResultAndAFailedOneLeavesNothing() async throws {
        try await TestDatabase.with { db in
            let value = try await db.write { sql in
                try await sql.raw("INSERT INTO clinics (id, name, time_zone, created_at) VALUES (\(bind: UUID()), 'Alone 1', 'UTC', \(bind: Date()))").run()
                return 7
            }
            #expect(value == 7)
            await #expect(throws: StoreError.self) {
                try await db.write { sql in
                    try await sql.raw("INSERT INTO clinics (id, name, time_zone, created_at) VALUES (\(bind: UUID()), 'Alone 2', 'UTC', \(bind: Date()))").run()
                    // The same id twice: the unique key refuses it and the whole writer is undone.
                    let id = UUID()
                    try await sql.raw("INSERT INTO clinics (id, name, time_zone, created_at) VALUES (\(bind: id), 'Alone 3', 'UTC', \(bind: Date()))").run()
                    try await sql.raw("INSERT INTO clinics (id, name, time_zone, created_at) VALUES (\(bind: id), 'Alone 4', 'UTC', \(bind: Date()))").run()
                }
            }
            let alone = try await Self.clinicCount(db, prefix: "Alone")
            #expect(alone == 1)
        }
    }

    @Test func theSettingsAreAppliedOncePerConnectionNotPerCheckout() async throws {
        try await TestDatabase.with { db in
            _ = try await db.read { sql in try await sql.raw("SELECT 1 AS x").first() }
            let before = db.counts
            for _ in 0..<10 { _ = try await db.read { sql in try await sql.raw("SELECT 1 AS x").first() } }
            let done = db.counts - before
            #expect(done.checkouts == 10)
            // One statement per read once every pooled connection has its settings (at most one per event loop still new).
            #expect(done.statements <= 10 + 3 * ProcessInfo.processInfo.activeProcessorCount, "\(done.statements) statements for 10 reads")
            if db.engine == .sqlite {
                let synchronous = try await db.read { sql in try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self) }
                #expect(synchronous == 2)  // FULL, on every connection
            }
        }
    }

    /// SQLite: the writer has a connection of its own, so reads (every request's sign-in look-up)
    /// never queue behind a transaction that is running or waiting for its fsync.
    @Test func readsAreAnsweredWhileTheWriterHoldsItsTransaction() async throws {
        try await TestDatabase.with { db in
            let writer = Task {
                try await db.write { sql in
                    try await sql.raw("INSERT INTO clinics (id, name, time_zone, created_at) VALUES (\(bind: UUID()), 'Held 1', 'UTC', \(bind: Date()))").run()
                    try await Task.sleep(for: .milliseconds(1500))
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            var seen: [Int] = []
            for _ in 0..<8 { seen.append(try await Self.clinicCount(db, prefix: "Held")) }
            let took = ContinuousClock.now - started
            if db.engine == .sqlite {
                #expect(took < .milliseconds(700), "8 reads took \(took) while a write was open")
                #expect(seen == Array(repeating: 0, count: 8), "a read sees only committed writes")
            }
            try await writer.value
            #expect(try await Self.clinicCount(db, prefix: "Held") == 1)
        }
    }
}
