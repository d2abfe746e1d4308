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
}
