/// Issue 13's tablet patient mode: a staff sign-in session can be handed to a patient to sign a
/// consent. The lock lives on the session row, so every app server refuses the session everything
/// else until a member of staff ends it (`HandTabletToPatient`, `TakeTabletBack`).
enum Migration0038PatientMode {
    static let migration = Migration(id: "0038-patient-mode") { _ in
        [
            "ALTER TABLE auth_sessions ADD COLUMN patient_mode_patient_id {uuid} REFERENCES patients(id)",
            "ALTER TABLE auth_sessions ADD COLUMN patient_mode_kind TEXT",
            "ALTER TABLE auth_sessions ADD COLUMN patient_mode_started_at {ts}",
            "ALTER TABLE auth_sessions ADD COLUMN patient_mode_consent_id {uuid}",
        ]
    }
}
