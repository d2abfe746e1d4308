import Foundation
import Logging
import ScarServer
import ScarStore

/// Shared start-up for every command: configuration from the environment, logging, the
/// database (migrated), with clear messages instead of stack traces.
enum CommandEnvironment {
    static func logger(_ label: String = "scartrack") -> Logger {
        var logger = Logger(label: label)
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

    static func openDatabase(_ configuration: AppConfiguration, logger: Logger) async throws -> ScarDatabase {
        let location = try configuration.storeLocation()
        let database = try ScarDatabase(location: location, logger: logger)
        do {
            let applied = try await Migrator.migrate(database)
            if !applied.isEmpty { logger.info("Applied migrations", metadata: ["migrations": .string(applied.joined(separator: ", "))]) }
        } catch {
            await database.shutdown()
            throw CommandFailure("Cannot open the database (\(location)): \(error)")
        }
        return database
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
