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

    /// One attempt that was counted before the password (or code) was checked.
    public struct Reservation: Sendable {
        public let id: UUID
        public let account: String
        public let clientAddress: String
    }

    /// Reserves one attempt atomically, before the password or code is checked: in one write
    /// transaction that also counts (SQLite: the serialized `BEGIN IMMEDIATE`; PostgreSQL:
    /// transaction-scoped advisory locks on the account and on the address, always taken in that
    /// order), it counts the attempts of the window and, when under both limits, records this one.
    /// Returns nil when the account or the address is at its limit. Concurrent attempts therefore
    /// cannot all pass the count before any of them is recorded. A reservation counts as a failure
    /// until `succeeded` or `release` removes it.
    public func reserve(account: String, clientAddress: String, now: Date = Date()) async throws -> Reservation? {
        let since = now.addingTimeInterval(-window)
        let account = account.lowercased()
        let engine = db.engine
        let (maxPerAccount, maxPerAddress, window) = (self.maxPerAccount, self.maxPerAddress, self.window)
        return try await db.write { sql in
            if engine == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(7345011, hashtext(\(bind: account)))").run()
                try await sql.raw("SELECT pg_advisory_xact_lock(7345012, hashtext(\(bind: clientAddress)))").run()
            }
            let perAccount = try await sql.raw("SELECT COUNT(*) AS n FROM sign_in_failures WHERE account = \(bind: account) AND at > \(bind: since)")
                .first()!.decode(column: "n", as: Int.self)
            let perAddress = try await sql.raw("SELECT COUNT(*) AS n FROM sign_in_failures WHERE client_address = \(bind: clientAddress) AND at > \(bind: since)")
                .first()!.decode(column: "n", as: Int.self)
            guard perAccount < maxPerAccount, perAddress < maxPerAddress else { return nil }
            let id = UUID()
            try await sql.raw("""
                INSERT INTO sign_in_failures (id, account, client_address, at)
                VALUES (\(bind: id), \(bind: account), \(bind: clientAddress), \(bind: now))
                """).run()
            try await sql.raw("DELETE FROM sign_in_failures WHERE at < \(bind: now.addingTimeInterval(-2 * window))").run()
            return Reservation(id: id, account: account, clientAddress: clientAddress)
        }
    }

    /// The reserved attempt failed: it stays counted, and the failure is audited.
    public func failed(_ reservation: Reservation, clinicId: UUID?, userId: UUID?, action: String = "auth.sign-in-failed",
                       now: Date = Date()) async throws {
        let engine = db.engine
        try await db.write { sql in
            let actor = AuditActor(clinicId: clinicId, userId: userId, label: String(reservation.account.prefix(254)),
                                   clientAddress: reservation.clientAddress)
            try await AuditTrail.append(AuditEvent(action: action, recordType: "staff", recordId: userId?.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
        }
    }

    /// The reserved attempt was not a failure (the password was right and a code step follows):
    /// it stops counting, the account's earlier failures still count.
    public func release(_ reservation: Reservation) async throws {
        try await db.write { sql in
            try await sql.raw("DELETE FROM sign_in_failures WHERE id = \(bind: reservation.id)").run()
        }
    }

    /// The attempt signed in: its reservation and the account's failures are cleared.
    public func succeeded(_ reservation: Reservation) async throws {
        try await db.write { sql in
            try await sql.raw("DELETE FROM sign_in_failures WHERE id = \(bind: reservation.id) OR account = \(bind: reservation.account)").run()
        }
    }

    /// Whether another attempt is allowed now for this account from this address (a read only;
    /// use `reserve` before checking a secret, so concurrent attempts cannot all pass).
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
