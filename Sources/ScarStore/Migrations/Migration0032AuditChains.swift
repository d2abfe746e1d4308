/// One audit chain per clinic (issue 16): `chain_seq` numbers each clinic's entries (and the
/// installation's own, with no clinic) without gaps; the unique index keeps two entries from
/// taking one place in a clinic's chain. Entries already written keep `chain_seq` NULL and go on
/// verifying as the one installation-wide chain they were written as (the legacy prefix); the
/// partial index finds that chain's last entry, which each clinic's first entry links to.
/// PostgreSQL: `seq` comes from a sequence from now on, so appenders of different clinics need no
/// common lock; it starts after the newest entry.
enum Migration0032AuditChains {
    static let migration = Migration(id: "0032-audit-chains") { engine in
        var statements = [
            "ALTER TABLE audit_log ADD COLUMN chain_seq {int}",
            "CREATE UNIQUE INDEX audit_log_chain ON audit_log (clinic_id, chain_seq)",
            "CREATE INDEX audit_log_legacy ON audit_log (seq) WHERE chain_seq IS NULL",
        ]
        if engine == .postgres {
            statements += [
                "CREATE SEQUENCE audit_log_seq AS BIGINT",
                "SELECT setval('audit_log_seq', COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1, false)",
            ]
        }
        return statements
    }
}
