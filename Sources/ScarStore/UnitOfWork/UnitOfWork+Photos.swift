import Foundation
import ScarCore

/// What adding clinic photos reads and writes inside its one transaction.
extension UnitOfWork {
    /// Records one photo of a patient the use case checked, with its `photo.create` entry.
    public func insertPhoto(_ details: PhotoDetails, file: PhotoRepository.File, patientId: UUID, clinicId: UUID, uploadedBy: UUID,
                            by actor: AuditActor, now: Date) async throws -> Photo {
        try await PhotoRepository.insert(details, file: file, patientId: patientId, clinicId: clinicId, uploadedBy: uploadedBy, by: actor,
                                         engine: engine, on: sql, now: now)
    }

    public func isPatientsAssessment(_ assessmentId: UUID, patientId: UUID, clinicId: UUID) async throws -> Bool {
        try await PhotoRepository.isPatientsAssessment(assessmentId, patientId: patientId, clinicId: clinicId, on: sql)
    }
}
