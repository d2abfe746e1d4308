import Foundation
import SQLKit

extension ScarDatabase {
    /// Makes sure `key` is the audit trail's key: the first server to start records its id; every
    /// later one must bring the same key. Returns nil when it does, or the reason it does not
    /// (another key's id is recorded, or the newest MAC'd entry does not verify under `key`).
    public func checkAuditKey(_ key: AuditKey) async throws -> String? {
        try await write { sql in
            if let row = try await sql.raw("SELECT seq, hash, mac FROM audit_log WHERE mac IS NOT NULL ORDER BY seq DESC LIMIT 1").first() {
                let seq = try row.decode(column: "seq", as: Int.self), hash = try row.decode(column: "hash", as: String.self)
                guard AuditKey.same(try row.decode(column: "mac", as: String.self), key.entryMAC(seq: seq, hash: hash)) else {
                    return "the newest MAC'd audit entry (\(seq)) does not verify under this server's audit key (id \(key.id))"
                }
            }
            try await sql.raw("""
                INSERT INTO audit_key_id (singleton, key_id, registered_at) VALUES (1, \(bind: key.id), \(bind: Date()))
                ON CONFLICT (singleton) DO NOTHING
                """).run()
            let recorded = try await sql.raw("SELECT key_id FROM audit_key_id WHERE singleton = 1").first()!.decode(column: "key_id", as: String.self)
            return recorded == key.id ? nil : "the audit trail is MAC'd under the key with id \(recorded); this server's key has id \(key.id)"
        }
    }
}
