/// Medical-history intakes (append-only, one row per intake), the screening results computed
/// from them (each with the rule-set version it used), practitioners' acknowledgements, and
/// each clinic's adjusted rule sets.
enum Migration0002IntakeScreening {
    static let migration = Migration(id: "0002-intake-screening") { _ in
        [
            """
            CREATE TABLE intakes (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                recorded_on TEXT NOT NULL,
                recorded_at {ts} NOT NULL,
                recorded_by {uuid} REFERENCES staff_users(id),
                fitzpatrick {int},
                data {json} NOT NULL
            )
            """,
            "CREATE INDEX intakes_patient ON intakes (patient_id, recorded_at)",
            """
            CREATE TABLE rule_sets (
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                version TEXT NOT NULL,
                rules {json} NOT NULL,
                created_at {ts} NOT NULL,
                created_by {uuid} REFERENCES staff_users(id),
                PRIMARY KEY (clinic_id, version)
            )
            """,
            "CREATE INDEX rule_sets_latest ON rule_sets (clinic_id, created_at)",
            """
            CREATE TABLE screenings (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                intake_id {uuid} NOT NULL REFERENCES intakes(id),
                modality TEXT NOT NULL,
                as_of TEXT NOT NULL,
                outcome TEXT NOT NULL,
                defer_until TEXT,
                rule_set_version TEXT NOT NULL,
                result {json} NOT NULL,
                screened_at {ts} NOT NULL
            )
            """,
            // One stored result per intake, modality, day and rule-set version: looking at a
            // patient every few minutes does not pile up identical rows.
            "CREATE UNIQUE INDEX screenings_once ON screenings (intake_id, modality, as_of, rule_set_version)",
            "CREATE INDEX screenings_patient ON screenings (patient_id, screened_at)",
            """
            CREATE TABLE screening_acknowledgements (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                intake_id {uuid} NOT NULL REFERENCES intakes(id),
                rule TEXT NOT NULL,
                modality TEXT NOT NULL,
                reason TEXT NOT NULL,
                acknowledged_by {uuid} NOT NULL REFERENCES staff_users(id),
                acknowledged_by_label TEXT NOT NULL,
                acknowledged_at {ts} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX screening_acknowledgements_once ON screening_acknowledgements (intake_id, rule, modality)",
        ]
    }
}
