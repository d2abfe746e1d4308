/// Two-factor sign-in (TOTP, RFC 6238) with one-time recovery codes, the half-signed-in state
/// between password and code, and — on PostgreSQL — privileges that make the audit trail
/// append-only for every role but its owner, beyond the triggers of `0001-foundation`.
enum Migration0012TwoFactor {
    static let migration = Migration(id: "0012-two-factor") { engine in
        var statements = [
            """
            CREATE TABLE staff_second_factor (
                user_id {uuid} PRIMARY KEY REFERENCES staff_users(id),
                secret TEXT NOT NULL,
                enabled {bool} NOT NULL DEFAULT FALSE,
                last_step {int} NOT NULL DEFAULT 0,
                created_at {ts} NOT NULL,
                enabled_at {ts}
            )
            """,
            """
            CREATE TABLE staff_recovery_codes (
                id {uuid} PRIMARY KEY,
                user_id {uuid} NOT NULL REFERENCES staff_users(id),
                code_hash TEXT NOT NULL,
                used_at {ts}
            )
            """,
            "CREATE INDEX staff_recovery_codes_user ON staff_recovery_codes (user_id, code_hash)",
            """
            CREATE TABLE pending_sign_ins (
                token_hash TEXT PRIMARY KEY,
                user_id {uuid} NOT NULL REFERENCES staff_users(id),
                kind TEXT NOT NULL,
                client_address TEXT NOT NULL,
                created_at {ts} NOT NULL,
                expires_at {ts} NOT NULL
            )
            """,
        ]
        if engine == .postgres {
            // No role but the table's owner may change or empty the audit trail, whatever
            // grants a deployment adds later to PUBLIC. `scartrack migrate --app-role` grants
            // the serving role SELECT and INSERT only on it.
            statements.append("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC")
        }
        return statements
    }
}
