/// The clinic analytics' facts (issue 16): per signed session, per assessment and per patient,
/// kept up to date by their writers in the same transaction (`AnalyticsFacts`), so the dashboard
/// aggregates indexed rows instead of every chart's JSON. Existing records are back-filled here
/// with the same statements the writers use. On SQLite the session facts are stored in
/// (clinic, patient) order, so one clinic's facts are read in one pass without a sort.
enum Migration0035AnalyticsFacts {
    static let migration = Migration(id: "0035-analytics-facts") { engine in
        let clustered = engine == .sqlite ? " WITHOUT ROWID" : ""
        let real = engine == .sqlite ? "REAL" : "DOUBLE PRECISION"
        let sessionKey = engine == .sqlite ? "PRIMARY KEY (clinic_id, patient_id, session_id)" : "PRIMARY KEY (session_id)"
        let sessionIndex = engine == .sqlite
            ? "CREATE UNIQUE INDEX analytics_session_facts_session ON analytics_session_facts (session_id)"
            : "CREATE INDEX analytics_session_facts_patient ON analytics_session_facts (clinic_id, patient_id, performed_on)"
        return [
            """
            CREATE TABLE analytics_session_facts (
                session_id {uuid} NOT NULL,
                clinic_id {uuid} NOT NULL,
                patient_id {uuid} NOT NULL,
                performed_on TEXT NOT NULL,
                practitioner_id {uuid} NOT NULL,
                template_id {uuid},
                modality TEXT NOT NULL,
                planned {int},
                max_depth \(real),
                prp {int} NOT NULL,
                \(sessionKey)
            )\(clustered)
            """,
            sessionIndex,
            """
            CREATE TABLE analytics_assessment_facts (
                patient_id {uuid} NOT NULL,
                seq {int} NOT NULL,
                clinic_id {uuid} NOT NULL,
                assessment_id {uuid} NOT NULL,
                assessed_on TEXT NOT NULL,
                grade {int} NOT NULL,
                gbq {int},
                ecca {int},
                PRIMARY KEY (patient_id, seq)
            )\(clustered)
            """,
            "CREATE INDEX analytics_assessment_facts_assessment ON analytics_assessment_facts (assessment_id)",
            "CREATE INDEX analytics_assessment_facts_clinic ON analytics_assessment_facts (clinic_id)",
            """
            CREATE TABLE analytics_patient_facts (
                patient_id {uuid} NOT NULL PRIMARY KEY,
                clinic_id {uuid} NOT NULL,
                fitzpatrick {int},
                baseline_on TEXT,
                b_grade {int},
                b_gbq {int},
                b_ecca {int},
                dominant TEXT,
                first_response_on TEXT,
                latest_seq {int},
                latest_on TEXT,
                l_grade {int},
                l_gbq {int},
                l_ecca {int}
            )\(clustered)
            """,
            "CREATE INDEX analytics_patient_facts_clinic ON analytics_patient_facts (clinic_id)",
        ] + AnalyticsFacts.backfill(engine)
    }
}
