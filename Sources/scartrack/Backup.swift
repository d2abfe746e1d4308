import ArgumentParser
import Foundation
import ScarServer
import ScarStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exit codes shared by `backup` and `restore` (also listed in their `--help`).
enum BackupExit: Int32 {
    case ok = 0
    /// The backup is damaged or does not match its manifest, or a restored copy failed its checks.
    case verificationFailed = 1
    /// The backup cannot be restored here (other engine, newer schema, unreadable manifest format).
    case incompatible = 2
    /// The target (backup folder or data location) is not empty; nothing was written.
    case targetNotEmpty = 3
    /// The database, a PostgreSQL tool or the file system failed.
    case failed = 4
}

struct BackupError: Error, CustomStringConvertible {
    var exit: BackupExit
    var description: String
    init(_ exit: BackupExit, _ description: String) { (self.exit, self.description) = (exit, description) }
}

/// The file written last into a backup folder; its presence marks the backup complete.
struct BackupManifest: Codable {
    static let currentFormat = 1
    var formatVersion: Int
    var engine: String
    var schemaVersion: String
    var createdAt: String
    var database: String
    var inventory: DataInventory
    var files: [File]
    /// The audit chain head of the copy (`inventory.auditEntries`/`auditHead`), MAC'd under the audit
    /// key, so a restore holding the key can tell the chain was not rewritten; absent in older backups
    /// and when the key was not available.
    var auditCheckpoint: AuditCheckpoint?

    struct File: Codable {
        var path: String
        var sha256: String
        var bytes: Int
    }
}

