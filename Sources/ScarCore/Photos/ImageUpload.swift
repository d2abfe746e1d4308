import Foundation

/// The one check every uploaded image passes, from staff or from a patient: present, within the
/// size limit, a JPEG or PNG by its bytes (never its name or declared type), readable, and with
/// its embedded metadata (names, capture times, GPS positions) removed before anything is stored.
public enum ImageUpload {
    /// The image as it will be stored: embedded metadata removed, orientation kept.
    public struct Accepted: Sendable, Equatable {
        public var bytes: [UInt8]
        public var info: ImageInfo
        public var cameraCapturedAt: String?
    }

    public enum Failure: Error, Sendable, Equatable {
        case missing
        case tooLarge(maxBytes: Int)
        case unsupportedType
        case malformed(ImageMediaType, String)

        /// The message beside the field, in plain words.
        public func fieldError(_ field: String) -> FieldError {
            switch self {
            case .missing: FieldError(field, "is required: choose a JPEG or PNG image")
            case .tooLarge(let max): FieldError(field, "is larger than \(max / (1024 * 1024)) MiB")
            case .unsupportedType: FieldError(field, "must be a JPEG or PNG image")
            case .malformed(let type, let why): FieldError(field, "could not be read as a \(type.label) image: \(why)")
            }
        }
    }

    public static func accept(_ bytes: [UInt8], maxBytes: Int) -> Result<Accepted, Failure> {
        guard !bytes.isEmpty else { return .failure(.missing) }
        guard bytes.count <= maxBytes else { return .failure(.tooLarge(maxBytes: maxBytes)) }
        do {
            let stripped = try PhotoMetadata.strip(bytes)
            let info = try ImageSniffer.inspect(stripped.bytes)
            return .success(Accepted(bytes: stripped.bytes, info: info, cameraCapturedAt: stripped.cameraCapturedAt))
        } catch {
            switch error {
            case .unsupportedType: return .failure(.unsupportedType)
            case .malformed(let type, let why): return .failure(.malformed(type, why))
            }
        }
    }
}
