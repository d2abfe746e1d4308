/// FHIR Bulk Data `$export` (issue 15): a job per kick-off, run under a lease any app server can
/// take (times from the database's clock, so servers with skewed clocks agree), and the NDJSON
/// files it wrote, kept in the database (not on one server's disk) until the job expires.
enum Migration0022FHIRExport {
    static let migration = Migration(id: "0022-fhir-export") { _ in
        [
            """
            CREATE TABLE fhir_export_jobs (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                requested_by {uuid} NOT NULL REFERENCES staff_users(id),
                request_url TEXT NOT NULL,
                level TEXT NOT NULL CHECK (level IN ('system', 'patient', 'group')),
                group_id {uuid},
                types TEXT,
                since {ts},
                status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'complete', 'failed', 'cancelled')),
                claimed_by TEXT,
                lease_until {ts},
                attempts {int} NOT NULL DEFAULT 0,
                patients_total {int} NOT NULL DEFAULT 0,
                patients_done {int} NOT NULL DEFAULT 0,
                resources_done {int} NOT NULL DEFAULT 0,
                polled_at {ts},
                transaction_time {ts},
                error TEXT,
                created_at {ts} NOT NULL,
                completed_at {ts},
                expires_at {ts} NOT NULL
            )
            """,
            "CREATE INDEX fhir_export_jobs_claimable ON fhir_export_jobs (status, lease_until)",
            "CREATE INDEX fhir_export_jobs_expiry ON fhir_export_jobs (expires_at)",
            """
            CREATE TABLE fhir_export_files (
                id {uuid} PRIMARY KEY,
                job_id {uuid} NOT NULL REFERENCES fhir_export_jobs(id) ON DELETE CASCADE,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                resource_type TEXT NOT NULL,
                part {int} NOT NULL,
                resource_count {int} NOT NULL,
                byte_count {int} NOT NULL,
                sha256 TEXT NOT NULL,
                content TEXT NOT NULL,
                created_at {ts} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX fhir_export_files_part ON fhir_export_files (job_id, resource_type, part)",
        ]
    }
}
