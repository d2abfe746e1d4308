/// Session charting (issue 5): devices and consumable lots, consent templates and signed
/// consents, treatment sessions (draft → signed, then immutable), amendments, the lots a
/// session used (recall), adverse events and the clinic's charting settings.
///
/// `appointment_id` and `plan_version_id` are plain nullable columns; they gain their foreign
/// keys when the schedule and plans features land.
enum Migration0008Charting {
    static let migration = Migration(id: "0008-charting") { engine in
        var statements = [
            """
            CREATE TABLE devices (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                model TEXT NOT NULL,
                manufacturer TEXT NOT NULL,
                device_type TEXT NOT NULL CHECK (device_type IN ('roller', 'stamp', 'motorized-pen', 'rf-microneedling')),
                max_depth_mm DOUBLE PRECISION NOT NULL CHECK (max_depth_mm > 0),
                needle_geometry TEXT NOT NULL,
                needle_count {int} NOT NULL CHECK (needle_count > 0),
                puncture_rate TEXT,
                serial_number TEXT NOT NULL,
                last_service_on TEXT,
                next_service_due TEXT,
                active {bool} NOT NULL,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                version {int} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX devices_serial ON devices (clinic_id, serial_number)",
            """
            CREATE TABLE consumable_lots (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                kind TEXT NOT NULL CHECK (kind IN ('cartridge', 'topical', 'prp-kit', 'anesthetic')),
                product TEXT NOT NULL,
                lot_number TEXT NOT NULL,
                expires_on TEXT NOT NULL,
                quantity {int} NOT NULL CHECK (quantity >= 0),
                received_on TEXT NOT NULL,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                version {int} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX consumable_lots_number ON consumable_lots (clinic_id, kind, product, lot_number)",
            "CREATE INDEX consumable_lots_lot_number ON consumable_lots (clinic_id, lot_number)",
            """
            CREATE TABLE charting_settings (
                clinic_id {uuid} PRIMARY KEY REFERENCES clinics(id),
                max_depth_mm DOUBLE PRECISION,
                before_photo_count {int} NOT NULL,
                before_photo_views TEXT NOT NULL,
                erythema_hours {int} NOT NULL,
                edema_hours {int} NOT NULL,
                updated_at {ts} NOT NULL,
                version {int} NOT NULL
            )
            """,
            """
            CREATE TABLE consent_templates (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                kind TEXT NOT NULL CHECK (kind IN ('microneedling', 'rf-microneedling', 'photo-use', 'research')),
                template_version {int} NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                created_by {uuid} NOT NULL REFERENCES staff_users(id),
                created_at {ts} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX consent_templates_version ON consent_templates (clinic_id, kind, template_version)",
            """
            CREATE TABLE consents (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                template_id {uuid} NOT NULL REFERENCES consent_templates(id),
                kind TEXT NOT NULL,
                template_version {int} NOT NULL,
                rendered_html TEXT NOT NULL,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                signer_name TEXT NOT NULL,
                signed_at {ts} NOT NULL,
                client_address TEXT NOT NULL,
                witnessed_by {uuid} NOT NULL REFERENCES staff_users(id)
            )
            """,
            "CREATE INDEX consents_patient ON consents (clinic_id, patient_id, kind, signed_at)",
            """
            CREATE TABLE consent_withdrawals (
                consent_id {uuid} PRIMARY KEY REFERENCES consents(id),
                withdrawn_at {ts} NOT NULL,
                reason TEXT NOT NULL,
                recorded_by {uuid} NOT NULL REFERENCES staff_users(id)
            )
            """,
            """
            CREATE TABLE treatment_sessions (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                status TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
                modality TEXT NOT NULL,
                performed_on TEXT NOT NULL,
                device_id {uuid} NOT NULL REFERENCES devices(id),
                cartridge_lot_id {uuid} REFERENCES consumable_lots(id),
                chart {json} NOT NULL,
                warnings {json} NOT NULL,
                appointment_id {uuid},
                plan_version_id {uuid},
                practitioner_id {uuid} NOT NULL REFERENCES staff_users(id),
                consent_id {uuid} REFERENCES consents(id),
                checklist {json},
                postcare_version TEXT,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                signed_at {ts},
                signed_by {uuid} REFERENCES staff_users(id),
                version {int} NOT NULL
            )
            """,
            "CREATE INDEX treatment_sessions_patient ON treatment_sessions (clinic_id, patient_id, performed_on)",
            "CREATE INDEX treatment_sessions_device ON treatment_sessions (device_id)",
            """
            CREATE TABLE session_lots (
                session_id {uuid} NOT NULL REFERENCES treatment_sessions(id),
                lot_id {uuid} NOT NULL REFERENCES consumable_lots(id),
                role TEXT NOT NULL,
                PRIMARY KEY (session_id, lot_id, role)
            )
            """,
            "CREATE INDEX session_lots_lot ON session_lots (lot_id)",
            """
            CREATE TABLE session_amendments (
                id {uuid} PRIMARY KEY,
                session_id {uuid} NOT NULL REFERENCES treatment_sessions(id),
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                author_id {uuid} NOT NULL REFERENCES staff_users(id),
                at {ts} NOT NULL,
                reason TEXT NOT NULL,
                changed_fields TEXT NOT NULL,
                before_json {json} NOT NULL,
                after_json {json} NOT NULL
            )
            """,
            "CREATE INDEX session_amendments_session ON session_amendments (session_id, at)",
            """
            CREATE TABLE adverse_events (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                session_id {uuid} REFERENCES treatment_sessions(id),
                term TEXT NOT NULL,
                onset_on TEXT NOT NULL,
                grade {int} NOT NULL CHECK (grade BETWEEN 1 AND 5),
                serious {bool} NOT NULL,
                relatedness TEXT NOT NULL,
                action_taken TEXT,
                outcome TEXT NOT NULL,
                resolved_on TEXT,
                lot_ids TEXT NOT NULL,
                products TEXT,
                duration_hours DOUBLE PRECISION,
                notes TEXT,
                reported_by {uuid} NOT NULL REFERENCES staff_users(id),
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                version {int} NOT NULL
            )
            """,
            "CREATE INDEX adverse_events_patient ON adverse_events (clinic_id, patient_id)",
            "CREATE INDEX adverse_events_open ON adverse_events (clinic_id, outcome)",
        ]
        // Signed sessions, signed consents, withdrawals and amendments are permanent records:
        // the database itself refuses to change them, as it does for the audit trail.
        let appendOnly = ["consent_templates", "consents", "consent_withdrawals", "session_amendments"]
        switch engine {
        case .sqlite:
            for table in appendOnly {
                statements += [
                    "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, '\(table) are append-only'); END",
                    "CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, '\(table) are append-only'); END",
                ]
            }
            statements += [
                "CREATE TRIGGER treatment_sessions_signed_no_update BEFORE UPDATE ON treatment_sessions WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, 'a signed session is immutable'); END",
                "CREATE TRIGGER treatment_sessions_signed_no_delete BEFORE DELETE ON treatment_sessions WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, 'a signed session is immutable'); END",
                "CREATE TRIGGER session_lots_signed_no_insert BEFORE INSERT ON session_lots WHEN (SELECT status FROM treatment_sessions WHERE id = NEW.session_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'a signed session is immutable'); END",
                "CREATE TRIGGER session_lots_signed_no_update BEFORE UPDATE ON session_lots WHEN (SELECT status FROM treatment_sessions WHERE id = OLD.session_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'a signed session is immutable'); END",
                "CREATE TRIGGER session_lots_signed_no_delete BEFORE DELETE ON session_lots WHEN (SELECT status FROM treatment_sessions WHERE id = OLD.session_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'a signed session is immutable'); END",
            ]
        case .postgres:
            statements += [
                """
                CREATE FUNCTION charting_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
                """,
                """
                CREATE FUNCTION treatment_sessions_signed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF OLD.status = 'signed' THEN RAISE EXCEPTION 'a signed session is immutable'; END IF;
                    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                    RETURN NEW;
                END $$
                """,
                """
                CREATE FUNCTION session_lots_signed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE s TEXT;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        SELECT status INTO s FROM treatment_sessions WHERE id = NEW.session_id;
                    ELSE
                        SELECT status INTO s FROM treatment_sessions WHERE id = OLD.session_id;
                    END IF;
                    IF s = 'signed' THEN RAISE EXCEPTION 'a signed session is immutable'; END IF;
                    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                    RETURN NEW;
                END $$
                """,
                "CREATE TRIGGER treatment_sessions_signed BEFORE UPDATE OR DELETE ON treatment_sessions FOR EACH ROW EXECUTE FUNCTION treatment_sessions_signed_immutable()",
                "CREATE TRIGGER treatment_sessions_no_truncate BEFORE TRUNCATE ON treatment_sessions FOR EACH STATEMENT EXECUTE FUNCTION charting_append_only()",
                "CREATE TRIGGER session_lots_signed BEFORE INSERT OR UPDATE OR DELETE ON session_lots FOR EACH ROW EXECUTE FUNCTION session_lots_signed_immutable()",
            ]
            for table in appendOnly {
                statements += [
                    "CREATE TRIGGER \(table)_no_change BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION charting_append_only()",
                    "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION charting_append_only()",
                ]
            }
        }
        return statements
    }
}
