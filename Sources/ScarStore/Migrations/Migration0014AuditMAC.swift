/// Issue 11, item 2: each audit entry may carry `mac`, HMAC-SHA-256 of its hash under the audit
/// key kept outside the database (`AuditKey`). Entries written before this migration (or by a
/// process without the key) have none; `audit verify` reports them as pre-key and still checks
/// their place in the chain.
enum Migration0014AuditMAC {
    static let migration = Migration(id: "0014-audit-mac") { _ in
        ["ALTER TABLE audit_log ADD COLUMN mac TEXT"]
    }
}
