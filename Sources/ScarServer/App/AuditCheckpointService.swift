import Foundation
import Logging
import ScarStore
import ServiceLifecycle

/// While serving: writes a checkpoint of the audit chain head to the checkpoint file outside the
/// database whenever the head moved, at most every `interval` seconds, and once more at clean
/// shutdown (before the database closes; services stop in reverse order of registration).
public struct AuditCheckpointService: Service {
    let database: ScarDatabase
    let path: String
    let interval: Double
    let logger: Logger

    public init(database: ScarDatabase, path: String, interval: Double, logger: Logger) {
        (self.database, self.path, self.interval, self.logger) = (database, path, interval, logger)
    }

    public func run() async throws {
        var written = -1
        func checkpointIfMoved() async {
            do {
                let head = try await database.auditHead()
                guard head.seq != written else { return }
                try await database.writeAuditCheckpoint(to: path)
                written = head.seq
            } catch {
                logger.warning("Audit checkpoint not written", metadata: ["error": .string(String(describing: error))])
            }
        }
        await checkpointIfMoved()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelOnGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
            await checkpointIfMoved()
        }
    }
}
