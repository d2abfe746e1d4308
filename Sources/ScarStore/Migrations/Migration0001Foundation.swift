/// Clinics, staff and their sign-in sessions, patients, and the hash-chained audit trail.
enum Migration0001Foundation {
    static let migration = Migration(id: "0001-foundation") { engine in
        var statements = [
            """
            CREATE TABLE clinics (
                id {uuid} PRIMARY KEY,
                name TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                created_at {ts} NOT NULL
            )
            """,
            """
            CREATE TABLE staff_users (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                email TEXT NOT NULL,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                active {bool} NOT NULL,
                password_changed_at {ts} NOT NULL,
                created_at {ts} NOT NULL,
                version {int} NOT NULL
            )
            """,
            // Emails are stored lower-cased, so one account per address regardless of case.
            "CREATE UNIQUE INDEX staff_users_email ON staff_users (email)",
            // Only a SHA-256 of each session token is stored: a copy of the database cannot be
            // used to take over a signed-in session.
            """
            CREATE TABLE auth_sessions (
                token_hash TEXT PRIMARY KEY,
                user_id {uuid} NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                created_at {ts} NOT NULL,
                last_seen_at {ts} NOT NULL,
                expires_at {ts} NOT NULL,
                client_address TEXT NOT NULL
            )
            """,
            "CREATE INDEX auth_sessions_user ON auth_sessions (user_id)",
            """
            CREATE TABLE sign_in_failures (
                id {uuid} PRIMARY KEY,
                account TEXT NOT NULL,
                client_address TEXT NOT NULL,
                at {ts} NOT NULL
            )
            """,
            "CREATE INDEX sign_in_failures_account ON sign_in_failures (account, at)",
            "CREATE INDEX sign_in_failures_address ON sign_in_failures (client_address, at)",
            """
            CREATE TABLE patients (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                given_name TEXT NOT NULL,
                family_name TEXT NOT NULL,
                search_name TEXT NOT NULL,
                date_of_birth TEXT NOT NULL,
                sex TEXT NOT NULL,
                mrn TEXT NOT NULL,
                phone TEXT,
                email TEXT,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                version {int} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX patients_clinic_mrn ON patients (clinic_id, mrn)",
            "CREATE INDEX patients_clinic_name ON patients (clinic_id, family_name, given_name)",
            "CREATE INDEX patients_clinic_dob ON patients (clinic_id, date_of_birth)",
            """
            CREATE TABLE clinic_counters (
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                name TEXT NOT NULL,
                value {int} NOT NULL,
                PRIMARY KEY (clinic_id, name)
            )
            """,
            // seq is assigned by the writer (previous + 1) under the write lock, so a gap in
            // the sequence is itself evidence of a removed entry.
            """
            CREATE TABLE audit_log (
                seq {int} PRIMARY KEY,
                id {uuid} NOT NULL UNIQUE,
                at {ts} NOT NULL,
                clinic_id {uuid},
                actor_id {uuid},
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                record_type TEXT,
                record_id TEXT,
                patient_id {uuid},
                client_address TEXT NOT NULL,
                details TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_clinic_at ON audit_log (clinic_id, at)",
            "CREATE INDEX audit_log_patient ON audit_log (patient_id, seq)",
            "CREATE INDEX audit_log_actor ON audit_log (actor_id, seq)",
        ]
        // Append-only, enforced by the database itself and not only by our code.
        switch engine {
        case .sqlite:
            statements += [
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            ]
        case .postgres:
            statements += [
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """,
                "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
                "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
                "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC",
            ]
        }
        return statements
    }
}
