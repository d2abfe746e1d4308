import Foundation
import ScarCore
import SQLKit

/// A patient's enrolment in one split-face study (their ResearchSubject).
public struct FHIRStudyParticipation: Sendable {
    public var studyId: UUID
    public var participant: StudyRepository.Participant
}

/// The reads behind ResearchStudy (the clinic's split-face studies) and ResearchSubject (each
/// enrolment), with `StudyRepository`'s columns and decoders.
extension FHIRReadRepository {
    /// A member of staff's role (nil when unknown): who may see a study's allocation in an export.
    public static func role(of staffId: UUID, on sql: any SQLDatabase) async throws -> Role? {
        try await sql.raw("SELECT role FROM staff_users WHERE id = \(bind: staffId)").first()
            .flatMap { Role(rawValue: try $0.decode(column: "role", as: String.self)) }
    }

    static func studies(clinicId: UUID, on sql: any SQLDatabase) async throws -> [StudyRepository.Study] {
        try await sql.raw("SELECT \(unsafeRaw: StudyRepository.studyColumns) FROM studies s WHERE s.clinic_id = \(bind: clinicId) ORDER BY s.id")
            .all().map(StudyRepository.decodeStudy)
    }

    static func participations(patientIds: [UUID], clinicId: UUID, on sql: any SQLDatabase) async throws -> [UUID: [FHIRStudyParticipation]] {
        try byPatient(try await sql.raw("""
            SELECT p.id, p.study_id, p.patient_id, p.number, p.code, p.arm_a_side, p.research_consent, p.enrolled_at,
              \(unsafeRaw: StudyRepository.validConsents(.research)) AS valid_consents
            FROM study_participants p JOIN studies s ON s.id = p.study_id
            WHERE s.clinic_id = \(bind: clinicId) AND \(among("p.patient_id", patientIds)) ORDER BY p.id
            """).all()) { row in
            FHIRStudyParticipation(studyId: try row.decode(column: "study_id", as: UUID.self), participant: try StudyRepository.participant(row))
        }
    }
}
