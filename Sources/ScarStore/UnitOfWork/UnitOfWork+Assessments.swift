import Foundation
import ScarCore

/// What recording a scar assessment writes inside its one transaction; the use case audits
/// `assessment.create` once.
extension UnitOfWork {
    /// Scores (ScarCore) and stores the assessment; not found unless patient and rater are the clinic's.
    public func insert(assessment details: ScarAssessmentDetails, patientId: UUID, clinicId: UUID, raterId: UUID,
                       now: Date) async throws -> ScarAssessment {
        try await AssessmentRepository.insert(details, patientId: patientId, clinicId: clinicId, raterId: raterId, now: now, on: sql)
    }
}
