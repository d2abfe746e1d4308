/// What the patient reports between visits (issue 14, part B): answers to the questions before a
/// session, daily check-ins after one, problem reports, the photos with them, and the suspected
/// adverse events a clinician confirms or dismisses. Plus the clinic's check-in days.
enum Migration0021CheckIns {
    static let migration = Migration(id: "0021-check-ins") { _ in
        [
            """
            CREATE TABLE pre_session_answers (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                appointment_id {uuid} NOT NULL REFERENCES appointments(id),
                answers {json} NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('proceed', 'clinic-review', 'defer')),
                answered_at {ts} NOT NULL
            )
            """,
            "CREATE INDEX pre_session_answers_appointment ON pre_session_answers (clinic_id, appointment_id, answered_at)",
            """
            CREATE TABLE check_ins (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                session_id {uuid} NOT NULL REFERENCES treatment_sessions(id),
                day {int} NOT NULL CHECK (day >= 0),
                answers {json} NOT NULL,
                beyond_expected {bool} NOT NULL,
                reasons {json} NOT NULL,
                checked_in_at {ts} NOT NULL,
                UNIQUE (session_id, day)
            )
            """,
            "CREATE INDEX check_ins_patient ON check_ins (clinic_id, patient_id, checked_in_at)",
            """
            CREATE TABLE problem_reports (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                session_id {uuid} REFERENCES treatment_sessions(id),
                description TEXT NOT NULL,
                signs {json} NOT NULL,
                reported_at {ts} NOT NULL
            )
            """,
            "CREATE INDEX problem_reports_patient ON problem_reports (clinic_id, patient_id, reported_at)",
            """
            CREATE TABLE reported_photos (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                check_in_id {uuid} REFERENCES check_ins(id),
                problem_report_id {uuid} REFERENCES problem_reports(id),
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
                byte_size {int} NOT NULL CHECK (byte_size > 0),
                width {int} NOT NULL CHECK (width > 0),
                height {int} NOT NULL CHECK (height > 0),
                uploaded_at {ts} NOT NULL,
                CHECK ((check_in_id IS NULL) <> (problem_report_id IS NULL))
            )
            """,
            "CREATE INDEX reported_photos_patient ON reported_photos (clinic_id, patient_id)",
            "CREATE INDEX reported_photos_sha256 ON reported_photos (sha256)",
            """
            CREATE TABLE suspected_adverse_events (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                session_id {uuid} REFERENCES treatment_sessions(id),
                check_in_id {uuid} REFERENCES check_ins(id),
                problem_report_id {uuid} REFERENCES problem_reports(id),
                reasons {json} NOT NULL,
                suggested_term TEXT,
                state TEXT NOT NULL CHECK (state IN ('open', 'confirmed', 'dismissed')),
                adverse_event_id {uuid} REFERENCES adverse_events(id),
                decided_by {uuid} REFERENCES staff_users(id),
                decided_at {ts},
                dismiss_reason TEXT,
                created_at {ts} NOT NULL,
                CHECK ((check_in_id IS NULL) <> (problem_report_id IS NULL)),
                CHECK (state <> 'confirmed' OR adverse_event_id IS NOT NULL),
                CHECK (state = 'open' OR decided_by IS NOT NULL)
            )
            """,
            "CREATE INDEX suspected_adverse_events_open ON suspected_adverse_events (clinic_id, state, created_at)",
            "ALTER TABLE charting_settings ADD COLUMN check_in_days TEXT NOT NULL DEFAULT '1,2,3,7'",
        ]
    }
}
