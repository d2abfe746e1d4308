/// Split-face studies: design with its recorded randomization seed, participants with the
/// side their arm A went to, and per-side ratings.
enum Migration0010Studies {
    static let migration = Migration(id: "0010-studies") { _ in
        [
            """
            CREATE TABLE studies (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                title TEXT NOT NULL,
                protocol TEXT NOT NULL,
                arm_a TEXT NOT NULL,
                arm_b TEXT NOT NULL,
                outcome_scale TEXT NOT NULL,
                time_points {json} NOT NULL,
                target_enrolment {int} NOT NULL,
                block_sizes {json} NOT NULL,
                seed TEXT NOT NULL,
                created_by {uuid} REFERENCES staff_users(id),
                created_at {ts} NOT NULL
            )
            """,
            """
            CREATE TABLE study_participants (
                id {uuid} PRIMARY KEY,
                study_id {uuid} NOT NULL REFERENCES studies(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                number {int} NOT NULL,
                code TEXT NOT NULL,
                arm_a_side TEXT NOT NULL,
                research_consent TEXT NOT NULL,
                enrolled_at {ts} NOT NULL,
                enrolled_by {uuid} REFERENCES staff_users(id)
            )
            """,
            "CREATE UNIQUE INDEX study_participants_number ON study_participants (study_id, number)",
            "CREATE UNIQUE INDEX study_participants_patient ON study_participants (study_id, patient_id)",
            """
            CREATE TABLE study_measurements (
                id {uuid} PRIMARY KEY,
                study_id {uuid} NOT NULL REFERENCES studies(id),
                participant_id {uuid} NOT NULL REFERENCES study_participants(id),
                time_point TEXT NOT NULL,
                side TEXT NOT NULL,
                value REAL NOT NULL,
                rater_id {uuid} REFERENCES staff_users(id),
                rated_at {ts} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX study_measurements_once ON study_measurements (participant_id, time_point, side)",
        ]
    }
}
