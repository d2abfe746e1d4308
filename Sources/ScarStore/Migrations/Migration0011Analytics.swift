/// Clinic analytics and the research export: per-clinic analytics settings (the depth-band
/// edges, a product choice the clinic can change, and the secret key behind stable
/// pseudonymous research ids), and indexes for the aggregate queries' paths — signed sessions
/// of a clinic by day (optionally one practitioner), sessions by plan version, adverse events of
/// a clinic by onset day and by session, intakes of a patient with a Fitzpatrick type.
enum Migration0011Analytics {
    static let migration = Migration(id: "0011-analytics") { _ in
        [
            """
            CREATE TABLE analytics_settings (
                clinic_id {uuid} PRIMARY KEY REFERENCES clinics(id),
                depth_band_edges TEXT NOT NULL,
                research_key TEXT NOT NULL CHECK (length(research_key) = 64),
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                version {int} NOT NULL
            )
            """,
            "CREATE INDEX treatment_sessions_clinic_signed_day ON treatment_sessions (clinic_id, status, performed_on, patient_id)",
            "CREATE INDEX treatment_sessions_clinic_practitioner_day ON treatment_sessions (clinic_id, practitioner_id, performed_on)",
            "CREATE INDEX treatment_sessions_plan_version ON treatment_sessions (plan_version_id)",
            "CREATE INDEX adverse_events_clinic_onset ON adverse_events (clinic_id, onset_on, patient_id)",
            "CREATE INDEX adverse_events_session ON adverse_events (session_id)",
            "CREATE INDEX intakes_patient_fitzpatrick ON intakes (patient_id, fitzpatrick, recorded_at)",
            "CREATE INDEX scar_assessments_clinic_day ON scar_assessments (clinic_id, assessed_on)",
        ]
    }
}
