/// CSV import (issue 15): one row per imported batch (which file by its SHA-256, who, when, the
/// counts), and the source-id map that makes re-running the same file change nothing.
enum Migration0023Import {
    static let migration = Migration(id: "0023-import") { _ in
        [
            """
            CREATE TABLE import_batches (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                run_id {uuid} NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('patients', 'appointments')),
                file_sha256 TEXT NOT NULL,
                file_name TEXT NOT NULL,
                imported_by TEXT NOT NULL,
                imported_by_id {uuid},
                imported_at {ts} NOT NULL,
                batch_number {int} NOT NULL,
                rows_in_batch {int} NOT NULL,
                imported {int} NOT NULL,
                already_imported {int} NOT NULL,
                held_for_review {int} NOT NULL
            )
            """,
            "CREATE INDEX import_batches_clinic ON import_batches (clinic_id, imported_at)",
            """
            CREATE TABLE import_sources (
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                kind TEXT NOT NULL CHECK (kind IN ('patients', 'appointments')),
                source_id TEXT NOT NULL,
                record_id {uuid} NOT NULL,
                batch_id {uuid} NOT NULL REFERENCES import_batches(id),
                PRIMARY KEY (clinic_id, kind, source_id)
            )
            """,
        ]
    }
}