let backupExitCodes = """
    Exit codes: 0 done and verified; 1 the backup is damaged or a check failed (names the file or table); \
    2 the backup cannot be restored here (other engine or newer schema); 3 the target is not empty \
    (nothing was written); 4 the database, a PostgreSQL tool or the file system failed.
    """

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a consistent online backup (database, photos, manifest) while the server runs.",
        discussion: """
            SQLite: VACUUM INTO (one read snapshot; the server keeps writing). PostgreSQL: pg_dump in custom \
            format from an exported snapshot, found on PATH, in PG_BIN or /usr/lib/postgresql/15/bin. Every \
            photo file the snapshot references is copied and its SHA-256 checked while copying. manifest.json \
            records row counts per table, the audit chain head and every file's SHA-256; it is written last.
            \(backupExitCodes)
            """)

    @Option(name: .customLong("to"), help: "Folder for the backup; must not exist or be empty.") var target: String

    func run() async throws {
        do {
            try await backup()
        } catch let error as BackupError {
            FileHandle.standardError.write(Data("backup failed: \(error.description)\n".utf8))
            throw ExitCode(error.exit.rawValue)
        }
    }

    func backup() async throws {
        let started = Date()
        let configuration = try CommandEnvironment.configuration()
        let location = try configuration.storeLocation()
        let folder = URL(fileURLWithPath: target).standardizedFileURL
        try BackupFiles.requireEmptyFolder(folder)
        try BackupFiles.makeFolder(folder)
        let logger = CommandEnvironment.logger()
        let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
        let inventory: DataInventory
        let databaseFile: String
        do {
            switch location {
            case .sqlite:
                databaseFile = "database.sqlite"
                note("Copying the database (VACUUM INTO, online)…")
                let temp = folder.appendingPathComponent(".database.sqlite.partial").path
                try await database.vacuumInto(temp)
                chmod(temp, 0o600)  // health data: readable by the server's user only
                try BackupFiles.rename(temp, to: folder.appendingPathComponent(databaseFile).path)
                // The inventory is read from the copy itself, so it describes exactly what was saved.
                let copy = try ScarDatabase(location: .sqlite(path: folder.appendingPathComponent(databaseFile).path), logger: logger)
                do {
                    inventory = try await copy.inventory()
                } catch {
                    await copy.shutdown()
                    throw error
                }
                await copy.shutdown()
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: folder.appendingPathComponent(databaseFile + suffix).path) }
            case .postgres(let url):
                databaseFile = "database.pgdump"
                let pgDump = try PostgresTools.find("pg_dump")
                note("Dumping the database (pg_dump from an exported snapshot, online)…")
                let temp = folder.appendingPathComponent(".database.pgdump.partial").path
                inventory = try await database.withExportedSnapshot { snapshot, inventory in
                    try await PostgresTools.run(pgDump, ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=\(snapshot)",
                                                         "--file=\(temp)"], url: url)
                    return inventory
                }
                chmod(temp, 0o600)
                try BackupFiles.rename(temp, to: folder.appendingPathComponent(databaseFile).path)
            }
        } catch {
            await database.shutdown()
            if error is BackupError { throw error }
            throw BackupError(.failed, "could not copy the database: \(error)")
        }
        await database.shutdown()
        if inventory.signedDocumentsAltered > 0 {
            throw BackupError(.verificationFailed, "\(inventory.signedDocumentsAltered) signed document(s) in the database do not match their SHA-256")
        }

        var files: [BackupManifest.File] = []
        let dbPath = folder.appendingPathComponent(databaseFile).path
        files.append(.init(path: databaseFile, sha256: try FileDigest.sha256(path: dbPath), bytes: try BackupFiles.size(dbPath)))

        let progress = Progress(label: "Photos", total: inventory.photos.count)
        let source = URL(fileURLWithPath: configuration.dataDirectory, isDirectory: true)
        for (index, photo) in inventory.photos.enumerated() {
            guard let relative = photo.relativePath else {
                throw BackupError(.verificationFailed, "the database names a photo that is not a content hash: \(photo.sha256)")
            }
            let bytes = try BackupFiles.copyVerified(from: source.appendingPathComponent(relative), to: folder.appendingPathComponent(relative),
                                                     sha256: photo.sha256, what: "photo file \(relative) in the data folder")
            files.append(.init(path: relative, sha256: photo.sha256, bytes: bytes))
            progress.update(index + 1)
        }
        progress.finish()

        // The copy's head, checkpointed under the audit key: in the manifest, and in the data folder's checkpoint file.
        let checkpoint = database.auditKey.map {
            AuditCheckpoint(seq: inventory.auditHeadSeq ?? inventory.auditEntries, hash: inventory.auditHead, at: Date(),
                            keyedFrom: inventory.auditKeyedFrom ?? 0, key: $0)
        }
        if let checkpoint {
            do { try AuditCheckpoints.append(checkpoint, to: CommandEnvironment.checkpointPath(configuration)) } catch {
                throw BackupError(.failed, "cannot write the audit checkpoint: \(error)")
            }
        }
        let manifest = BackupManifest(formatVersion: BackupManifest.currentFormat, engine: location.engine.rawValue,
                                      schemaVersion: inventory.schemaVersion, createdAt: ISO8601DateFormatter().string(from: Date()),
                                      database: databaseFile, inventory: inventory, files: files, auditCheckpoint: checkpoint)
        try BackupFiles.writeManifest(manifest, to: folder)

        let rows = inventory.tableCounts.values.reduce(0, +)
        let bytes = files.reduce(0) { $0 + $1.bytes }
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        print("""
            Backup written to \(folder.path) in \(String(format: "%.1f", seconds))s (\(String(format: "%.1f", Double(bytes) / 1_048_576 / seconds)) MB/s)
              engine \(location.engine.rawValue), schema \(inventory.schemaVersion)
              \(inventory.tableCounts.count) tables, \(rows) rows (patients \(inventory.tableCounts["patients"] ?? 0))
              \(inventory.photos.count) photo files, \(inventory.signedDocuments) signed documents, \(ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .file)) in all
              audit chain: \(inventory.auditEntries) entries, head \(inventory.auditHead)\(checkpoint.map { " (checkpoint MAC'd under audit key \($0.keyId))" } ?? " (no audit key: no checkpoint)")
            Restore with: scartrack restore --from \(folder.path)
            """)
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty data location, then verify it against its manifest.",
        discussion: """
            Checks manifest.json and every file's SHA-256 before writing anything; refuses a data location \
            that already holds a database (SQLite file present, or PostgreSQL tables) or photos. Restores the \
            database (file copy or pg_restore) and the photos, then compares row counts per table, photo \
            hashes, signed documents and the audit chain (walked in full, as `scartrack audit verify`) with \
            the manifest.
            \(backupExitCodes)
            """)

    @Option(name: .customLong("from"), help: "Backup folder written by `scartrack backup`.") var source: String

    func run() async throws {
        do {
            try await restore()
        } catch let error as BackupError {
            FileHandle.standardError.write(Data("restore failed: \(error.description)\n".utf8))
            throw ExitCode(error.exit.rawValue)
        }
    }

    func restore() async throws {
        let started = Date()
        let configuration = try CommandEnvironment.configuration()
        let location = try configuration.storeLocation()
        let folder = URL(fileURLWithPath: source).standardizedFileURL
        let manifest = try BackupFiles.readManifest(in: folder)
        guard manifest.formatVersion == BackupManifest.currentFormat else {
            throw BackupError(.incompatible, "manifest format \(manifest.formatVersion) is not one this version reads (\(BackupManifest.currentFormat))")
        }
        guard manifest.engine == location.engine.rawValue else {
            throw BackupError(.incompatible, "the backup is of a \(manifest.engine) database but this server is configured for \(location.engine.rawValue)")
        }
        guard manifest.schemaVersion <= Migrator.latest else {
            throw BackupError(.incompatible, "the backup's schema \(manifest.schemaVersion) is newer than this version of ScarTrack (\(Migrator.latest))")
        }

        // 1. Every file present and intact, and the file list covers the database and every photo.
        let listed = Set(manifest.files.map(\.path))
        guard listed.contains(manifest.database) else { throw BackupError(.verificationFailed, "the manifest does not list the database file") }
        for photo in manifest.inventory.photos {
            guard let relative = photo.relativePath, listed.contains(relative) else {
                throw BackupError(.verificationFailed, "the manifest does not list photo \(photo.sha256)")
            }
        }
        let check = Progress(label: "Checking backup files", total: manifest.files.count)
        for (index, file) in manifest.files.enumerated() {
            guard BackupFiles.isSafeRelativePath(file.path) else { throw BackupError(.verificationFailed, "unsafe path in manifest: \(file.path)") }
            let path = folder.appendingPathComponent(file.path).path
            guard FileManager.default.fileExists(atPath: path) else { throw BackupError(.verificationFailed, "\(file.path) is missing from the backup") }
            guard try FileDigest.sha256(path: path) == file.sha256 else {
                throw BackupError(.verificationFailed, "\(file.path) does not match its SHA-256 in the manifest (damaged or altered)")
            }
            check.update(index + 1)
        }
        check.finish()

        // 2. The target must be empty.
        let dataFolder = URL(fileURLWithPath: configuration.dataDirectory, isDirectory: true).standardizedFileURL
        let photosFolder = dataFolder.appendingPathComponent("photos", isDirectory: true)
        if BackupFiles.hasEntries(photosFolder) {
            throw BackupError(.targetNotEmpty, "\(photosFolder.path) already holds files; restore only into an empty data location")
        }
        let logger = CommandEnvironment.logger()
        switch location {
        case .sqlite(let path):
            for candidate in [path, path + "-wal"] where FileManager.default.fileExists(atPath: candidate) {
                throw BackupError(.targetNotEmpty, "\(candidate) already exists; restore only into an empty data location")
            }
            note("Restoring the database file…")
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try BackupFiles.makeFolder(URL(fileURLWithPath: directory, isDirectory: true)) }
            let temp = path + ".restoring"
            _ = try BackupFiles.copyVerified(from: folder.appendingPathComponent(manifest.database), to: URL(fileURLWithPath: temp),
                                             sha256: manifest.files.first { $0.path == manifest.database }!.sha256, what: "the database file")
            try BackupFiles.rename(temp, to: path)
        case .postgres(let url):
            let pgRestore = try PostgresTools.find("pg_restore")
            let target = try ScarDatabase(location: location, logger: logger)
            let empty: Bool
            do { empty = try await target.hasNoTables() } catch {
                await target.shutdown()
                throw BackupError(.failed, "cannot reach \(location): \(error)")
            }
            await target.shutdown()
            guard empty else { throw BackupError(.targetNotEmpty, "\(location) already has tables; restore only into an empty database") }
            note("Restoring the database (pg_restore)…")
            try await PostgresTools.run(pgRestore, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                                                    folder.appendingPathComponent(manifest.database).path], url: url)
        }

        // 3. Photos, checked again as they are written.
        let photos = Progress(label: "Photos", total: manifest.inventory.photos.count)
        for (index, photo) in manifest.inventory.photos.enumerated() {
            let relative = photo.relativePath!
            _ = try BackupFiles.copyVerified(from: folder.appendingPathComponent(relative), to: dataFolder.appendingPathComponent(relative),
                                             sha256: photo.sha256, what: "photo \(relative)")
            photos.update(index + 1)
        }
        photos.finish()

        // 4. The restored copy must say exactly what the manifest says.
        let database = try ScarDatabase(location: location, logger: logger)
        let restored: DataInventory
        let chain: AuditRepository.Verification
        // With the installation's audit key here, every MAC and the manifest's checkpoint are checked too.
        let key: AuditKey?
        do {
            key = try AuditKey.load(environment: ProcessInfo.processInfo.environment, dataDirectory: configuration.dataDirectory, create: false)?.0
        } catch {
            await database.shutdown()
            throw BackupError(.failed, "cannot read the audit key: \(error)")
        }
        database.useAuditKey(key)
        var problems: [String] = []
        if let checkpoint = manifest.auditCheckpoint, let key, !checkpoint.isAuthentic(under: key) {
            problems.append("the manifest's audit checkpoint does not match its MAC under this audit key (altered manifest, or another installation's key)")
        }
        do {
            restored = try await database.inventory()
            chain = try await AuditRepository(database).verify(checkpoints: manifest.auditCheckpoint.map { [$0] } ?? [])
        } catch {
            await database.shutdown()
            throw BackupError(.failed, "cannot read the restored database: \(error)")
        }
        await database.shutdown()
        let expected = manifest.inventory
        for table in Set(expected.tableCounts.keys).union(restored.tableCounts.keys).sorted()
        where expected.tableCounts[table] != restored.tableCounts[table] {
            problems.append("table \(table): \(restored.tableCounts[table].map(String.init) ?? "missing") rows, manifest says \(expected.tableCounts[table].map(String.init) ?? "none")")
        }
        if restored.photos != expected.photos { problems.append("the restored photo references differ from the manifest") }
        if restored.signedDocumentsDigest != expected.signedDocumentsDigest || restored.signedDocumentsAltered > 0 {
            problems.append("signed documents differ from the manifest")
        }
        for bad in chain.problems.prefix(20) { problems.append("audit trail broken at entry \(bad.seq): \(bad.reason)") }
        if chain.entries != expected.auditEntries || chain.headHash != expected.auditHead {
            problems.append("audit chain: \(chain.entries) entries, head \(chain.headHash); manifest says \(expected.auditEntries), head \(expected.auditHead)")
        }
        guard problems.isEmpty else {
            throw BackupError(.verificationFailed, "the restored copy does not match the manifest:\n  " + problems.joined(separator: "\n  "))
        }
        print("""
            Restored \(folder.path) (taken \(manifest.createdAt)) into \(location) in \(String(format: "%.1f", Date().timeIntervalSince(started)))s
              \(restored.tableCounts.count) tables, \(restored.tableCounts.values.reduce(0, +)) rows: counts match the manifest
              \(restored.photos.count) photo files, hashes verified; \(restored.signedDocuments) signed documents match
              audit chain intact: \(chain.entries) entries, head \(chain.headHash) (as in the manifest)
              \(key.map { "audit key \($0.id): \(chain.keyedEntries) MACs match, \(chain.preKeyEntries) pre-key entries" + (manifest.auditCheckpoint == nil ? "" : "; the manifest's checkpoint verifies") } ?? "no audit key here: MACs not checked (set SCARTRACK_AUDIT_KEY or SCARTRACK_AUDIT_KEY_FILE to the installation's key, and keep it beside the restored data)")
            """)
    }
}

private func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
