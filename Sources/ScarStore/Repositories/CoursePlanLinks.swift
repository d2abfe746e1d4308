import Foundation
import ScarCore
import SQLKit

/// The plan facts a session or a series is decided on (`SessionPlanChoice`, `SeriesOrder.following`):
/// a patient's approved plan versions and the plan a version or an appointment names. Read inside
/// a use case's transaction; not audited on their own.
enum CoursePlanLinks {
    static func approvedVersions(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [ApprovedPlanVersion] {
        try await sql.raw("""
            SELECT id, plan_id, version_number, modality, approved_by_label, approved_at FROM treatment_plan_versions
            WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId) AND status = 'approved'
            """).all().compactMap { row in
            guard let modality = Modality(rawValue: try row.decode(column: "modality", as: String.self)) else { return nil }
            return ApprovedPlanVersion(planId: try row.decode(column: "plan_id", as: UUID.self), versionId: try row.decode(column: "id", as: UUID.self),
                                       number: try row.decode(column: "version_number", as: Int.self), modality: modality,
                                       approvedBy: try row.decode(column: "approved_by_label", as: String?.self),
                                       approvedAt: try row.decode(column: "approved_at", as: Date?.self))
        }
    }

    /// The plan of a version, if the version is one of this patient's.
    static func planId(ofVersion versionId: UUID, patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.raw("""
            SELECT plan_id FROM treatment_plan_versions
            WHERE id = \(bind: versionId) AND clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
            """).first().map { try $0.decode(column: "plan_id", as: UUID.self) }
    }

    /// The plan an appointment of this patient was booked for, if any.
    static func planId(ofAppointment appointmentId: UUID, patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.raw("""
            SELECT plan_id FROM appointments WHERE id = \(bind: appointmentId) AND clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
            """).first().flatMap { try $0.decode(column: "plan_id", as: UUID?.self) }
    }
}
