/// The public id (`AuditKey.id`, never the key) of the key the audit trail is MAC'd under, set by
/// the first server that starts. Several app servers on one database must share one key; a server
/// that brings another (each made its own `audit.key` in its own data folder) is refused at start
/// instead of writing entries that no key verifies as a whole.
enum Migration0029AuditKeyId {
    static let migration = Migration(id: "0029-audit-key-id") { _ in
        [
            """
            CREATE TABLE audit_key_id (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                key_id TEXT NOT NULL,
                registered_at {ts} NOT NULL
            )
            """,
        ]
    }
}
