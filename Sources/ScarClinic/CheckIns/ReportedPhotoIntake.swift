import Foundation
import ScarCore
import ScarStore

/// Photos a patient sends with a check-in or a problem report pass the same check as staff
/// uploads (`ImageUpload.accept`: size, JPEG or PNG by content, metadata stripped) and are stored
/// by content hash in the same `PhotoStore`, before the transaction that records them (a file no
/// row points at is harmless; a row without its file is not).
public struct ReportedPhotoIntake: Sendable {
    public let files: any PhotoFiles
    public let maxBytes: Int

    public init(files: any PhotoFiles, maxBytes: Int) {
        self.files = files
        self.maxBytes = maxBytes
    }

    /// Checks every photo first (all problems reported at once, by `photos[i]`), then stores them.
    public func accept(_ photos: [[UInt8]]) async throws -> [CheckInRepository.PhotoFile] {
        if photos.count > ProblemReport.maxPhotos {
            throw Refusal.invalid([FieldError("photos", "at most \(ProblemReport.maxPhotos) photos at a time")])
        }
        var accepted: [ImageUpload.Accepted] = []
        var errors: [FieldError] = []
        for (i, bytes) in photos.enumerated() {
            switch ImageUpload.accept(bytes, maxBytes: maxBytes) {
            case .success(let a): accepted.append(a)
            case .failure(let f): errors.append(f.fieldError("photos[\(i)]"))
            }
        }
        guard errors.isEmpty else { throw Refusal.invalid(errors) }
        var files: [CheckInRepository.PhotoFile] = []
        for a in accepted {
            let stored = try await self.files.save(a.bytes, type: a.info.mediaType)
            files.append(CheckInRepository.PhotoFile(sha256: stored.sha256, mediaType: a.info.mediaType, byteSize: stored.byteSize,
                                                     width: a.info.width, height: a.info.height))
        }
        return files
    }
}
