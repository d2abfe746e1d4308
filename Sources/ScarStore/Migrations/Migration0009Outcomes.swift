/// Patient-reported outcomes: instrument id and version and raw responses only.
enum Migration0009Outcomes {
    static let migration = Migration(id: "0009-outcomes") { _ in
        [
            """
            CREATE TABLE patient_reported_outcomes (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                instrument TEXT NOT NULL,
                instrument_version TEXT NOT NULL,
                responses {json} NOT NULL,
                satisfaction {int},
                recorded_on TEXT NOT NULL,
                recorded_at {ts} NOT NULL,
                recorded_by {uuid} REFERENCES staff_users(id)
            )
            """,
            "CREATE INDEX patient_reported_outcomes_patient ON patient_reported_outcomes (patient_id, recorded_on)",
        ]
    }
}
