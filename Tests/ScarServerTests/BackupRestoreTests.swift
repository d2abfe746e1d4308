import Foundation
import Logging
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// `scartrack backup` and `scartrack restore` through the built executable, on the engine the
/// run selects: a backup taken while 200 writes (patients, photos) are landing restores into an
/// empty location with the same row counts, photo hashes and audit chain head as its manifest;
/// a damaged backup, a non-empty restore target and a non-empty backup folder are refused.
@Suite("backup and restore", .serialized)
struct BackupRestoreTests {
    typealias Run = ProcessRun

    /// Runs the binary with the data folder and database location given.
    static func run(_ arguments: [String], dataDirectory: String, location: StoreLocation) throws -> Run {
        let url: String
        switch location {
        case .sqlite(let path): url = "sqlite://" + path
        case .postgres(let u): url = u
        }
        return try ProcessRunner.run(arguments, environment: ["SCARTRACK_DATA_DIR": dataDirectory, "SCARTRACK_DATABASE_URL": url])
    }

    static func temporaryFolder(_ label: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-\(label)-\(UUID().uuidString.lowercased().prefix(8))").path
    }

    /// A location with no database in it: a SQLite path that does not exist yet, or a new empty
    /// PostgreSQL database on the test server.
    static func emptyLocation(in folder: String) async throws -> StoreLocation {
        switch TestDatabase.engine {
        case .sqlite:
            return .sqlite(path: (folder as NSString).appendingPathComponent("scartrack.sqlite"))
        case .postgres:
            let base = ProcessInfo.processInfo.environment["SCARTRACK_TEST_DATABASE_URL"]!
            let admin = try ScarDatabase(location: .postgres(url: base), logger: TestDatabase.logger, connectionsPerEventLoop: 1)
            let name = "restore_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            do {
                try await admin.read { sql in try await sql.raw("CREATE DATABASE \(ident: String(name))").run() }
            } catch {
                await admin.shutdown()
                throw error
            }
            await admin.shutdown()
            var c = URLComponents(string: base)!
            c.path = "/" + name
            return .postgres(url: c.string!)
        }
    }

    struct Manifest: Decodable {
        var engine: String
        var database: String
        var inventory: DataInventory
        var files: [File]
        struct File: Decodable { var path: String; var sha256: String }
    }

    static func manifest(_ folder: String) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent("manifest.json")))
    }

    /// A source data folder and database with a clinic, a practitioner, patients and photos.
    static func withSource(_ body: (String, StoreLocation, ScarDatabase, Clinic, StaffUser) async throws -> Void) async throws {
        let folder = temporaryFolder("backup-src")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let location = try await TestDatabase.freshLocation()
        let db = try ScarDatabase(location: location, logger: TestDatabase.logger, connectionsPerEventLoop: 2, connectionTimeout: 60)
        do {
            let clinic = try await Fixtures.clinic(db)
            let practitioner = try await Fixtures.staff(db, clinic: clinic, role: .practitioner)
            try await body(folder, location, db, clinic, practitioner)
        } catch {
            await db.shutdown()
            throw error
        }
        await db.shutdown()
    }

    /// One write: a patient, and for every tenth a photo (a distinct image) stored like an upload.
    static func write(_ i: Int, db: ScarDatabase, files: PhotoStore, clinic: Clinic, by user: StaffUser) async throws {
        let actor = AuditActor(user: user, clientAddress: "127.0.0.1")
        let patient = try await PatientRepository(db).register(Fixtures.details(given: "Load", family: "Backup-\(i)", phone: nil),
                                                               clinicId: clinic.id, by: actor)
        guard i % 10 == 0 else { return }
        let bytes = ImageFixtures.png(width: 1 + i % 7, height: 1 + i / 10, rgb: (UInt8(i % 256), 40, 90))
        let stored = try files.save(bytes, type: .png)
        let details = try PhotoDetails.validate(.init(view: "frontal", capturedOn: "2026-03-01"), today: CalendarDate("2026-03-02")!).get()
        _ = try await db.write(unitOfWork: { tx in
            try await tx.insertPhoto(details, file: .init(sha256: stored.sha256, mediaType: .png, byteSize: bytes.count, width: 1 + i % 7,
                                                          height: 1 + i / 10),
                                     patientId: patient.id, clinicId: clinic.id, uploadedBy: user.id, by: actor, now: Date())
        })
    }

    @Test func aBackupTakenUnderWriteLoadRestoresWithTheSameCountsPhotosAndAuditHead() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withSource { source, location, db, clinic, user in
            let files = PhotoStore(dataDirectory: source)
            for i in 1...20 { try await Self.write(i, db: db, files: files, clinic: clinic, by: user) }

            let backup = Self.temporaryFolder("backup")
            defer { try? FileManager.default.removeItem(atPath: backup) }
            // 200 more writes land while the backup runs.
            let load = Task {
                for i in 21...220 { try await Self.write(i, db: db, files: files, clinic: clinic, by: user) }
            }
            try await Task.sleep(for: .milliseconds(50))
            let taken = try await Task.detached { try Self.run(["backup", "--to", backup], dataDirectory: source, location: location) }.value
            try await load.value
            #expect(taken.status == 0, "\(taken.stdout)\n\(taken.stderr)")
            #expect(taken.stdout.contains("Backup written to"))
            #expect(taken.stdout.range(of: #"in [0-9.]+s \([0-9.]+ MB/s\)"#, options: .regularExpression) != nil, "the summary reports the rate")
            let manifest = try Self.manifest(backup)
            #expect(manifest.engine == TestDatabase.engine.rawValue)
            let patients = try #require(manifest.inventory.tableCounts["patients"])
            #expect((20...220).contains(patients))
            #expect(manifest.inventory.photos.count >= 2)
            #expect(manifest.inventory.auditEntries == manifest.inventory.tableCounts["audit_log"])

            // Restore into an empty location and compare with the manifest independently.
            let target = Self.temporaryFolder("restore")
            defer { try? FileManager.default.removeItem(atPath: target) }
            let empty = try await Self.emptyLocation(in: target)
            let restored = try Self.run(["restore", "--from", backup], dataDirectory: target, location: empty)
            #expect(restored.status == 0, "\(restored.stdout)\n\(restored.stderr)")
            #expect(restored.stdout.contains("counts match the manifest"))

            let copy = try ScarDatabase(location: empty, logger: TestDatabase.logger, connectionsPerEventLoop: 1)
            do {
                let inventory = try await copy.inventory()
                #expect(inventory.tableCounts == manifest.inventory.tableCounts)
                #expect(inventory.photos == manifest.inventory.photos)
                let chain = try await AuditRepository(copy).verify()
                #expect(chain.intact)
                #expect(chain.headHash == manifest.inventory.auditHead)
                #expect(chain.entries == manifest.inventory.auditEntries)
            } catch {
                await copy.shutdown()
                throw error
            }
            await copy.shutdown()
            let restoredFiles = PhotoStore(dataDirectory: target)
            for photo in manifest.inventory.photos {
                let bytes = try restoredFiles.read(sha256: photo.sha256, type: ImageMediaType(rawValue: photo.mediaType)!)
                #expect(PhotoStore.sha256Hex(bytes) == photo.sha256)
            }

            // The same target again: refused, exit 3, nothing changed.
            let again = try Self.run(["restore", "--from", backup], dataDirectory: target, location: empty)
            #expect(again.status == 3, "\(again.stdout)\n\(again.stderr)")
            #expect(again.stderr.contains("restore only into an empty"))

            // A backup folder that is not empty: refused, exit 3.
            let onTop = try Self.run(["backup", "--to", backup], dataDirectory: source, location: location)
            #expect(onTop.status == 3, "\(onTop.stdout)\n\(onTop.stderr)")
            #expect(onTop.stderr.contains("not empty"))

            // A photo altered inside the backup: refused before anything is written, exit 1, naming the file.
            let photo = try #require(manifest.inventory.photos.first?.relativePath)
            let photoPath = (backup as NSString).appendingPathComponent(photo)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: photoPath))
            bytes[bytes.count - 1] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: photoPath))
            let target2 = Self.temporaryFolder("restore-tampered")
            defer { try? FileManager.default.removeItem(atPath: target2) }
            let empty2 = try await Self.emptyLocation(in: target2)
            let tampered = try Self.run(["restore", "--from", backup], dataDirectory: target2, location: empty2)
            #expect(tampered.status == 1, "\(tampered.stdout)\n\(tampered.stderr)")
            #expect(tampered.stderr.contains(photo) && tampered.stderr.contains("does not match"), "\(tampered.stderr)")
            if case .sqlite(let path) = empty2 { #expect(!FileManager.default.fileExists(atPath: path)) }
            #expect(!FileManager.default.fileExists(atPath: (target2 as NSString).appendingPathComponent("photos")))
        }
    }

    @Test func anAlteredDatabaseFileOrManifestIsRefused() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withSource { source, location, db, clinic, user in
            let files = PhotoStore(dataDirectory: source)
            for i in 1...10 { try await Self.write(i, db: db, files: files, clinic: clinic, by: user) }
            let backup = Self.temporaryFolder("backup")
            defer { try? FileManager.default.removeItem(atPath: backup) }
            let taken = try Self.run(["backup", "--to", backup], dataDirectory: source, location: location)
            #expect(taken.status == 0, "\(taken.stdout)\n\(taken.stderr)")
            let manifest = try Self.manifest(backup)

            // Append a byte to the database file: its SHA-256 no longer matches.
            let dbPath = (backup as NSString).appendingPathComponent(manifest.database)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dbPath))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([0x00]))
            try handle.close()
            let target = Self.temporaryFolder("restore")
            defer { try? FileManager.default.removeItem(atPath: target) }
            let empty = try await Self.emptyLocation(in: target)
            let refused = try Self.run(["restore", "--from", backup], dataDirectory: target, location: empty)
            #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
            #expect(refused.stderr.contains(manifest.database))

            // No manifest at all: not a complete backup.
            try FileManager.default.removeItem(atPath: (backup as NSString).appendingPathComponent("manifest.json"))
            let incomplete = try Self.run(["restore", "--from", backup], dataDirectory: target, location: empty)
            #expect(incomplete.status == 1)
            #expect(incomplete.stderr.contains("not a complete backup"))
        }
    }
}
