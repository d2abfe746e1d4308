import Foundation
import Logging
import ScarCore
import ScarStore
import ServiceLifecycle

/// Delivers one outbox message. Implementations must treat `idempotencyKey` as the message's
/// identity (e.g. an email Message-ID), so a retry after a lost acknowledgement is recognisable.
public protocol MessageSender: Sendable {
    var name: String { get }
    func send(_ message: OutboxMessage) async throws
}

/// The default: records the message as sent in the log (the outbox keeps the full text).
public struct LogMessageSender: MessageSender {
    let logger: Logger
    public init(logger: Logger) { self.logger = logger }
    public var name: String { "log" }
    public func send(_ message: OutboxMessage) async throws {
        logger.info("Message sent (log sender)", metadata: [
            "message.key": .string(message.idempotencyKey), "message.kind": .string(message.kind),
            "message.due": .string(ISO8601DateFormatter().string(from: message.dueAt)),
        ])
    }
}

/// One pass over the outbox: claim due messages (lease), send, mark sent; failures are retried
/// with a growing delay and marked `failed` after `maxAttempts`.
public struct OutboxDispatcher: Sendable {
    let outbox: OutboxRepository
    let sender: any MessageSender
    let logger: Logger
    public let worker: String
    public var lease: TimeInterval = 300
    public var maxAttempts = 5

    public init(database: ScarDatabase, sender: any MessageSender, logger: Logger, worker: String = UUID().lower) {
        self.outbox = OutboxRepository(database)
        self.sender = sender
        self.logger = logger
        self.worker = worker
    }

    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> (sent: Int, failed: Int) {
        let claimed = try await outbox.claim(worker: worker, now: now, lease: lease)
        var sent = 0, failed = 0
        for message in claimed {
            do {
                try await sender.send(message)
                if try await outbox.markSent(id: message.id, worker: worker, now: Date()) { sent += 1 }
            } catch {
                failed += 1
                let delay = TimeInterval(60 * (1 << min(message.attempts, 6)))
                try await outbox.markFailed(id: message.id, worker: worker, error: String(describing: error), now: Date(),
                                            retryAfter: delay, maxAttempts: maxAttempts)
            }
        }
        return (sent, failed)
    }
}

