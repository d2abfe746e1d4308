import Foundation
import ScarCore
import SQLKit

/// The reads of a Bulk Data export, made inside `ScarDatabase.snapshot` so the whole export
/// shows one moment: the clinic's directory, then its patients page by page (by id, a keyset,
/// so memory holds one page however large the clinic). Not audited here: the kick-off and each
/// download are.
extension FHIRReadRepository {
    public static func exportDirectory(clinicId: UUID, on sql: any SQLDatabase) async throws -> FHIRClinicDirectory {
        try await directory(clinicId: clinicId, on: sql)
    }

    /// The patients an export covers: the clinic's, or a study's participants (`groupId`).
    public static func exportPatientCount(clinicId: UUID, groupId: UUID?, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM patients p WHERE \(exportScope(clinicId: clinicId, groupId: groupId))")
            .first()!.decode(column: "n", as: Int.self)
    }

    /// The charts of the next `limit` patients after `after`, in id order: one statement per kind
    /// of record for the whole page.
    public static func exportCharts(clinicId: UUID, groupId: UUID?, after: UUID?, limit: Int, on sql: any SQLDatabase) async throws -> [FHIRPatientChart] {
        let page: SQLQueryString = after.map { "AND p.id > \(bind: $0)" } ?? ""
        let patients = try await sql.raw("""
            SELECT \(unsafeRaw: PatientRepository.columns) FROM patients p WHERE \(exportScope(clinicId: clinicId, groupId: groupId)) \(page) ORDER BY p.id LIMIT \(bind: limit)
            """).all().map(PatientRepository.decode)
        return try await charts(patients: patients, clinicId: clinicId, on: sql)
    }

    static func exportScope(clinicId: UUID, groupId: UUID?) -> SQLQueryString {
        guard let groupId else { return "p.clinic_id = \(bind: clinicId)" }
        return """
            p.clinic_id = \(bind: clinicId) AND p.id IN (SELECT sp.patient_id FROM study_participants sp JOIN studies s ON s.id = sp.study_id
                                                          WHERE sp.study_id = \(bind: groupId) AND s.clinic_id = \(bind: clinicId))
            """
    }
}
