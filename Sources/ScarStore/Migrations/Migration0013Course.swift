/// The course feature (issues 4 and 5, remaining parts):
/// - appointments record their completion by a signed session (`completed_at`, `completed_on`,
///   `session_id`); the status stays `checked-in`, so a completed session still holds its slot;
/// - rooms and bookable devices gain a `version` for edits and deactivation;
/// - clinic-edited post-care sheets (`postcare_templates`): one row per clinic, modality and
///   version; version 1 is always the shipped sheet, so rows start at version 2 and are never
///   changed or deleted (triggers refuse it).
enum Migration0013Course {
    static let migration = Migration(id: "0013-course") { engine in
        var statements = [
            "ALTER TABLE appointments ADD COLUMN completed_at {ts}",
            "ALTER TABLE appointments ADD COLUMN completed_on TEXT",
            "ALTER TABLE appointments ADD COLUMN session_id {uuid}",
            "ALTER TABLE rooms ADD COLUMN version {int} NOT NULL DEFAULT 1",
            "ALTER TABLE bookable_devices ADD COLUMN version {int} NOT NULL DEFAULT 1",
            """
            CREATE TABLE postcare_templates (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                modality TEXT NOT NULL CHECK (modality IN ('microneedling', 'rf-microneedling')),
                version {int} NOT NULL CHECK (version >= 2),
                title TEXT NOT NULL,
                sections {json} NOT NULL,
                created_at {ts} NOT NULL,
                created_by {uuid} REFERENCES staff_users(id)
            )
            """,
            "CREATE UNIQUE INDEX postcare_templates_version ON postcare_templates (clinic_id, modality, version)",
        ]
        switch engine {
        case .sqlite:
            statements += [
                """
                CREATE TRIGGER postcare_templates_no_update BEFORE UPDATE ON postcare_templates
                BEGIN SELECT RAISE(ABORT, 'post-care template versions are immutable'); END
                """,
                """
                CREATE TRIGGER postcare_templates_no_delete BEFORE DELETE ON postcare_templates
                BEGIN SELECT RAISE(ABORT, 'post-care template versions are immutable'); END
                """,
            ]
        case .postgres:
            statements += [
                """
                CREATE FUNCTION postcare_templates_immutable() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'post-care template versions are immutable'; END $$ LANGUAGE plpgsql
                """,
                """
                CREATE TRIGGER postcare_templates_no_change BEFORE UPDATE OR DELETE ON postcare_templates
                FOR EACH ROW EXECUTE FUNCTION postcare_templates_immutable()
                """,
            ]
        }
        return statements
    }
}
