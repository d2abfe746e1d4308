import Foundation
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

@Suite("Audit trail")
struct AuditTrailTests {
    let actor = AuditActor(clinicId: nil, userId: nil, label: "store-test", clientAddress: "127.0.0.1")

    @Test func everyReadAndWriteOfAPatientIsAudited() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            let p = try await repo.register(Fixtures.details(), clinicId: clinic.id, by: actor)
            _ = try await repo.find(id: p.id, clinicId: clinic.id, by: actor)
            _ = try await repo.update(id: p.id, clinicId: clinic.id, expectedVersion: 1, by: actor) { _ in Fixtures.details(phone: "+44 20 5555 0005") }
            let actions = try await AuditRepository(db).entries(patientId: p.id).map(\.action)
            #expect(actions == ["patient.update", "patient.read", "patient.create"])
        }
    }

    @Test func chainVerifiesAfterConcurrentWrites() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            let actor = self.actor
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask { _ = try await repo.register(Fixtures.details(given: "P\(i)"), clinicId: clinic.id, by: actor) }
                }
                try await group.waitForAll()
            }
            let result = try await AuditRepository(db).verify()
            #expect(result.intact)
            #expect(result.entries == 21) // clinic + 20 patients
        }
    }

    @Test func auditLogRefusesUpdateAndDelete() async throws {
        try await TestDatabase.with { db in
            _ = try await Fixtures.clinic(db)
            await #expect(throws: (any Error).self) {
                try await db.write { sql in try await sql.raw("UPDATE audit_log SET actor = 'someone else'").run() }
            }
            await #expect(throws: (any Error).self) {
                try await db.write { sql in try await sql.raw("DELETE FROM audit_log").run() }
            }
            #expect(try await AuditRepository(db).verify().entries == 1)
        }
    }

    @Test(arguments: ["altered", "removed", "reordered"])
    func verifyNamesTheFirstBadEntry(tampering: String) async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            for i in 0..<4 { _ = try await repo.register(Fixtures.details(given: "P\(i)"), clinicId: clinic.id, by: actor) }
            #expect(try await AuditRepository(db).verify().intact)
            // An attacker with owner rights can drop the guard triggers; the chain still tells.
            try await Self.dropGuards(db)
            try await db.write { sql in
                switch tampering {
                case "altered": try await sql.raw("UPDATE audit_log SET actor = 'nobody' WHERE seq = 3").run()
                case "removed": try await sql.raw("DELETE FROM audit_log WHERE seq = 3").run()
                default:
                    try await sql.raw("UPDATE audit_log SET seq = 100 WHERE seq = 3").run()
                    try await sql.raw("UPDATE audit_log SET seq = 3 WHERE seq = 4").run()
                    try await sql.raw("UPDATE audit_log SET seq = 4 WHERE seq = 100").run()
                }
            }
            let result = try await AuditRepository(db).verify()
            #expect(!result.intact)
            #expect(result.firstBad?.seq == 3)
            #expect(result.entries == 2)
        }
    }

    /// Issue 11, item 2, on either engine (on PostgreSQL as the owner role, which may drop the
    /// guard trigger): with entries MAC'd under a key kept outside the database and a checkpoint
    /// of the head in a file, deleting the tail or rewriting an entry and recomputing the later
    /// hashes is named. Without the key and checkpoint both would verify as intact.
    @Test(arguments: ["truncated", "recomputed"])
    func theKeyAndTheCheckpointNameTruncationAndRecomputedChains(tampering: String) async throws {
        try await TestDatabase.with { db in
            db.useAuditKey(AuditKey.random())
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            for i in 0..<11 { _ = try await repo.register(Fixtures.details(given: "P\(i)"), clinicId: clinic.id, by: actor) }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoints-\(UUID().uuidString).jsonl").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            let checkpoint = try #require(try await db.writeAuditCheckpoint(to: file))
            #expect(checkpoint.seq == 12)
            let key = try #require(db.auditKey)
            let read = AuditCheckpoints.read(path: file, key: key)
            #expect(read.checkpoints == [checkpoint] && read.rejected.isEmpty)
            #expect(try await AuditRepository(db).verify(checkpoints: read.checkpoints).intact)

            try await Self.dropGuards(db)
            switch tampering {
            case "truncated":
                try await db.write { sql in try await sql.raw("DELETE FROM audit_log WHERE seq > 2").run() }
            default:
                try await db.write { sql in
                    try await sql.raw("UPDATE audit_log SET actor = 'nobody' WHERE seq = 5").run()
                    let rows = try await sql.raw("SELECT \(unsafeRaw: AuditRepository.columnList) FROM audit_log WHERE seq >= 4 ORDER BY seq")
                        .all().map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
                    var prev = rows[0].hash
                    for var entry in rows.dropFirst() {
                        entry.prevHash = prev
                        entry.hash = AuditTrail.hash(of: entry)
                        try await sql.raw("UPDATE audit_log SET prev_hash = \(bind: entry.prevHash), hash = \(bind: entry.hash) WHERE seq = \(bind: entry.seq)").run()
                        prev = entry.hash
                    }
                }
            }
            // The public algorithm alone finds nothing wrong…
            db.useAuditKey(nil)
            #expect(try await AuditRepository(db).verify().intact)
            // …the key and the checkpoint do.
            db.useAuditKey(key)
            let result = try await AuditRepository(db).verify(checkpoints: read.checkpoints)
            #expect(!result.intact)
            let reasons = result.problems.map(\.reason)
            switch tampering {
            case "truncated":
                #expect(result.firstBad?.seq == 3)
                #expect(reasons.contains { $0.hasPrefix("entries 3–12 are missing: the checkpoint of") && $0.hasSuffix("saw the chain at 12") }, "\(reasons)")
            default:
                #expect(result.firstBad?.seq == 5)
                #expect(reasons.contains("entries 5–12: their MACs do not match (forged or recomputed)"), "\(reasons)")
                #expect(reasons.contains { $0.hasPrefix("entry 12 is not the one the checkpoint of") }, "\(reasons)")
            }
        }
    }

    static func dropGuards(_ db: ScarDatabase) async throws {
        try await db.write { sql in
            switch db.engine {
            case .sqlite:
                try await sql.raw("DROP TRIGGER audit_log_no_update").run()
                try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
            case .postgres:
                try await sql.raw("DROP TRIGGER audit_log_no_change ON audit_log").run()
            }
        }
    }
}

