import Foundation
import SQLKit

/// Reading and checking the audit trail.
public struct AuditRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let columns = "seq, id, at, clinic_id, actor_id, actor, action, record_type, record_id, patient_id, client_address, details, prev_hash, hash"
    /// The columns `AuditEntry` decodes from (for tools and tests that read rows themselves).
    public static var columnList: String { columns }

    public struct Verification: Sendable, Equatable {
        /// Entries that verify before the first problem (every entry when intact).
        public var entries: Int
        /// Entries found in the trail, problems or not.
        public var found: Int = 0
        public var headHash: String
        /// The head's sequence number (0 for an empty trail).
        public var headSeq: Int = 0
        /// Everything that does not fit, in order of entry: altered, missing or forged entries,
        /// MACs that do not match, and disagreements with the checkpoints.
        public var problems: [Problem] = []
        /// Entries without a MAC that come before the first one with a MAC (written before the key existed).
        public var preKeyEntries: Int = 0
        /// Entries whose MAC was checked and matches.
        public var keyedEntries: Int = 0
        /// The first entry with a MAC (0 when none has one).
        public var firstKeyedSeq: Int = 0
        /// False when no key was available, so MACs could not be checked.
        public var macsChecked: Bool = false
        /// The newest checkpoint checked against (nil when none was given).
        public var checkpoint: AuditCheckpoint?

        public struct Problem: Sendable, Equatable {
            public var seq: Int
            public var reason: String
        }

        public init(entries: Int, headHash: String, firstBad: (seq: Int, reason: String)? = nil) {
            self.entries = entries
            self.headHash = headHash
            if let firstBad { problems = [Problem(seq: firstBad.seq, reason: firstBad.reason)] }
        }

        /// The first entry that does not fit the chain, and why; nil when intact.
        public var firstBad: (seq: Int, reason: String)? { problems.first.map { ($0.seq, $0.reason) } }

        public var intact: Bool { problems.isEmpty }

        public static func == (a: Verification, b: Verification) -> Bool {
            a.entries == b.entries && a.headHash == b.headHash && a.headSeq == b.headSeq && a.problems == b.problems
                && a.preKeyEntries == b.preKeyEntries && a.keyedEntries == b.keyedEntries
        }
    }

    /// Records an access that is not a read or write of one record (a printed report, an
    /// export): one entry in its own transaction.
    public func record(_ event: AuditEvent, by actor: AuditActor) async throws {
        let engine = db.engine
        try await db.write { sql in _ = try await AuditTrail.append(event, by: actor, engine: engine, on: sql) }
    }

    /// Walks the whole chain in order, in batches, recomputing every hash; with the database's
    /// audit key (`ScarDatabase.useAuditKey`) it checks every entry's MAC too, and against each
    /// of `checkpoints` (read from outside the database) that the entry at its sequence exists
    /// with the same hash and that no entry from the checkpoint's `keyedFrom` on lacks a MAC.
    public func verify(checkpoints: [AuditCheckpoint] = [], progress: (@Sendable (Int) -> Void)? = nil) async throws -> Verification {
        let key = db.auditKey
        var result = Verification(entries: 0, headHash: AuditTrail.genesisHash)
        result.macsChecked = key != nil
        var problems: [Verification.Problem] = []
        var badMACs: [Int] = []
        var expectedSeq = 1
        var prevHash = AuditTrail.genesisHash
        var lastSeq = 0
        var count = 0
        var walked: [Int] = []
        let bySeq = Dictionary(grouping: checkpoints, by: \.seq)
        let newest = checkpoints.max { ($0.seq, $0.at) < ($1.seq, $1.at) }
        // Entries from here on must carry a MAC: the earliest keyed entry any checkpoint saw.
        let mustBeKeyedFrom = checkpoints.map(\.keyedFrom).filter { $0 > 0 }.min() ?? Int.max
        let batch = 5000
        while true {
            let start = expectedSeq
            let rows = try await db.read { sql in
                try await sql.raw("SELECT \(unsafeRaw: Self.columns), mac FROM audit_log WHERE seq >= \(bind: start) ORDER BY seq LIMIT \(bind: batch)")
                    .all().map { row in
                        (try row.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase), try row.decode(column: "mac", as: String?.self))
                    }
            }
            for (entry, mac) in rows {
                if entry.seq != expectedSeq {
                    let gap = entry.seq - expectedSeq
                    problems.append(.init(seq: expectedSeq, reason: gap == 1
                        ? "entry \(expectedSeq) is missing (next found is \(entry.seq))"
                        : "entries \(expectedSeq)–\(entry.seq - 1) are missing (next found is \(entry.seq))"))
                } else if entry.prevHash != prevHash {
                    problems.append(.init(seq: entry.seq, reason: "entry \(entry.seq) does not follow the previous entry's hash"))
                }
                if AuditTrail.hash(of: entry) != entry.hash {
                    problems.append(.init(seq: entry.seq, reason: "entry \(entry.seq) was altered: its content does not match its hash"))
                }
                if let mac {
                    if result.firstKeyedSeq == 0 { result.firstKeyedSeq = entry.seq }
                    if let key {
                        if AuditKey.same(mac, key.entryMAC(seq: entry.seq, hash: entry.hash)) { result.keyedEntries += 1 } else { badMACs.append(entry.seq) }
                    }
                } else if result.firstKeyedSeq != 0 || entry.seq >= mustBeKeyedFrom {
                    problems.append(.init(seq: entry.seq, reason: "entry \(entry.seq) has no MAC although it comes after entries that have one (added or rewritten without the key)"))
                } else {
                    result.preKeyEntries += 1
                }
                for checkpoint in bySeq[entry.seq] ?? [] where checkpoint.hash != entry.hash {
                    problems.append(.init(seq: entry.seq, reason: "entry \(entry.seq) is not the one the checkpoint of \(checkpoint.readableTime) saw (the chain was rewritten up to here)"))
                }
                prevHash = entry.hash
                walked.append(entry.seq)
                lastSeq = entry.seq
                expectedSeq = entry.seq + 1
                count += 1
            }
            progress?(count)
            if rows.count < batch { break }
        }
        // MACs that do not match, as ranges of consecutive entries.
        var index = 0
        while index < badMACs.count {
            var end = index
            while end + 1 < badMACs.count, badMACs[end + 1] == badMACs[end] + 1 { end += 1 }
            let (first, last) = (badMACs[index], badMACs[end])
            problems.append(.init(seq: first, reason: first == last
                ? "entry \(first): its MAC does not match (forged or recomputed)"
                : "entries \(first)–\(last): their MACs do not match (forged or recomputed)"))
            index = end + 1
        }
        if let newest {
            result.checkpoint = newest
            if newest.seq > lastSeq {
                let first = lastSeq + 1
                let what = first == newest.seq ? "entry \(first) is missing" : "entries \(first)–\(newest.seq) are missing"
                problems.append(.init(seq: first, reason: "\(what): the checkpoint of \(newest.readableTime) saw the chain at \(newest.seq)"))
            } else if count < newest.seq {
                problems.append(.init(seq: newest.seq, reason: "only \(count) entries are left, but the checkpoint of \(newest.readableTime) saw \(newest.seq)"))
            }
        }
        result.problems = problems.enumerated().sorted { ($0.element.seq, $0.offset) < ($1.element.seq, $1.offset) }.map(\.element)
        // As before: the entries that verify before the first problem (all of them when intact).
        if let first = result.problems.first {
            var low = 0, high = walked.count
            while low < high {
                let mid = (low + high) / 2
                if walked[mid] < first.seq { low = mid + 1 } else { high = mid }
            }
            result.entries = low
        } else {
            result.entries = count
        }
        result.found = count
        result.headHash = prevHash
        result.headSeq = lastSeq
        return result
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
