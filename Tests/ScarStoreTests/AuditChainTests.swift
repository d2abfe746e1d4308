import Foundation
import ScarCore
@testable import ScarStore
import ScarTestSupport
import SQLKit
import Synchronization
import Testing

/// Issue 16: one audit chain per clinic (migration 0032). Each clinic's entries chain to that
/// clinic's previous entry; entries with no clinic have their own chain; entries written before
/// 0032 verify as one legacy prefix; on PostgreSQL a clinic's appenders never wait on another's lock.
@Suite("Audit chains per clinic")
struct AuditChainTests {
    static func record(_ db: ScarDatabase, clinic: UUID?, _ n: Int) async throws {
        try await AuditRepository(db).record(AuditEvent(action: "report.read", details: ["n": String(n)]), by: .commandLine(clinicId: clinic))
    }

    static func rows(_ db: ScarDatabase) async throws -> [AuditEntry] {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: AuditRepository.columnList) FROM audit_log ORDER BY seq").all()
                .map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
        }
    }

    /// Two clinics writing in turn, with installation-level entries between.
    static func twoClinics(_ db: ScarDatabase) async throws -> (a: UUID, b: UUID) {
        let a = try await Fixtures.clinic(db, name: "Harbour Skin Clinic").id
        let b = try await Fixtures.clinic(db, name: "Hillside Dermatology").id
        for i in 0..<5 {
            try await record(db, clinic: a, i)
            try await record(db, clinic: b, i)
            if i % 2 == 0 { try await record(db, clinic: nil, i) }
        }
        return (a, b)
    }

    @Test func eachClinicsEntriesChainToThatClinicsPreviousEntryAndVerifyPerClinic() async throws {
        try await TestDatabase.with { db in
            let (a, b) = try await Self.twoClinics(db)
            let rows = try await Self.rows(db)
            for clinic in [a, b, nil] as [UUID?] {
                let chain = rows.filter { $0.clinicId == clinic }
                #expect(chain.map(\.chainSeq) == Array(1...chain.count).map { Optional($0) }, "gapless places in the chain")
                #expect(chain.first?.prevHash == String(repeating: "0", count: 64))
                for (previous, entry) in zip(chain, chain.dropFirst()) {
                    #expect(entry.prevHash == previous.hash, "entry \(entry.seq) links to its own clinic's previous entry")
                }
            }
            // Entries of different clinics do not link to each other.
            let crossLinks = zip(rows, rows.dropFirst()).filter { $0.clinicId != $1.clinicId && $1.prevHash == $0.hash }
            #expect(crossLinks.isEmpty)
            let result = try await AuditRepository(db).verify()
            #expect(result.intact)
            #expect(result.entries == rows.count)
            let reports = Dictionary(uniqueKeysWithValues: result.chains.map { ($0.chain, $0) })
            for clinic in [a, b] {
                #expect(reports[.clinic(clinic)]?.entries == rows.filter { $0.clinicId == clinic }.count)
                #expect(reports[.clinic(clinic)]?.problems == 0)
            }
            #expect(reports[.clinic(a)]?.name == "clinic \"Harbour Skin Clinic\"")
            #expect(reports[.installation]?.entries == rows.filter { $0.clinicId == nil }.count)
            #expect(result.chains.map(\.entries).reduce(0, +) == rows.count)
            #expect(reports[.legacy] == nil)
        }
    }

    @Test(arguments: ["altered", "removed", "relinked"])
    func tamperingWithOneClinicsEntryIsNamedInThatClinicsChainOnly(tampering: String) async throws {
        try await TestDatabase.with { db in
            let (a, b) = try await Self.twoClinics(db)
            let target = try #require(try await Self.rows(db).first { $0.clinicId == b && $0.chainSeq == 3 })
            try await AuditTrailTests.dropGuards(db)
            try await db.write { sql in
                switch tampering {
                case "altered": try await sql.raw("UPDATE audit_log SET actor = 'nobody' WHERE seq = \(bind: target.seq)").run()
                case "removed": try await sql.raw("DELETE FROM audit_log WHERE seq = \(bind: target.seq)").run()
                default:
                    // Moved into clinic A's chain with its hash recomputed: it does not link there.
                    var moved = target
                    moved.clinicId = a
                    moved.chainSeq = 100
                    moved.hash = AuditTrail.hash(of: moved)
                    try await sql.raw("UPDATE audit_log SET clinic_id = \(bind: a), chain_seq = 100, hash = \(bind: moved.hash) WHERE seq = \(bind: target.seq)").run()
                }
            }
            let result = try await AuditRepository(db).verify()
            #expect(!result.intact)
            let reports = Dictionary(uniqueKeysWithValues: result.chains.map { ($0.chain, $0) })
            switch tampering {
            case "altered":
                #expect(result.firstBad?.seq == target.seq)
                #expect(result.problems.first?.chain == .clinic(b))
                #expect(reports[.clinic(b)]!.problems > 0 && reports[.clinic(a)]!.problems == 0)
            case "removed":
                #expect(result.problems.contains { $0.chain == .clinic(b) && $0.reason.contains("its entry 3 is missing") }, "\(result.problems)")
                #expect(reports[.clinic(a)]!.problems == 0)
            default:
                #expect(result.problems.contains { $0.chain == .clinic(b) && $0.reason.contains("its entry 3 is missing") }, "\(result.problems)")
                #expect(result.problems.contains { $0.chain == .clinic(a) && $0.reason.contains("its entries 4–99 are missing") }, "\(result.problems)")
            }
            #expect(reports[.installation]!.problems == 0)
        }
    }

    /// A clinic's newest entries deleted while another clinic wrote after them: the trail's newest
    /// entry is still there, so only the checkpoint's head of that clinic's chain names it.
    @Test func removingOneClinicsNewestEntriesIsNamedAgainstTheCheckpointEvenWhenOthersWroteAfter() async throws {
        try await TestDatabase.with { db in
            db.useAuditKey(AuditKey.random())
            let (a, b) = try await Self.twoClinics(db)
            try await Self.record(db, clinic: b, 99)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoints-\(UUID().uuidString).jsonl").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            let checkpoint = try #require(try await db.writeAuditCheckpoint(to: file))
            #expect(checkpoint.v == 2 && checkpoint.chains?.count == 3)
            let read = AuditCheckpoints.read(path: file, key: try #require(db.auditKey))
            #expect(read.checkpoints == [checkpoint])
            #expect(try await AuditRepository(db).verify(checkpoints: read.checkpoints).intact)

            let aRows = try await Self.rows(db).filter { $0.clinicId == a }
            try await AuditTrailTests.dropGuards(db)
            try await db.write { sql in
                try await sql.raw("DELETE FROM audit_log WHERE clinic_id = \(bind: a) AND chain_seq > 3").run()
            }
            #expect(try await AuditRepository(db).verify().intact, "the chains alone link up")
            let result = try await AuditRepository(db).verify(checkpoints: read.checkpoints)
            #expect(!result.intact)
            #expect(result.problems.contains { $0.chain == .clinic(a) && $0.reason.contains("its entries 4–\(aRows.count) are missing: the checkpoint of") },
                    "\(result.problems)")
            #expect(result.firstBad?.seq == aRows[2].seq + 1)
        }
    }

    /// A database written before 0032: its one installation-wide chain stays as it was and
    /// verifies as the legacy prefix; every clinic's chain starts from its last hash.
    @Test func entriesWrittenBeforePerClinicChainsVerifyAsTheLegacyPrefix() async throws {
        try await TestDatabase.with { db in
            var prev = String(repeating: "0", count: 64)
            var legacy: [AuditEntry] = []
            for seq in 1...3 {
                var entry = AuditEntry(seq: seq, id: UUID(), at: Date(timeIntervalSince1970: 1_790_000_000 + Double(seq)), clinicId: nil, actorId: nil,
                                       actor: "command line", action: "clinic.create", recordType: nil, recordId: nil, patientId: nil,
                                       clientAddress: "local", details: "{}", prevHash: prev, hash: "")
                entry.hash = AuditTrail.hash(of: entry)
                prev = entry.hash
                legacy.append(entry)
            }
            let rows = legacy
            try await db.write { sql in
                for e in rows {
                    try await sql.raw("""
                        INSERT INTO audit_log (seq, id, at, clinic_id, actor_id, actor, action, record_type, record_id, patient_id, client_address, details, prev_hash, hash)
                        VALUES (\(bind: e.seq), \(bind: e.id), \(bind: e.at), NULL, NULL, \(bind: e.actor), \(bind: e.action), NULL, NULL, NULL,
                                \(bind: e.clientAddress), \(bind: e.details), \(bind: e.prevHash), \(bind: e.hash))
                        """).run()
                }
                // What 0032 does on PostgreSQL for the entries it finds.
                if db.engine == .postgres { try await sql.raw("SELECT setval('audit_log_seq', 4, false)").run() }
            }
            let (a, b) = try await Self.twoClinics(db)
            let all = try await Self.rows(db)
            #expect(all.first { $0.clinicId == a }?.prevHash == legacy[2].hash)
            #expect(all.first { $0.clinicId == b }?.prevHash == legacy[2].hash)
            #expect(all.first { $0.clinicId == nil && $0.chainSeq == 1 }?.prevHash == legacy[2].hash)
            let result = try await AuditRepository(db).verify()
            #expect(result.intact, "\(result.problems)")
            #expect(result.chains.first?.chain == .legacy && result.chains.first?.entries == 3)

            try await AuditTrailTests.dropGuards(db)
            try await db.write { sql in try await sql.raw("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2").run() }
            let altered = try await AuditRepository(db).verify()
            #expect(altered.firstBad?.seq == 2)
            #expect(altered.problems.first?.chain == .legacy)
        }
    }

    /// PostgreSQL: while a transaction holds clinic A's chain lock, clinic B's audited write
    /// completes and clinic A's waits until the lock is let go.
    @Test(.enabled(if: TestDatabase.engine == .postgres, "advisory locks are PostgreSQL's"))
    func anotherClinicsAuditedWriteDoesNotWaitForAClinicsChainLock() async throws {
        let location = try await TestDatabase.freshLocation()
        let db = try ScarDatabase(location: location, logger: TestDatabase.logger, connectionsPerEventLoop: 4, connectionTimeout: 60)
        do {
            let a = try await Fixtures.clinic(db, name: "Harbour Skin Clinic").id
            let b = try await Fixtures.clinic(db, name: "Hillside Dermatology").id
            let held = Mutex(false), release = Mutex(false), aDone = Mutex(false)
            let holder = Task {
                try await db.write { sql in
                    try await sql.raw("SELECT pg_advisory_xact_lock(7345002, hashtext(\(bind: AuditTrail.chainLockName(clinicId: a))))").run()
                    held.withLock { $0 = true }
                    // Let go when told, or after 3 s at the latest: a lock shared by every clinic would then
                    // show as clinic B's write taking that long, not as a test that never ends.
                    let until = ContinuousClock.now + .seconds(3)
                    while !release.withLock({ $0 }), ContinuousClock.now < until { try await Task.sleep(for: .milliseconds(20)) }
                }
            }
            while !held.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            let aWrite = Task {
                try await Self.record(db, clinic: a, 1)
                aDone.withLock { $0 = true }
            }
            let started = ContinuousClock.now
            try await Self.record(db, clinic: b, 1)
            #expect(ContinuousClock.now - started < .seconds(2), "clinic B's write did not wait for clinic A's lock")
            try await Task.sleep(for: .milliseconds(500))
            #expect(!aDone.withLock { $0 }, "clinic A's write waits while its chain's lock is held")
            release.withLock { $0 = true }
            try await holder.value
            try await aWrite.value
            #expect(aDone.withLock { $0 })
            #expect(try await AuditRepository(db).verify().intact)
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }

    /// The hex every hash and MAC is written in (a formatter per byte before issue 16).
    @Test func hexIsTwoLowercaseDigitsPerByte() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(Hex.lowercase(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(SHA256Hex.of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
