/// Scar assessments: one row per assessment, its ten zone findings, and one row per scale with
/// the inputs and the result as computed when it was saved (scale id and version included, so a
/// later scale version never changes an old result). Assessments are clinical records and are
/// append-only: the database itself refuses UPDATE and DELETE, as it does for the audit trail.
enum Migration0003Assessments {
    static let migration = Migration(id: "0003-assessments") { engine in
        var statements = [
            """
            CREATE TABLE scar_assessments (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                rater_id {uuid} NOT NULL REFERENCES staff_users(id),
                assessed_on TEXT NOT NULL,
                blinded {bool} NOT NULL,
                notes TEXT,
                hypertrophic_area_cm2 DOUBLE PRECISION NOT NULL,
                created_at {ts} NOT NULL
            )
            """,
            // "Assessments of a patient by date", newest first, always within one clinic.
            "CREATE INDEX scar_assessments_patient_date ON scar_assessments (clinic_id, patient_id, assessed_on, created_at)",
            "CREATE INDEX scar_assessments_rater ON scar_assessments (rater_id)",
            """
            CREATE TABLE scar_assessment_zones (
                assessment_id {uuid} NOT NULL REFERENCES scar_assessments(id),
                zone TEXT NOT NULL,
                ice_pick {int} NOT NULL,
                boxcar {int} NOT NULL,
                rolling {int} NOT NULL,
                hypertrophic {int} NOT NULL,
                keloidal {int} NOT NULL,
                macular {int} NOT NULL,
                size_class TEXT,
                depth_class TEXT,
                PRIMARY KEY (assessment_id, zone)
            )
            """,
            """
            CREATE TABLE scar_assessment_scores (
                assessment_id {uuid} NOT NULL REFERENCES scar_assessments(id),
                scale_id TEXT NOT NULL,
                scale_version TEXT NOT NULL,
                input {json} NOT NULL,
                result {json} NOT NULL,
                total {int} NOT NULL,
                PRIMARY KEY (assessment_id, scale_id)
            )
            """,
        ]
        let tables = ["scar_assessments", "scar_assessment_zones", "scar_assessment_scores"]
        switch engine {
        case .sqlite:
            for table in tables {
                statements += [
                    "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, 'scar assessments are append-only'); END",
                    "CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, 'scar assessments are append-only'); END",
                ]
            }
        case .postgres:
            statements.append("""
                CREATE FUNCTION scar_assessments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'scar assessments are append-only'; END $$
                """)
            for table in tables {
                statements += [
                    "CREATE TRIGGER \(table)_no_change BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION scar_assessments_append_only()",
                    "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION scar_assessments_append_only()",
                ]
            }
        }
        return statements
    }
}
