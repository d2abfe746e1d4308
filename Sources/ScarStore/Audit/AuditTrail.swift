import Crypto
import Foundation
import SQLKit

/// The hash-chained, append-only audit trail. Each entry stores SHA-256 over the previous
/// entry's hash and its own canonical content, so altering, removing or reordering any entry
/// breaks every hash after it.
///
/// One chain per clinic (migration 0032): an entry chains to its clinic's previous entry, and
/// entries with no clinic (installation-level events) form the installation's own chain, so two
/// clinics' writers never wait on each other. `seq` still orders the whole trail (on PostgreSQL
/// from a sequence, so a rolled-back writer leaves a gap); `chain_seq` numbers each chain without
/// gaps. Entries written before 0032 keep `chain_seq` NULL and verify as one legacy chain by `seq`;
/// each chain's first entry links to that legacy chain's last hash (the genesis hash when none).
public enum AuditTrail {
    static let genesisHash = String(repeating: "0", count: 64)

    /// The newest entry's sequence number and hash (the whole trail's newest entry); 0 and the genesis hash when empty.
    static func head(on sql: any SQLDatabase) async throws -> (seq: Int, hash: String) {
        guard let row = try await sql.raw("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first() else { return (0, genesisHash) }
        return (try row.decode(column: "seq", as: Int.self), try row.decode(column: "hash", as: String.self))
    }

    /// The first entry that carries a MAC; 0 when none does.
    static func firstKeyedSeq(on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT MIN(seq) AS s FROM audit_log WHERE mac IS NOT NULL").first()?.decode(column: "s", as: Int?.self) ?? 0
    }

    /// The name a chain's PostgreSQL advisory lock is keyed by (`pg_advisory_xact_lock(7345002, hashtext(name))`):
    /// the clinic's id, or `installation` for entries with no clinic.
    public static func chainLockName(clinicId: UUID?) -> String {
        clinicId?.uuidString.lowercased() ?? "installation"
    }

    /// Where the next entry of `clinicId`'s chain goes: its `seq` in the whole trail, its place in
    /// the chain, and the hash it links to. One statement.
    static func nextLink(clinicId: UUID?, engine: Engine, on sql: any SQLDatabase) async throws -> (seq: Int, chainSeq: Int, prevHash: String) {
        let chain: SQLQueryString = clinicId.map { "clinic_id = \(bind: $0)" } ?? "clinic_id IS NULL"
        // SQLite has one writer at a time; PostgreSQL appenders of different chains run at once.
        let next: SQLQueryString = engine == .postgres ? "nextval('audit_log_seq')" : "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)"
        let row = try await sql.raw("""
            SELECT \(next) AS next_seq,
                   (SELECT chain_seq FROM audit_log WHERE \(chain) AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1) AS chain_seq,
                   (SELECT hash FROM audit_log WHERE \(chain) AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1) AS chain_hash,
                   (SELECT hash FROM audit_log WHERE chain_seq IS NULL ORDER BY seq DESC LIMIT 1) AS legacy_hash
            """).first()!
        let position = try row.decode(column: "chain_seq", as: Int?.self) ?? 0
        let prevHash = try row.decode(column: "chain_hash", as: String?.self) ?? row.decode(column: "legacy_hash", as: String?.self) ?? genesisHash
        return (try row.decode(column: "next_seq", as: Int.self), position + 1, prevHash)
    }

    /// The newest entry of every per-clinic chain (and the installation's own), one indexed look-up
    /// per clinic (not a scan of the trail).
    static func chainHeads(on sql: any SQLDatabase) async throws -> [AuditCheckpoint.ChainHead] {
        let clinics: [UUID?] = [nil] + (try await sql.raw("SELECT id FROM clinics").all().map { try $0.decode(column: "id", as: UUID.self) })
        var heads: [AuditCheckpoint.ChainHead] = []
        for clinic in clinics {
            let chain: SQLQueryString = clinic.map { "clinic_id = \(bind: $0)" } ?? "clinic_id IS NULL"
            guard let row = try await sql.raw("""
                SELECT chain_seq, seq, hash FROM audit_log WHERE \(chain) AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1
                """).first() else { continue }
            heads.append(.init(clinic: clinic?.uuidString.lowercased() ?? "", position: try row.decode(column: "chain_seq", as: Int.self),
                               seq: try row.decode(column: "seq", as: Int.self), hash: try row.decode(column: "hash", as: String.self)))
        }
        return heads
    }

    /// Appends one entry to its clinic's chain. Must run inside `ScarDatabase.write`, so the entry
    /// lands in the same transaction as the change it describes, or not at all.
    @discardableResult
    static func append(_ event: AuditEvent, by actor: AuditActor, engine: Engine, on sql: any SQLDatabase,
                       now: Date = Date()) async throws -> AuditEntry {
        if engine == .postgres {
            // Serializes the appenders of one chain so two transactions cannot both chain onto the
            // same head; another clinic's appenders take another lock and do not wait.
            try await sql.raw("SELECT pg_advisory_xact_lock(7345002, hashtext(\(bind: chainLockName(clinicId: actor.clinicId))))").run()
        }
        let link = try await nextLink(clinicId: actor.clinicId, engine: engine, on: sql)
        // Whole milliseconds: both engines store them exactly, so the hash can be recomputed.
        let at = now.wholeMilliseconds
        var details = event.details
        if let requestId = actor.requestId { details["requestId"] = requestId }
        var entry = AuditEntry(
            seq: link.seq, id: UUID(), at: at, clinicId: actor.clinicId, actorId: actor.userId, actor: actor.label,
            action: event.action, recordType: event.recordType, recordId: event.recordId, patientId: event.patientId,
            clientAddress: actor.clientAddress, details: canonicalJSON(details), prevHash: link.prevHash, hash: "",
            chainSeq: link.chainSeq)
        entry.hash = hash(of: entry)
        // The MAC under the key kept outside the database (nil when the writer has no key).
        let mac = (sql as? AuditKeyedSQLDatabase)?.auditKey.entryMAC(seq: entry.seq, hash: entry.hash)
        try await sql.raw("""
            INSERT INTO audit_log (seq, id, at, clinic_id, actor_id, actor, action, record_type, record_id, patient_id,
                                   client_address, details, prev_hash, hash, mac, chain_seq)
            VALUES (\(bind: entry.seq), \(bind: entry.id), \(bind: entry.at), \(bind: entry.clinicId), \(bind: entry.actorId),
                    \(bind: entry.actor), \(bind: entry.action), \(bind: entry.recordType), \(bind: entry.recordId),
                    \(bind: entry.patientId), \(bind: entry.clientAddress), \(bind: entry.details), \(bind: entry.prevHash),
                    \(bind: entry.hash), \(bind: mac), \(bind: entry.chainSeq))
            """).run()
        return entry
    }

    /// SHA-256 (hex) over the previous hash and the entry's canonical content. Every field is
    /// length-prefixed, so no two different entries can produce the same byte string. Entries of a
    /// per-clinic chain (`chainSeq` set) hash as `v2`, with their place in the chain last.
    public static func hash(of entry: AuditEntry) -> String {
        let milliseconds = Int64((entry.at.timeIntervalSince1970 * 1000).rounded())
        var fields: [String] = [
            entry.chainSeq == nil ? "v1" : "v2", String(entry.seq), entry.id.uuidString.lowercased(), String(milliseconds),
            entry.clinicId?.uuidString.lowercased() ?? "", entry.actorId?.uuidString.lowercased() ?? "", entry.actor,
            entry.action, entry.recordType ?? "", entry.recordId ?? "", entry.patientId?.uuidString.lowercased() ?? "",
            entry.clientAddress, entry.details,
        ]
        if let chainSeq = entry.chainSeq { fields.append(String(chainSeq)) }
        var content = entry.prevHash + "\n"
        for field in fields {
            content += "\(field.utf8.count):\(field)\n"
        }
        return SHA256Hex.of(content)
    }

    static func canonicalJSON(_ details: [String: String]) -> String {
        String(decoding: (try? canonicalEncoder.encode(details)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Made once (its settings never change; encoding with it from several threads is safe).
    private static let canonicalEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
