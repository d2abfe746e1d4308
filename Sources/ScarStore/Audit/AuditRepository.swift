import Foundation
import SQLKit

/// Reading and checking the audit trail.
public struct AuditRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let columns = "seq, id, at, clinic_id, actor_id, actor, action, record_type, record_id, patient_id, client_address, details, prev_hash, hash, chain_seq"
    /// The columns `AuditEntry` decodes from (for tools and tests that read rows themselves).
    public static var columnList: String { columns }

    /// Records an access that is not a read or write of one record (a printed report, an
    /// export): one entry in its own transaction.
    public func record(_ event: AuditEvent, by actor: AuditActor) async throws {
        let engine = db.engine
        try await db.write { sql in _ = try await AuditTrail.append(event, by: actor, engine: engine, on: sql) }
    }

    /// Walks the whole trail in order, in batches, checking every chain (`AuditChainWalk`).
    public func verify(checkpoints: [AuditCheckpoint] = [], progress: (@Sendable (Int) -> Void)? = nil) async throws -> Verification {
        try await AuditChainWalk.verify(db, checkpoints: checkpoints, progress: progress)
    }

    /// The newest entries for a patient (used by tests and the patient page's access log).
    public func entries(patientId: UUID, limit: Int = 50) async throws -> [AuditEntry] {
        try await db.read { sql in try await Self.entries(patientId: patientId, limit: limit, on: sql) }
    }

    static func entries(patientId: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [AuditEntry] {
        try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE patient_id = \(bind: patientId) ORDER BY seq DESC LIMIT \(bind: limit)")
            .all().map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
    }

    public func entries(clinicId: UUID, action: String? = nil, limit: Int = 100) async throws -> [AuditEntry] {
        try await db.read { sql in
            let filter: SQLQueryString = action.map { "AND action = \(bind: $0)" } ?? ""
            return try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE clinic_id = \(bind: clinicId) \(filter) ORDER BY seq DESC LIMIT \(bind: limit)")
                .all().map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
        }
    }

    /// What the admin audit page filters by. Every value is bound as a parameter; there is no
    /// free-form column or sort.
    public struct Filter: Sendable, Equatable {
        public var actorId: UUID?
        public var patientId: UUID?
        public var action: String?
        /// Inclusive lower and exclusive upper bound on `at`.
        public var from: Date?
        public var until: Date?
        public init(actorId: UUID? = nil, patientId: UUID? = nil, action: String? = nil, from: Date? = nil, until: Date? = nil) {
            (self.actorId, self.patientId, self.action, self.from, self.until) = (actorId, patientId, action, from, until)
        }
    }

    public struct Page: Sendable {
        public var entries: [AuditEntry]
        public var total: Int
        public init(entries: [AuditEntry], total: Int) { (self.entries, self.total) = (entries, total) }
    }

    /// One clinic's entries matching the filter, newest first.
    public func search(clinicId: UUID, filter: Filter, limit: Int, offset: Int) async throws -> Page {
        try await db.read { sql in
            var conditions: [SQLQueryString] = ["clinic_id = \(bind: clinicId)"]
            if let v = filter.actorId { conditions.append("actor_id = \(bind: v)") }
            if let v = filter.patientId { conditions.append("patient_id = \(bind: v)") }
            if let v = filter.action { conditions.append("action = \(bind: v)") }
            if let v = filter.from { conditions.append("at >= \(bind: v)") }
            if let v = filter.until { conditions.append("at < \(bind: v)") }
            let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
            let total = try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE \(whereClause)").first()!.decode(column: "n", as: Int.self)
            let entries = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE \(whereClause) ORDER BY seq DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
                """).all().map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
            return Page(entries: entries, total: total)
        }
    }

    /// The actions recorded for a clinic: the audit page offers only these (an allowlist).
    public func actions(clinicId: UUID) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw("SELECT DISTINCT action FROM audit_log WHERE clinic_id = \(bind: clinicId) ORDER BY action").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }
}
