import Foundation
import ScarCore
import ScarStore

/// Adding photos taken at the clinic: one upload, or a batch of the standard views. Every image has
/// passed `ImageUpload.accept` (size, JPEG or PNG by content, metadata removed) and its details
/// `PhotoDetails.validate` in the adapter. The bytes are stored by content hash first (a file no
/// row points at is harmless; a row without its file is not); then one write transaction checks
/// the patient and that a linked assessment is this patient's, and records every photo, each with
/// its own `photo.create` entry: the whole batch or none of it.
public struct AddPhotos: Sendable {
    public struct Taken: Sendable {
        public var image: ImageUpload.Accepted
        public var details: PhotoDetails

        public init(image: ImageUpload.Accepted, details: PhotoDetails) {
            self.image = image
            self.details = details
        }
    }

    let database: ScarDatabase
    let files: any PhotoFiles

    public init(_ database: ScarDatabase, files: any PhotoFiles) {
        self.database = database
        self.files = files
    }

    /// The recorded photos in the order given. Another clinic's patient is not found; an
    /// assessment that is not this patient's is refused, naming `assessmentId`.
    public func callAsFunction(_ photos: [Taken], patientId: UUID, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> [Photo] {
        var stored: [PhotoRepository.File] = []
        for taken in photos {
            let saved = try await files.save(taken.image.bytes, type: taken.image.info.mediaType)
            stored.append(PhotoRepository.File(sha256: saved.sha256, mediaType: taken.image.info.mediaType, byteSize: saved.byteSize,
                                               width: taken.image.info.width, height: taken.image.info.height,
                                               cameraCapturedAt: taken.image.cameraCapturedAt))
        }
        let storedFiles = stored
        return try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            try await tx.requirePatient(patientId, clinicId: clinicId)
            for assessmentId in Set(photos.compactMap(\.details.assessmentId))
            where try await !tx.isPatientsAssessment(assessmentId, patientId: patientId, clinicId: clinicId) {
                throw Refusal.invalid([FieldError("assessmentId", "must be one of this patient's assessments")])
            }
            var recorded: [Photo] = []
            for (taken, file) in zip(photos, storedFiles) {
                recorded.append(try await tx.insertPhoto(taken.details, file: file, patientId: patientId, clinicId: clinicId,
                                                         uploadedBy: clinician.user.id, by: actor, now: now))
            }
            return recorded
        })
    }
}
