import Foundation
import SQLKit

/// Counts failed sign-ins per account and per client address in the database, so the limit
/// holds across restarts and across app servers.
public struct SignInThrottle: Sendable {
    let db: ScarDatabase
    public let window: TimeInterval
    public let maxPerAccount: Int
    public let maxPerAddress: Int

    public init(_ db: ScarDatabase, window: TimeInterval = 15 * 60, maxPerAccount: Int = 5, maxPerAddress: Int = 20) {
        self.db = db
        self.window = window
        self.maxPerAccount = maxPerAccount
        self.maxPerAddress = maxPerAddress
    }

    /// Whether another attempt is allowed now for this account from this address.
    public func allows(account: String, clientAddress: String, now: Date = Date()) async throws -> Bool {
        let since = now.addingTimeInterval(-window)
        let account = account.lowercased()
        return try await db.read { sql in
            let perAccount = try await sql.raw("SELECT COUNT(*) AS n FROM sign_in_failures WHERE account = \(bind: account) AND at > \(bind: since)")
                .first()!.decode(column: "n", as: Int.self)
            let perAddress = try await sql.raw("SELECT COUNT(*) AS n FROM sign_in_failures WHERE client_address = \(bind: clientAddress) AND at > \(bind: since)")
                .first()!.decode(column: "n", as: Int.self)
            return perAccount < maxPerAccount && perAddress < maxPerAddress
        }
    }

    /// Records a failure, audits it, and forgets failures older than the window.
    public func recordFailure(account: String, clientAddress: String, clinicId: UUID?, userId: UUID?,
                              action: String = "auth.sign-in-failed", now: Date = Date()) async throws {
        let engine = db.engine
        let account = account.lowercased()
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO sign_in_failures (id, account, client_address, at)
                VALUES (\(bind: UUID()), \(bind: account), \(bind: clientAddress), \(bind: now))
                """).run()
            try await sql.raw("DELETE FROM sign_in_failures WHERE at < \(bind: now.addingTimeInterval(-2 * window))").run()
            let actor = AuditActor(clinicId: clinicId, userId: userId, label: String(account.prefix(254)), clientAddress: clientAddress)
            try await AuditTrail.append(AuditEvent(action: action, recordType: "staff", recordId: userId?.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
        }
    }

    /// A successful sign-in clears the account's failures.
    public func reset(account: String) async throws {
        try await db.write { sql in
            try await sql.raw("DELETE FROM sign_in_failures WHERE account = \(bind: account.lowercased())").run()
        }
    }
}
