import Foundation
import Logging
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// `scartrack audit verify` through the built executable, on a real SQLite file that is then
/// tampered with the way an attacker with file access would (drop the guard trigger, edit a row).
@Suite("audit verify on a tampered database")
struct AuditVerifyCommandTests {
    /// The binary on a data folder, with no database URL or audit key inherited from the shell.
    static func run(_ arguments: [String], dataDirectory: String) throws -> ProcessRun {
        try ProcessRunner.run(arguments, environment: [
            "SCARTRACK_DATA_DIR": dataDirectory, "SCARTRACK_DATABASE_URL": nil, "SCARTRACK_AUDIT_KEY": nil,
            "SCARTRACK_AUDIT_KEY_FILE": nil, "SCARTRACK_AUDIT_CHECKPOINT_FILE": nil,
        ])
    }

    /// A data folder with a migrated SQLite file holding a few audit entries (plus `extra` more),
    /// written the way the server writes them: MAC'd under the data folder's audit key, with a
    /// checkpoint of the head in the checkpoint file afterwards.
    static func withDataFolder(extra: Int = 0, _ body: (String, ScarDatabase) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-verify-\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var configuration = AppConfiguration()
        configuration.dataDirectory = dir
        let db = try ScarDatabase(location: try configuration.storeLocation(), logger: Logger(label: "test"))
        do {
            try await Migrator.migrate(db)
            let (key, _) = try #require(try AuditKey.load(environment: [:], dataDirectory: dir, create: true))
            db.useAuditKey(key)
            let clinic = try await Fixtures.clinic(db)
            for role in [Role.admin, .practitioner, .frontDesk] { _ = try await Fixtures.staff(db, clinic: clinic, role: role) }
            for i in 0..<extra {
                try await AuditRepository(db).record(AuditEvent(action: "report.read", details: ["n": String(i)]),
                                                     by: .commandLine(clinicId: clinic.id))
            }
            try await db.writeAuditCheckpoint(to: AuditCheckpoints.defaultPath(dataDirectory: dir))
            try await body(dir, db)
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }

    /// Rewrites entries from `seq` on with the public algorithm, the way an attacker with the
    /// database but without the key would after editing one: every hash and link is right again.
    static func recomputeHashes(from seq: Int, on db: ScarDatabase) async throws {
        try await db.write { sql in
            let rows = try await sql.raw("SELECT \(unsafeRaw: AuditRepository.columnList) FROM audit_log WHERE seq >= \(bind: seq - 1) ORDER BY seq")
                .all().map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
            var prev = rows.first { $0.seq == seq - 1 }?.hash ?? String(repeating: "0", count: 64)
            for var entry in rows where entry.seq >= seq {
                entry.prevHash = prev
                entry.hash = AuditTrail.hash(of: entry)
                try await sql.raw("UPDATE audit_log SET prev_hash = \(bind: entry.prevHash), hash = \(bind: entry.hash) WHERE seq = \(bind: entry.seq)").run()
                prev = entry.hash
            }
        }
    }

    static func dropGuards(_ db: ScarDatabase) async throws {
        try await db.write { sql in
            try await sql.raw("DROP TRIGGER audit_log_no_update").run()
            try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
        }
    }

    static func clinicId(_ db: ScarDatabase) async throws -> UUID? {
        try await db.read { sql in try await sql.raw("SELECT id FROM clinics LIMIT 1").first()?.decode(column: "id", as: UUID.self) }
    }

    /// The hash chain alone (no key, no checkpoints), as `audit verify` checked it before item 2 of issue 11.
    static func verifiesWithoutTheKey(_ db: ScarDatabase) async throws -> Bool {
        let key = db.auditKey
        db.useAuditKey(nil)
        defer { db.useAuditKey(key) }
        return try await AuditRepository(db).verify().intact
    }

    static func count(_ db: ScarDatabase) async throws -> Int {
        try await db.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM audit_log").first()!.decode(column: "n", as: Int.self) }
    }

    @Test func anIntactChainExits0AndAnAlteredEntryExits1NamingIt() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder { dir, db in
            let intact = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(intact.status == 0, "\(intact.stdout) \(intact.stderr)")
            #expect(intact.stdout.contains("Audit trail intact: 4 entries"))

            try await db.write { sql in
                try await sql.raw("DROP TRIGGER audit_log_no_update").run()
                try await sql.raw("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3").run()
            }
            let altered = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(altered.status == 1)
            #expect(altered.stdout.contains("BROKEN at entry 3"), "\(altered.stdout)")
            #expect(altered.stdout.contains("altered"))
        }
    }

