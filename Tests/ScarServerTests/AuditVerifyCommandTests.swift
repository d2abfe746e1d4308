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
    static func run(_ arguments: [String], dataDirectory: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SCARTRACK_DATA_DIR"] = dataDirectory
        environment.removeValue(forKey: "SCARTRACK_DATABASE_URL")
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// A data folder with a migrated SQLite file holding a few audit entries.
    static func withDataFolder(_ body: (String, ScarDatabase) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-verify-\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var configuration = AppConfiguration()
        configuration.dataDirectory = dir
        let db = try ScarDatabase(location: try configuration.storeLocation(), logger: Logger(label: "test"))
        do {
            try await Migrator.migrate(db)
            let clinic = try await Fixtures.clinic(db)
            for role in [Role.admin, .practitioner, .frontDesk] { _ = try await Fixtures.staff(db, clinic: clinic, role: role) }
            try await body(dir, db)
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
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
}
