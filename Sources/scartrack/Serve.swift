import ArgumentParser
import Metrics
import Prometheus
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
        if configuration.returnsIdleMemory { IdleMemory.limitArenas() }
        let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
        if let admin = try await Bootstrap.ensureInitialAdmin(database, bcryptCost: configuration.bcryptCost) {
            // Printed once, to stdout only; it is not stored anywhere in clear text.
            // Written unbuffered, so it appears at once even when stdout is a pipe or a log file.
            FileHandle.standardOutput.write(Data("""
                Initial admin account: \(admin.email)  one-time password: \(admin.password)
                Sign in at http://\(host):\(port)/signin and keep this password safe; it is not shown again.

                """.utf8))
        }
        // One registry for the process: Hummingbird's request metrics and `/metrics` share it.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(ScarApp.metricsFactory(registry))
        let built = try await ScarApp.build(configuration: configuration, database: database, logger: logger, metrics: registry)
        var application = built.application
        // Registered after the database service, so it stops first and its last checkpoint still reaches the database.
        let checkpointSeconds = ProcessInfo.processInfo.environment["SCARTRACK_AUDIT_CHECKPOINT_SECONDS"].flatMap(Double.init) ?? 30
        application.addServices(AuditCheckpointService(database: database, path: CommandEnvironment.checkpointPath(configuration),
                                                             interval: max(1, checkpointSeconds), logger: logger))
        logger.info("ScarTrack listening", metadata: ["address": "http://\(host):\(port)", "database": .string(database.location.description)])
        try await application.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply database migrations (serve also does this at start).",
        discussion: """
            PostgreSQL deployments should migrate as the owner role and serve as a separate application role:
              SCARTRACK_DATABASE_URL=postgres://owner@host/db scartrack migrate --app-role scartrack_app
              SCARTRACK_DATABASE_URL=postgres://scartrack_app@host/db scartrack serve
            --app-role grants that role what the server needs, and only SELECT and INSERT on the audit trail.
            """)

    @Option(help: "PostgreSQL: the role the server connects as; granted table access, but no UPDATE, DELETE or TRUNCATE on audit_log.")
    var appRole: String?

    func run() async throws {
        let logger = CommandEnvironment.logger()
        let configuration = try CommandEnvironment.configuration()
        let database = try ScarDatabase(location: try configuration.storeLocation(), logger: logger)
        do {
            let applied = try await Migrator.migrate(database)
            print(applied.isEmpty ? "Schema is current (\(Migrator.latest))." : "Applied: \(applied.joined(separator: ", "))")
            if let appRole {
                try await Migrator.grantApplicationRole(database, role: appRole)
                print("Granted \(appRole) the application's tables; audit_log: SELECT and INSERT only.")
            }
        } catch let error as StoreError {
            await database.shutdown()
            throw CommandFailure("\(error)")
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }
}