    @Test func aDeletedEntryIsNamed() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder { dir, db in
            try await db.write { sql in
                try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
                try await sql.raw("DELETE FROM audit_log WHERE seq = 2").run()
            }
            let removed = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(removed.status == 1)
            #expect(removed.stdout.contains("BROKEN at entry 2"), "\(removed.stdout)")
            #expect(removed.stdout.contains("missing"))
        }
    }

    @Test func anIntactKeyedChainExits0AndChecksEveryMACAndTheCheckpoint() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder(extra: 20) { dir, db in
            let intact = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(intact.status == 0, "\(intact.stdout) \(intact.stderr)")
            #expect(intact.stdout.contains("Audit trail intact: 24 entries"), "\(intact.stdout)")
            #expect(intact.stdout.contains("24 match; 0 pre-key"), "\(intact.stdout)")
            #expect(intact.stdout.contains("newest checkpoint: entry 24"), "\(intact.stdout)")
        }
    }

    /// Deleting the newest entry, the newest ten, or every entry leaves a chain that links up;
    /// only the checkpoint outside the database shows what is gone.
    @Test(arguments: [1, 10, 24])
    func aTruncatedTailIsNamedAgainstTheCheckpoint(removed: Int) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder(extra: 20) { dir, db in
            try await Self.dropGuards(db)
            try await db.write { sql in try await sql.raw("DELETE FROM audit_log WHERE seq > \(bind: 24 - removed)").run() }
            #expect(try await Self.count(db) == 24 - removed)
            let result = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
            let first = 24 - removed + 1
            let what = removed == 1 ? "entry 24 is missing" : "entries \(first)–24 are missing"
            #expect(result.stdout.contains("BROKEN at entry \(first)"), "\(result.stdout)")
            #expect(result.stdout.contains("\(what): the checkpoint of"), "\(result.stdout)")
            #expect(result.stdout.contains("saw the chain at 24"), "\(result.stdout)")
        }
    }

    @Test func anEditedEntryWithRecomputedLaterHashesIsNamedByItsMAC() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder(extra: 20) { dir, db in
            try await Self.dropGuards(db)
            try await db.write { sql in try await sql.raw("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 7").run() }
            try await Self.recomputeHashes(from: 7, on: db)
            // The chain itself links up again: without the key nothing would show.
            #expect(try await Self.verifiesWithoutTheKey(db))
            let result = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("BROKEN at entry 7"), "\(result.stdout)")
            #expect(result.stdout.contains("entries 7–24: their MACs do not match (forged or recomputed)"), "\(result.stdout)")
            #expect(result.stdout.contains("entry 24 is not the one the checkpoint of"), "\(result.stdout)")
        }
    }

    @Test func aForgedEntryAppendedWithACorrectHashIsNamed() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder(extra: 20) { dir, db in
            try await Self.dropGuards(db)
            // Appended after the newest checkpoint, with the right seq, link and hash, but no key.
            let clinicId = try #require(try await Self.clinicId(db))
            let last = try #require(try await AuditRepository(db).entries(clinicId: clinicId, limit: 1).first)
            #expect(last.seq == 24)
            var forged = last
            forged.seq = last.seq + 1
            forged.id = UUID()
            forged.action = "patient.read"
            forged.prevHash = last.hash
            forged.hash = AuditTrail.hash(of: forged)
            let entry = forged
            try await db.write { sql in
                try await sql.raw("""
                    INSERT INTO audit_log (seq, id, at, clinic_id, actor_id, actor, action, record_type, record_id, patient_id,
                                           client_address, details, prev_hash, hash)
                    VALUES (\(bind: entry.seq), \(bind: entry.id), \(bind: entry.at), \(bind: entry.clinicId), \(bind: entry.actorId), \(bind: entry.actor),
                            \(bind: entry.action), \(bind: entry.recordType), \(bind: entry.recordId), \(bind: entry.patientId),
                            \(bind: entry.clientAddress), \(bind: entry.details), \(bind: entry.prevHash), \(bind: entry.hash))
                    """).run()
            }
            let withoutMAC = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(withoutMAC.status == 1, "\(withoutMAC.stdout) \(withoutMAC.stderr)")
            #expect(withoutMAC.stdout.contains("BROKEN at entry 25"), "\(withoutMAC.stdout)")
            #expect(withoutMAC.stdout.contains("entry 25 has no MAC"), "\(withoutMAC.stdout)")

            // A made-up MAC does no better.
            try await db.write { sql in
                try await sql.raw("UPDATE audit_log SET mac = \(bind: String(repeating: "ab", count: 32)) WHERE seq = 25").run()
            }
            let madeUp = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(madeUp.status == 1, "\(madeUp.stdout) \(madeUp.stderr)")
            #expect(madeUp.stdout.contains("entry 25: its MAC does not match (forged or recomputed)"), "\(madeUp.stdout)")
        }
    }

    /// Removing every MAC does not turn keyed entries into pre-key ones: the checkpoint says
    /// from which entry on every entry must carry one.
    @Test func strippedMACsAreNotMistakenForPreKeyEntries() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder(extra: 2) { dir, db in
            try await Self.dropGuards(db)
            try await db.write { sql in try await sql.raw("UPDATE audit_log SET mac = NULL").run() }
            let result = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("BROKEN at entry 1"), "\(result.stdout)")
            #expect(result.stdout.contains("entry 1 has no MAC"), "\(result.stdout)")
        }
    }

    @Test func entriesWrittenBeforeTheKeyArePreKeyAndStillChainChecked() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder { dir, db in
            // Four keyed entries exist; a database written before the key would have none: simulate
            // that by clearing them before any checkpoint names a keyed entry.
            try await Self.dropGuards(db)
            try await db.write { sql in try await sql.raw("UPDATE audit_log SET mac = NULL").run() }
            try FileManager.default.removeItem(atPath: AuditCheckpoints.defaultPath(dataDirectory: dir))
            try await AuditRepository(db).record(AuditEvent(action: "report.read"), by: .commandLine())
            try await db.writeAuditCheckpoint(to: AuditCheckpoints.defaultPath(dataDirectory: dir))
            let result = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("1 match; 4 pre-key"), "\(result.stdout)")

            try await db.write { sql in try await sql.raw("UPDATE audit_log SET actor = 'x' WHERE seq = 2").run() }
            let altered = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(altered.status == 1)
            #expect(altered.stdout.contains("entry 2 was altered"), "\(altered.stdout)")
        }
    }

    @Test func anAlteredCheckpointLineIsNamed() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withDataFolder { dir, _ in
            let path = AuditCheckpoints.defaultPath(dataDirectory: dir)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            // Lower the checkpoint's sequence (to hide a truncation) without the key.
            try text.replacingOccurrences(of: "\"seq\":4", with: "\"seq\":2").write(toFile: path, atomically: true, encoding: .utf8)
            let result = try Self.run(["audit", "verify"], dataDirectory: dir)
            #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("line 1: its MAC does not match (the checkpoint file was altered)"), "\(result.stdout)")
        }
    }
}
