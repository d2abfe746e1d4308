import Foundation
import Logging
import ScarServer
import ScarStore

/// Shared start-up for every command: configuration from the environment, logging, the
/// database (migrated), with clear messages instead of stack traces.
enum CommandEnvironment {
    static func logger(_ label: String = "scartrack") -> Logger {
        let json = ProcessInfo.processInfo.environment["SCARTRACK_LOG_FORMAT"]?.lowercased() == "json"
        var logger = json ? Logger(label: label) { JSONLogHandler(label: $0) } : Logger(label: label)
        let level = ProcessInfo.processInfo.environment["SCARTRACK_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        logger.logLevel = level
        return logger
    }

    static func configuration() throws -> AppConfiguration {
        do {
            return try AppConfiguration.fromEnvironment()
        } catch let error as ConfigurationError {
            throw CommandFailure("Configuration: \(error.description)")
        }
    }

    /// With `checkpoint`, a checkpoint of the audit chain head as found is appended to the checkpoint
    /// file (so the file exists from the first command on); `audit verify` writes one only after verifying.
    /// `checkKey: false` (`audit verify` only) skips the check that this is the audit trail's key,
    /// so that a tampered newest entry is reported by the verification instead of stopping it.
    static func openDatabase(_ configuration: AppConfiguration, logger: Logger, checkpoint: Bool = true,
                             checkKey: Bool = true) async throws -> ScarDatabase {
        let location = try configuration.storeLocation()
        let groupCommit = ProcessInfo.processInfo.environment["SCARTRACK_SQLITE_GROUP_COMMIT"] != "false"
        let database = try ScarDatabase(location: location, logger: logger, groupCommit: groupCommit)
        do {
            let applied = try await Migrator.migrate(database)
            if !applied.isEmpty { logger.info("Applied migrations", metadata: ["migrations": .string(applied.joined(separator: ", "))]) }
            // A newer build's schema is left alone; /health/ready reports it so a load balancer keeps traffic away.
            if let problem = try await Migrator.state(database).problem { logger.error("\(problem)") }
        } catch {
            await database.shutdown()
            throw CommandFailure("Cannot open the database (\(location)): \(error)")
        }
        do {
            try await useAuditKey(database, configuration: configuration, check: checkKey)
            if checkpoint { try await database.writeAuditCheckpoint(to: checkpointPath(configuration)) }
        } catch let error as CommandFailure {
            await database.shutdown()
            throw error
        } catch let error as StoreError {
            await database.shutdown()
            throw CommandFailure("Audit checkpoint: \(error)")
        } catch {
            await database.shutdown()
            throw error
        }
        return database
    }

    /// Loads the audit key (`SCARTRACK_AUDIT_KEY`, `SCARTRACK_AUDIT_KEY_FILE` or `<data dir>/audit.key`)
    /// and makes the database MAC every audit entry with it. A missing key file is created, but
    /// only while no entry carries a MAC yet: a fresh key could never verify the existing MACs.
    static func useAuditKey(_ database: ScarDatabase, configuration: AppConfiguration, check: Bool) async throws {
        let environment = ProcessInfo.processInfo.environment
        do {
            if case let (key, _)? = try AuditKey.load(environment: environment, dataDirectory: configuration.dataDirectory, create: false) {
                try await use(key, database, check: check)
                return
            }
            let head = try await database.auditHead()
            if head.keyedFrom > 0 {
                let path = environment["SCARTRACK_AUDIT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
                    ?? AuditKey.defaultPath(dataDirectory: configuration.dataDirectory)
                throw CommandFailure(
                    "Audit key missing: audit entries from \(head.keyedFrom) on carry a MAC, but there is no key at \(path) "
                    + "and SCARTRACK_AUDIT_KEY is not set. Restore the key file (or set SCARTRACK_AUDIT_KEY or SCARTRACK_AUDIT_KEY_FILE); "
                    + "a new key could not verify the existing entries.")
            }
            if case let (key, _)? = try AuditKey.load(environment: environment, dataDirectory: configuration.dataDirectory, create: true) {
                try await use(key, database, check: check)
            }
        } catch let error as StoreError {
            throw CommandFailure("Audit key: \(error)")
        }
    }

    /// Uses `key` once the database confirms it is the audit trail's key (several app servers on
    /// one database must share one: `SCARTRACK_AUDIT_KEY` or `SCARTRACK_AUDIT_KEY_FILE`).
    static func use(_ key: AuditKey, _ database: ScarDatabase, check: Bool) async throws {
        if check, let mismatch = try await database.checkAuditKey(key) {
            throw CommandFailure("Audit key mismatch: \(mismatch). Every app server on one database needs the same audit key: "
                                 + "set the same SCARTRACK_AUDIT_KEY (or SCARTRACK_AUDIT_KEY_FILE) on each.")
        }
        database.useAuditKey(key)
    }

    /// `<data dir>/audit-checkpoints.jsonl`, or `SCARTRACK_AUDIT_CHECKPOINT_FILE` when set.
    static func checkpointPath(_ configuration: AppConfiguration) -> String {
        if let path = ProcessInfo.processInfo.environment["SCARTRACK_AUDIT_CHECKPOINT_FILE"], !path.isEmpty { return path }
        return AuditCheckpoints.defaultPath(dataDirectory: configuration.dataDirectory)
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Progress for long jobs on the terminal: one line, rewritten in place when interactive.
struct Progress {
    let label: String
    let total: Int
    let interactive = isatty(STDERR_FILENO) != 0

    func update(_ done: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        if interactive {
            FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) (\(percent)%)".utf8))
        } else if done == total || done % max(1, total / 10) == 0 {
            FileHandle.standardError.write(Data("\(label): \(done)/\(total) (\(percent)%)\n".utf8))
        }
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
