import Foundation

/// The clinic's logo as its pages, printed letterhead, reports, handouts and the patient portal show
/// it: a PNG or JPEG judged by its bytes (never its name), with readable dimensions, at most 1 MiB.
/// No SVG: a drawing format that can carry script is never accepted from an upload.
public struct ClinicLogo: Sendable, Equatable {
    public var sha256: String
    public var mediaType: ImageMediaType
    public var byteSize: Int
    public var width: Int
    public var height: Int

    public init(sha256: String, mediaType: ImageMediaType, byteSize: Int, width: Int, height: Int) {
        self.sha256 = sha256
        self.mediaType = mediaType
        self.byteSize = byteSize
        self.width = width
        self.height = height
    }

    /// The form field and API name of the file.
    public static let field = "logo"
    /// A letterhead logo needs far less; larger files slow every printed page.
    public static let maxBytes = 1024 * 1024

    /// The uploaded file checked as every image is (`ImageUpload.accept`: JPEG or PNG by content,
    /// dimensions read from the header, metadata removed), within the logo's own size limit; a
    /// refusal names the `logo` field.
    public static func accept(_ bytes: [UInt8]) -> Result<ImageUpload.Accepted, FieldError> {
        ImageUpload.accept(bytes, maxBytes: maxBytes).mapError { failure in
            switch failure {
            case .unsupportedType: FieldError(field, "must be a PNG or JPEG image (SVG and other formats are not accepted)")
            default: failure.fieldError(field)
            }
        }
    }
}
