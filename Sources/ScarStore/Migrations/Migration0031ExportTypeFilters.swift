/// Bulk Data `_typeFilter`: the FHIR search queries a kick-off asked for (one per line, e.g.
/// `Procedure?date=ge2026-01-01`), kept with the job so whichever server runs it applies them.
enum Migration0031ExportTypeFilters {
    static let migration = Migration(id: "0031-export-type-filters") { _ in
        ["ALTER TABLE fhir_export_jobs ADD COLUMN type_filters TEXT"]
    }
}
