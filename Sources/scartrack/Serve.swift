import ArgumentParser
import Foundation
import Hummingbird
import ScarServer
import ScarStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the clinic server (embedded SQLite by default).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080

    func run() async throws {
        let logger = CommandEnvironment.logger()
        var configuration = try CommandEnvironment.configuration()
        configuration.host = host
        configuration.port = port
        let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
        if let admin = try await Bootstrap.ensureInitialAdmin(database, bcryptCost: configuration.bcryptCost) {
            // Printed once, to stdout only; it is not stored anywhere in clear text.
            // Written unbuffered, so it appears at once even when stdout is a pipe or a log file.
            FileHandle.standardOutput.write(Data("""
                Initial admin account: \(admin.email)  one-time password: \(admin.password)
                Sign in at http://\(host):\(port)/signin and keep this password safe; it is not shown again.

                """.utf8))
        }
        let built = try await ScarApp.build(configuration: configuration, database: database, logger: logger)
        logger.info("ScarTrack listening", metadata: ["address": "http://\(host):\(port)", "database": .string(database.location.description)])
        try await built.application.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations (serve also does this at start).")

    func run() async throws {
        let logger = CommandEnvironment.logger()
        let configuration = try CommandEnvironment.configuration()
        let database = try ScarDatabase(location: try configuration.storeLocation(), logger: logger)
        let applied = try await Migrator.migrate(database)
        print(applied.isEmpty ? "Schema is current (\(Migrator.latest))." : "Applied: \(applied.joined(separator: ", "))")
        await database.shutdown()
    }
}
