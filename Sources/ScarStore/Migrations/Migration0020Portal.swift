/// The patient portal's own sign-in realm (issue 14): invitations (who may use the portal, with
/// which e-mail), one-time sign-in codes and links (only their SHA-256 hashes), portal sessions
/// (short-lived, ended by the clinic when it revokes access) and the attempts the throttle counts.
/// The outbox learns to carry messages that belong to no appointment (invitations, codes), and
/// consents and intakes record whether the patient entered them in the portal.
enum Migration0020Portal {
    static let migration = Migration(id: "0020-portal") { engine in
        var statements = [
            """
            CREATE TABLE portal_invitations (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                email TEXT NOT NULL,
                invited_by {uuid} NOT NULL REFERENCES staff_users(id),
                invited_at {ts} NOT NULL,
                accepted_at {ts},
                revoked_at {ts},
                revoked_by {uuid} REFERENCES staff_users(id)
            )
            """,
            "CREATE UNIQUE INDEX portal_invitations_active_patient ON portal_invitations (patient_id) WHERE revoked_at IS NULL",
            "CREATE UNIQUE INDEX portal_invitations_active_email ON portal_invitations (email) WHERE revoked_at IS NULL",
            """
            CREATE TABLE portal_codes (
                id {uuid} PRIMARY KEY,
                invitation_id {uuid} NOT NULL REFERENCES portal_invitations(id),
                purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'sign-in')),
                code_hash TEXT NOT NULL CHECK (length(code_hash) = 64),
                link_hash TEXT NOT NULL CHECK (length(link_hash) = 64),
                created_at {ts} NOT NULL,
                expires_at {ts} NOT NULL,
                used_at {ts}
            )
            """,
            "CREATE UNIQUE INDEX portal_codes_link ON portal_codes (link_hash)",
            "CREATE INDEX portal_codes_invitation ON portal_codes (invitation_id, expires_at)",
            """
            CREATE TABLE portal_sessions (
                token_hash TEXT PRIMARY KEY,
                invitation_id {uuid} NOT NULL REFERENCES portal_invitations(id),
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                csrf_token TEXT NOT NULL,
                created_at {ts} NOT NULL,
                last_seen_at {ts} NOT NULL,
                expires_at {ts} NOT NULL,
                client_address TEXT NOT NULL
            )
            """,
            "CREATE INDEX portal_sessions_patient ON portal_sessions (patient_id)",
            """
            CREATE TABLE portal_attempts (
                id {uuid} PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('code-request', 'code-entry')),
                account TEXT NOT NULL,
                client_address TEXT NOT NULL,
                at {ts} NOT NULL
            )
            """,
            "CREATE INDEX portal_attempts_account ON portal_attempts (kind, account, at)",
            "CREATE INDEX portal_attempts_address ON portal_attempts (kind, client_address, at)",
            "ALTER TABLE consents ADD COLUMN signed_via TEXT NOT NULL DEFAULT 'clinic'",
            "ALTER TABLE intakes ADD COLUMN entered_via TEXT NOT NULL DEFAULT 'clinic'",
            """
            CREATE TABLE portal_settings (
                clinic_id {uuid} PRIMARY KEY REFERENCES clinics(id),
                show_photos {int} NOT NULL DEFAULT 0
            )
            """,
        ]
        switch engine {
        case .postgres:
            statements.append("ALTER TABLE message_outbox ALTER COLUMN appointment_id DROP NOT NULL")
        case .sqlite:
            // SQLite cannot drop NOT NULL: the table is rebuilt (nothing references it) with the same rows and indexes.
            statements += [
                """
                CREATE TABLE message_outbox_new (
                    id {uuid} PRIMARY KEY,
                    clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                    patient_id {uuid} NOT NULL REFERENCES patients(id),
                    appointment_id {uuid} REFERENCES appointments(id),
                    kind TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    source TEXT,
                    due_at {ts} NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'withdrawn', 'failed')),
                    idempotency_key TEXT NOT NULL,
                    attempts {int} NOT NULL,
                    lease_until {ts},
                    claimed_by TEXT,
                    sent_at {ts},
                    last_error TEXT,
                    created_at {ts} NOT NULL
                )
                """,
                """
                INSERT INTO message_outbox_new (id, clinic_id, patient_id, appointment_id, kind, recipient, subject, body, source, due_at, status,
                    idempotency_key, attempts, lease_until, claimed_by, sent_at, last_error, created_at)
                SELECT id, clinic_id, patient_id, appointment_id, kind, recipient, subject, body, source, due_at, status,
                    idempotency_key, attempts, lease_until, claimed_by, sent_at, last_error, created_at FROM message_outbox
                """,
                "DROP TABLE message_outbox",
                "ALTER TABLE message_outbox_new RENAME TO message_outbox",
                "CREATE UNIQUE INDEX message_outbox_key ON message_outbox (idempotency_key)",
                "CREATE INDEX message_outbox_due ON message_outbox (status, due_at)",
                "CREATE INDEX message_outbox_appointment ON message_outbox (appointment_id)",
            ]
        }
        return statements
    }
}
