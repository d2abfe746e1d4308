/// The portal's follow-ups (issue 14): outcome answers the patient enters themselves (who entered
/// them, and the follow-up visit they belong to), the clinic's portal settings (the outcome
/// questionnaire it holds a licence for, the notice for change requests), and the patient's
/// requests to change or cancel an appointment.
enum Migration0025PortalFollowUps {
    static let migration = Migration(id: "0025-portal-follow-ups") { _ in
        [
            "ALTER TABLE patient_reported_outcomes ADD COLUMN entered_via TEXT NOT NULL DEFAULT 'clinic'",
            "ALTER TABLE patient_reported_outcomes ADD COLUMN appointment_id {uuid} REFERENCES appointments(id)",
            "CREATE INDEX patient_reported_outcomes_appointment ON patient_reported_outcomes (appointment_id)",
            "ALTER TABLE portal_settings ADD COLUMN outcome_version TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE portal_settings ADD COLUMN outcome_items TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE portal_settings ADD COLUMN change_notice_hours {int} NOT NULL DEFAULT 48",
            """
            CREATE TABLE appointment_change_requests (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                appointment_id {uuid} NOT NULL REFERENCES appointments(id),
                kind TEXT NOT NULL CHECK (kind IN ('change', 'cancel')),
                reason TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
                reply TEXT NOT NULL DEFAULT '',
                created_at {ts} NOT NULL,
                decided_at {ts},
                decided_by {uuid} REFERENCES staff_users(id)
            )
            """,
            "CREATE INDEX appointment_change_requests_open ON appointment_change_requests (clinic_id, status, created_at)",
            "CREATE UNIQUE INDEX appointment_change_requests_one_open ON appointment_change_requests (appointment_id) WHERE status = 'open'",
        ]
    }
}
