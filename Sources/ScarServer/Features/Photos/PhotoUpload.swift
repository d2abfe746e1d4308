import Foundation
import ScarCore
import ScarStore

/// Checks shared by the API and the page form: the file part must be present, within the
/// size limit, a JPEG or PNG by its bytes (never its name or declared type) and parse.
enum PhotoUpload {
    static let fileField = "photo"
    static let textFields: Set<String> = ["view", "zone", "capturedOn", "assessmentId", "notes"]
    /// Room for the other fields and the multipart framing around the file.
    static let bodyOverhead = 64 * 1024

    static func bodyLimit(_ configuration: AppConfiguration) -> Int { configuration.maxPhotoBytes + bodyOverhead }

    /// The image as it will be stored: embedded metadata removed, orientation kept.
    struct Accepted: Sendable {
        var bytes: [UInt8]
        var info: ImageInfo
        var cameraCapturedAt: String?
    }

    /// The file, or the error that names the `photo` field (413, 415, 422).
    static func file(in form: MultipartForm, maxBytes: Int) -> Result<Accepted, AppError> {
        guard let part = form.file(fileField), !part.body.isEmpty else {
            return .failure(.validation([FieldError(fileField, "is required: choose a JPEG or PNG image")]))
        }
        return accept(part, maxBytes: maxBytes)
    }

    /// Every file chosen in the form's file field, in the order chosen (a batch of views).
    static func files(in form: MultipartForm) -> [MultipartForm.Part] {
        form.parts.filter { $0.name == fileField && $0.filename != nil && !$0.body.isEmpty }
    }

    /// One file part checked: size, type by content, metadata removed.
    static func accept(_ part: MultipartForm.Part, maxBytes: Int) -> Result<Accepted, AppError> {
        guard part.body.count <= maxBytes else {
            let mb = maxBytes / (1024 * 1024)
            return .failure(AppError(.contentTooLarge, "Photo too large",
                                     detail: "photo is larger than \(mb) MiB.",
                                     fields: [FieldError(fileField, "is larger than \(mb) MiB")]))
        }
        do {
            // Names, capture times and GPS positions must never reach whoever views the photo
            // (blinded raters included): only the stripped bytes are stored, hashed and served.
            let stripped = try PhotoMetadata.strip(part.body)
            let info = try ImageSniffer.inspect(stripped.bytes)
            return .success(Accepted(bytes: stripped.bytes, info: info, cameraCapturedAt: stripped.cameraCapturedAt))
        } catch {
            switch error {
            case .unsupportedType:
                return .failure(AppError(.unsupportedMediaType, "Unsupported image type",
                                         detail: "photo must be a JPEG or PNG image (judged by its content, not its name).",
                                         fields: [FieldError(fileField, "must be a JPEG or PNG image")]))
            case .malformed(let type, let why):
                return .failure(.validation([FieldError(fileField, "could not be read as a \(type.label) image: \(why)")]))
            }
        }
    }

    static func input(_ form: MultipartForm) -> PhotoDetails.Input {
        PhotoDetails.Input(view: form["view"], zone: form["zone"], capturedOn: form["capturedOn"],
                           assessmentId: form["assessmentId"], notes: form["notes"])
    }

    /// Stores the file (once per content) and records the photo with its audit entry.
    static func save(_ accepted: Accepted, details: PhotoDetails, patientId: UUID, services: AppServices,
                     context: AppContext) async throws -> Photo {
        let user = context.signedInUser
        let stored = try services.photoFiles.save(accepted.bytes, type: accepted.info.mediaType)
        let file = PhotoRepository.File(sha256: stored.sha256, mediaType: accepted.info.mediaType, byteSize: stored.byteSize,
                                        width: accepted.info.width, height: accepted.info.height,
                                        cameraCapturedAt: accepted.cameraCapturedAt)
        return try await services.photos.add(details, file: file, patientId: patientId, clinicId: user.clinicId, uploadedBy: user.id,
                                             by: context.auditActor)
    }
}
