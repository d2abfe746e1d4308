import Foundation
import ScarCore
import SQLKit

/// One transaction, handed to a use case: everything it reads, decides on, writes and audits
/// happens on this one connection and lands together or not at all. The SQL stays in ScarStore;
/// a use case sees only named reads and writes (`UnitOfWork+<Feature>.swift`) and `audit`.
public struct UnitOfWork: Sendable {
    let sql: any SQLDatabase
    public let engine: Engine

    /// Appends the workflow's intent-level audit entry (one per use case).
    @discardableResult
    public func audit(_ event: AuditEvent, by actor: AuditActor, now: Date = Date()) async throws -> AuditEntry {
        try await AuditTrail.append(event, by: actor, engine: engine, on: sql, now: now)
    }
}

extension ScarDatabase {
    /// A write transaction (serialized on SQLite) for one use case.
    public func write<T: Sendable>(unitOfWork body: @escaping @Sendable (UnitOfWork) async throws -> T) async throws -> T {
        let engine = self.engine
        return try await write { sql in try await body(UnitOfWork(sql: sql, engine: engine)) }
    }

    /// An audited look (issue 16): `look` reads in one read transaction on a reader, never queued
    /// behind writers, and `record` then writes only what the look decided on (its audit entry, at
    /// times a result stored once a day) in one write transaction that shares its commit with other
    /// writers. The caller is answered only after that commit: nothing is shown that is not audited.
    public func look<Seen: Sendable, T: Sendable>(_ look: @escaping @Sendable (UnitOfWork) async throws -> Seen,
                                                  record: @escaping @Sendable (UnitOfWork, Seen) async throws -> T) async throws -> T {
        let engine = self.engine
        let seen = try await readTransaction { sql in try await look(UnitOfWork(sql: sql, engine: engine)) }
        return try await write { sql in try await record(UnitOfWork(sql: sql, engine: engine), seen) }
    }

    /// A read on one connection, for use cases that only look.
    public func read<T: Sendable>(unitOfWork body: @escaping @Sendable (UnitOfWork) async throws -> T) async throws -> T {
        let engine = self.engine
        return try await read { sql in try await body(UnitOfWork(sql: sql, engine: engine)) }
    }
}
