import Foundation
import ScarCore
import ScarStore

/// Recording a scar assessment: one write transaction that scores the validated details with the
/// current version of each scale (ScarCore `AssessmentScores.compute`), stores the assessment with
/// the signed-in member of staff as rater and appends one `assessment.create` entry with the three
/// totals. There is no edit: a correction is a new assessment.
public struct RecordAssessment: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// A patient of another clinic is `StoreError.notFound`, and nothing is written.
    public func callAsFunction(_ details: ScarAssessmentDetails, patientId: UUID, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> ScarAssessment {
        try await database.write(unitOfWork: { tx in
            let saved = try await tx.insert(assessment: details, patientId: patientId, clinicId: clinician.clinicId,
                                            raterId: clinician.user.id, now: now)
            try await tx.audit(AssessmentRepository.creationEvent(saved), by: actor, now: now)
            return saved
        })
    }
}
