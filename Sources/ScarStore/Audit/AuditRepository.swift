import Foundation
import SQLKit

/// Reading and checking the audit trail.
public struct AuditRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let columns = "seq, id, at, clinic_id, actor_id, actor, action, record_type, record_id, patient_id, client_address, details, prev_hash, hash"

    public struct Verification: Sendable, Equatable {
        public var entries: Int
        public var headHash: String
        /// The first entry that does not fit the chain, and why; nil when intact.
        public var firstBad: (seq: Int, reason: String)?

        public var intact: Bool { firstBad == nil }

        public static func == (a: Verification, b: Verification) -> Bool {
            a.entries == b.entries && a.headHash == b.headHash && a.firstBad?.seq == b.firstBad?.seq && a.firstBad?.reason == b.firstBad?.reason
        }
    }

    /// Walks the whole chain in order, in batches, recomputing every hash.
    public func verify(progress: (@Sendable (Int) -> Void)? = nil) async throws -> Verification {
        var expectedSeq = 1
        var prevHash = AuditTrail.genesisHash
        var count = 0
        let batch = 5000
        while true {
            let start = expectedSeq
            let rows = try await db.read { sql in
                try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE seq >= \(bind: start) ORDER BY seq LIMIT \(bind: batch)")
                    .all().map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
            }
            for entry in rows {
                if entry.seq != expectedSeq {
                    return Verification(entries: count, headHash: prevHash,
                                        firstBad: (expectedSeq, "entry \(expectedSeq) is missing (next found is \(entry.seq))"))
                }
                if entry.prevHash != prevHash {
                    return Verification(entries: count, headHash: prevHash,
                                        firstBad: (entry.seq, "entry \(entry.seq) does not follow the previous entry's hash"))
                }
                if AuditTrail.hash(of: entry) != entry.hash {
                    return Verification(entries: count, headHash: prevHash,
                                        firstBad: (entry.seq, "entry \(entry.seq) was altered: its content does not match its hash"))
                }
                prevHash = entry.hash
                expectedSeq += 1
                count += 1
            }
            progress?(count)
            if rows.count < batch { break }
        }
        return Verification(entries: count, headHash: prevHash, firstBad: nil)
    }

    /// The newest entries for a patient (used by tests and the patient page's access log).
    public func entries(patientId: UUID, limit: Int = 50) async throws -> [AuditEntry] {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE patient_id = \(bind: patientId) ORDER BY seq DESC LIMIT \(bind: limit)")
                .all().map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
        }
    }

    public func entries(clinicId: UUID, action: String? = nil, limit: Int = 100) async throws -> [AuditEntry] {
        try await db.read { sql in
            let filter: SQLQueryString = action.map { "AND action = \(bind: $0)" } ?? ""
            return try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE clinic_id = \(bind: clinicId) \(filter) ORDER BY seq DESC LIMIT \(bind: limit)")
                .all().map { try $0.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase) }
        }
    }
}
