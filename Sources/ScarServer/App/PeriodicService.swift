import Logging
import ServiceLifecycle

/// Runs `pass` every `interval` seconds while the server runs (`serve` only), until shutdown; a
/// failed pass is logged and the next one runs as planned. The outbox sender and the FHIR export
/// runner are such services.
struct PeriodicService: Service {
    let name: String
    let interval: Int
    let logger: Logger
    let pass: @Sendable () async throws -> Void

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await pass()
            } catch {
                logger.warning("\(name) pass failed", metadata: ["error": .string(String(describing: error))])
            }
            try? await cancelOnGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }
}
