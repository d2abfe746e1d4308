import Foundation
import ScarClinic
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

    typealias Accepted = ImageUpload.Accepted

    /// The file, or the error that names the `photo` field (413, 415, 422).
    static func file(in form: MultipartForm, maxBytes: Int) -> Result<Accepted, AppError> {
        // Names, capture times and GPS positions must never reach whoever views the photo
        // (blinded raters included): only the stripped bytes are stored, hashed and served.
        accept(form.file(fileField)?.body ?? [], field: fileField, maxBytes: maxBytes)
    }

    /// Every file chosen in the form's file field, in the order chosen (a batch of views).
    static func files(in form: MultipartForm) -> [MultipartForm.Part] {
        form.parts.filter { $0.name == fileField && $0.filename != nil && !$0.body.isEmpty }
    }

    /// One file part of a batch, checked as a single upload is.
    static func accept(_ part: MultipartForm.Part, maxBytes: Int) -> Result<Accepted, AppError> {
        accept(part.body, field: fileField, maxBytes: maxBytes)
    }

    /// One image part checked by `ImageUpload.accept`, its failure named after `field`.
    static func accept(_ bytes: [UInt8], field: String, maxBytes: Int) -> Result<Accepted, AppError> {
        ImageUpload.accept(bytes, maxBytes: maxBytes).mapError { failure in
            let fields = [failure.fieldError(field)]
            switch failure {
            case .tooLarge(let max):
                return AppError(.contentTooLarge, "Photo too large", detail: "\(field) is larger than \(max / (1024 * 1024)) MiB.", fields: fields)
            case .unsupportedType:
                return AppError(.unsupportedMediaType, "Unsupported image type",
                                detail: "\(field) must be a JPEG or PNG image (judged by its content, not its name).", fields: fields)
            case .missing, .malformed: return .validation(fields)
            }
        }
    }

    static func input(_ form: MultipartForm) -> PhotoDetails.Input {
        PhotoDetails.Input(view: form["view"], zone: form["zone"], capturedOn: form["capturedOn"],
                           assessmentId: form["assessmentId"], notes: form["notes"])
    }

    /// Records the checked photos through `AddPhotos` (one transaction for the batch).
    static func add(_ photos: [(Accepted, PhotoDetails)], patientId: UUID, services: AppServices, context: AppContext) async throws -> [Photo] {
        try await AddPhotos(services.database, files: services.photoFiles)(photos.map { AddPhotos.Taken(image: $0.0, details: $0.1) },
                                                                            patientId: patientId, by: context.clinician,
                                                                            actor: context.auditActor, now: context.now)
    }
}
