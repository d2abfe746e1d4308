/// Protocol templates and treatment plans. A template is a stable id with numbered versions
/// (an edit adds a version; plans keep the version they used). A plan is a stable `plan_id`
/// with numbered versions (`treatment_plan_versions.id` is the `plan_version_id` later
/// sessions reference); a change after approval adds a version that `supersedes` the
/// approved one. `treatment_plans.version` is the optimistic-concurrency token of the plan.
/// `protocol_template_seeds` marks clinics that received the example templates, so they are
/// seeded once and never re-created behind the clinic's back.
enum Migration0005Plans {
    static let migration = Migration(id: "0005-plans") { _ in
        [
            """
            CREATE TABLE protocol_templates (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                current_version {int} NOT NULL CHECK (current_version >= 1),
                created_at {ts} NOT NULL
            )
            """,
            "CREATE INDEX protocol_templates_clinic ON protocol_templates (clinic_id)",
            """
            CREATE TABLE protocol_template_versions (
                id {uuid} PRIMARY KEY,
                template_id {uuid} NOT NULL REFERENCES protocol_templates(id),
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                version {int} NOT NULL CHECK (version >= 1),
                name TEXT NOT NULL,
                modality TEXT NOT NULL CHECK (modality IN ('microneedling', 'rf-microneedling')),
                is_example {bool} NOT NULL,
                definition {json} NOT NULL,
                created_at {ts} NOT NULL,
                created_by {uuid} REFERENCES staff_users(id),
                created_by_label TEXT NOT NULL,
                UNIQUE (template_id, version)
            )
            """,
            """
            CREATE TABLE protocol_template_seeds (
                clinic_id {uuid} PRIMARY KEY REFERENCES clinics(id),
                seeded_at {ts} NOT NULL
            )
            """,
            """
            CREATE TABLE treatment_plans (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                version {int} NOT NULL CHECK (version >= 1),
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL
            )
            """,
            "CREATE INDEX treatment_plans_patient ON treatment_plans (clinic_id, patient_id, created_at)",
            """
            CREATE TABLE treatment_plan_versions (
                id {uuid} PRIMARY KEY,
                plan_id {uuid} NOT NULL REFERENCES treatment_plans(id),
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                version_number {int} NOT NULL CHECK (version_number >= 1),
                supersedes_id {uuid} REFERENCES treatment_plan_versions(id),
                status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'superseded')),
                template_version_id {uuid} NOT NULL REFERENCES protocol_template_versions(id),
                assessment_id {uuid} REFERENCES scar_assessments(id),
                modality TEXT NOT NULL CHECK (modality IN ('microneedling', 'rf-microneedling')),
                sessions {int} NOT NULL CHECK (sessions >= 1),
                interval_days {int} NOT NULL CHECK (interval_days >= 1),
                content {json} NOT NULL,
                created_at {ts} NOT NULL,
                created_by {uuid} REFERENCES staff_users(id),
                created_by_label TEXT NOT NULL,
                updated_at {ts} NOT NULL,
                approved_at {ts},
                approved_by {uuid} REFERENCES staff_users(id),
                approved_by_label TEXT,
                approval {json},
                UNIQUE (plan_id, version_number),
                CHECK (status = 'draft' OR (approved_at IS NOT NULL AND approval IS NOT NULL))
            )
            """,
            "CREATE INDEX treatment_plan_versions_plan ON treatment_plan_versions (plan_id, version_number)",
        ]
    }
}
