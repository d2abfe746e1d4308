/// FHIR Bulk Data export files stored as they are written, in chunks of whole NDJSON lines
/// (`fhir_export_chunks`), instead of one value per file: an export holds one chunk per type in
/// memory, not a whole file (up to its part size), and a download streams the chunks in order.
/// Files already stored become their own single chunk.
enum Migration0036ExportChunks {
    static let migration = Migration(id: "0036-export-chunks") { engine in
        [
            """
            CREATE TABLE fhir_export_chunks (
                file_id {uuid} NOT NULL,
                seq {int} NOT NULL,
                job_id {uuid} NOT NULL REFERENCES fhir_export_jobs(id) ON DELETE CASCADE,
                content {bytes} NOT NULL,
                PRIMARY KEY (file_id, seq)
            )
            """,
            "CREATE INDEX fhir_export_chunks_job ON fhir_export_chunks (job_id)",
            "ALTER TABLE fhir_export_files ADD COLUMN chunks {int} NOT NULL DEFAULT 1",
            """
            INSERT INTO fhir_export_chunks (file_id, seq, job_id, content)
            SELECT id, 0, job_id, \(engine == .postgres ? "convert_to(content, 'UTF8')" : "CAST(content AS BLOB)") FROM fhir_export_files
            """,
            "ALTER TABLE fhir_export_files DROP COLUMN content",
        ]
    }
}
