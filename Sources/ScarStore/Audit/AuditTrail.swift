import Crypto
import Foundation
import SQLKit

/// The hash-chained, append-only audit trail. Each entry stores SHA-256 over the previous
/// entry's hash and its own canonical content, so altering, removing or reordering any entry
/// breaks every hash after it.
public enum AuditTrail {
    static let genesisHash = String(repeating: "0", count: 64)

    /// The newest entry's sequence number and hash (the chain head); 0 and the genesis hash when empty.
    static func head(on sql: any SQLDatabase) async throws -> (seq: Int, hash: String) {
        guard let row = try await sql.raw("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first() else { return (0, genesisHash) }
        return (try row.decode(column: "seq", as: Int.self), try row.decode(column: "hash", as: String.self))
    }

    /// The first entry that carries a MAC; 0 when none does.
    static func firstKeyedSeq(on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT MIN(seq) AS s FROM audit_log WHERE mac IS NOT NULL").first()?.decode(column: "s", as: Int?.self) ?? 0
    }

    /// Appends one entry. Must run inside `ScarDatabase.write`, so the entry lands in the same
    /// transaction as the change it describes, or not at all.
    @discardableResult
    static func append(_ event: AuditEvent, by actor: AuditActor, engine: Engine, on sql: any SQLDatabase,
                       now: Date = Date()) async throws -> AuditEntry {
        if engine == .postgres {
            // Serializes appenders so two transactions cannot both chain onto the same head.
            try await sql.raw("SELECT pg_advisory_xact_lock(7345002)").run()
        }
        let (prevSeq, prevHash) = try await head(on: sql)
        // Whole milliseconds: both engines store them exactly, so the hash can be recomputed.
        let at = now.wholeMilliseconds
        var details = event.details
        if let requestId = actor.requestId { details["requestId"] = requestId }
        var entry = AuditEntry(
            seq: prevSeq + 1, id: UUID(), at: at, clinicId: actor.clinicId, actorId: actor.userId, actor: actor.label,
            action: event.action, recordType: event.recordType, recordId: event.recordId, patientId: event.patientId,
            clientAddress: actor.clientAddress, details: canonicalJSON(details), prevHash: prevHash, hash: "")
        entry.hash = hash(of: entry)
        // The MAC under the key kept outside the database (nil when the writer has no key).
        let mac = (sql as? AuditKeyedSQLDatabase)?.auditKey.entryMAC(seq: entry.seq, hash: entry.hash)
        try await sql.raw("""
            INSERT INTO audit_log (seq, id, at, clinic_id, actor_id, actor, action, record_type, record_id, patient_id,
                                   client_address, details, prev_hash, hash, mac)
            VALUES (\(bind: entry.seq), \(bind: entry.id), \(bind: entry.at), \(bind: entry.clinicId), \(bind: entry.actorId),
                    \(bind: entry.actor), \(bind: entry.action), \(bind: entry.recordType), \(bind: entry.recordId),
                    \(bind: entry.patientId), \(bind: entry.clientAddress), \(bind: entry.details), \(bind: entry.prevHash),
                    \(bind: entry.hash), \(bind: mac))
            """).run()
        return entry
    }

    /// SHA-256 (hex) over the previous hash and the entry's canonical content. Every field is
    /// length-prefixed, so no two different entries can produce the same byte string.
    public static func hash(of entry: AuditEntry) -> String {
        let milliseconds = Int64((entry.at.timeIntervalSince1970 * 1000).rounded())
        let fields: [String] = [
            "v1", String(entry.seq), entry.id.uuidString.lowercased(), String(milliseconds),
            entry.clinicId?.uuidString.lowercased() ?? "", entry.actorId?.uuidString.lowercased() ?? "", entry.actor,
            entry.action, entry.recordType ?? "", entry.recordId ?? "", entry.patientId?.uuidString.lowercased() ?? "",
            entry.clientAddress, entry.details,
        ]
        var content = entry.prevHash + "\n"
        for field in fields {
            content += "\(field.utf8.count):\(field)\n"
        }
        return SHA256Hex.of(content)
    }

    static func canonicalJSON(_ details: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(details)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