@Suite("Migrations")
struct MigrationTests {
    @Test func migratingTwiceChangesNothing() async throws {
        try await TestDatabase.with { db in
            let applied = try await Migrator.migrate(db)
            #expect(applied.isEmpty)
        }
    }

    @Test(.enabled(if: TestDatabase.engine == .sqlite, "WAL, foreign_keys and synchronous are SQLite pragmas"))
    func sqliteFileUsesWALWithForeignKeysAndFullSync() async throws {
        try await TestDatabase.with { db in
            let (mode, fk, sync) = try await db.read { sql in
                (try await sql.raw("PRAGMA journal_mode").first()!.decode(column: "journal_mode", as: String.self),
                 try await sql.raw("PRAGMA foreign_keys").first()!.decode(column: "foreign_keys", as: Int.self),
                 try await sql.raw("PRAGMA synchronous").first()!.decode(column: "synchronous", as: Int.self))
            }
            #expect(mode == "wal")
            #expect(fk == 1)
            #expect(sync == 2) // FULL
        }
    }

    @Test(.enabled(if: TestDatabase.engine == .postgres, "JIT and application_name are PostgreSQL settings"))
    func postgresSessionsRunWithoutJITAndAreNamed() async throws {
        try await TestDatabase.with { db in
            let (jit, name) = try await db.read { sql in
                (try await sql.raw("SHOW jit").first()!.decode(column: "jit", as: String.self),
                 try await sql.raw("SHOW application_name").first()!.decode(column: "application_name", as: String.self))
            }
            #expect(jit == "off")
            #expect(name == "scartrack")
        }
    }
}
