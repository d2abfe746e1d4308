import Foundation
import ScarCore
import SQLKit

/// The parts of a patient's chart the FHIR API reads, each with the decoders of the
/// repository that owns the table (one row shape per table).
extension FHIRReadRepository {
    static func assessments(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [ScarAssessment] {
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: AssessmentRepository.columns) FROM scar_assessments a JOIN staff_users s ON s.id = a.rater_id
            WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId) ORDER BY a.assessed_on, a.created_at, a.id
            """).all()
        let zones = try await sql.raw("""
            SELECT z.* FROM scar_assessment_zones z JOIN scar_assessments a ON a.id = z.assessment_id
            WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId)
            """).all()
        let scores = try await sql.raw("""
            SELECT c.* FROM scar_assessment_scores c JOIN scar_assessments a ON a.id = c.assessment_id
            WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId)
            """).all()
        return try AssessmentRepository.assemble(rows, zones: zones, scores: scores)
    }

    static func intakes(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [FHIRIntake] {
        try await sql.raw("""
            SELECT id, recorded_on, recorded_at, recorded_by, fitzpatrick FROM intakes
            WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId) ORDER BY recorded_at, id
            """).all().map { row in
            FHIRIntake(id: try row.decode(column: "id", as: UUID.self), recordedOn: try row.decode(column: "recorded_on", as: String.self),
                       recordedAt: try row.decode(column: "recorded_at", as: Date.self), recordedBy: try row.decode(column: "recorded_by", as: UUID?.self),
                       fitzpatrick: try row.decode(column: "fitzpatrick", as: Int?.self))
        }
    }

    static func sessions(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [SessionRecord] {
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: SessionRepository.sessionColumns) FROM treatment_sessions t JOIN staff_users p ON p.id = t.practitioner_id
            LEFT JOIN staff_users s ON s.id = t.signed_by
            WHERE t.clinic_id = \(bind: clinicId) AND t.patient_id = \(bind: patientId) ORDER BY t.id
            """).all()
        let amendments = try await SessionRepository.amendments(sessionIds: try rows.map { try $0.decode(column: "id", as: UUID.self) }, on: sql)
        return try rows.map { row in try SessionRepository.record(row, amendments: amendments[try row.decode(column: "id", as: UUID.self)] ?? []) }
    }

    static func plans(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [TreatmentPlan] {
        let ids = try await sql.raw("""
            SELECT id FROM treatment_plans WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId) ORDER BY id
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        var plans: [TreatmentPlan] = []
        for id in ids { plans.append(try await PlanRepository.load(planId: id, clinicId: clinicId, on: sql)) }
        return plans
    }
}
