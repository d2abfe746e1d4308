import Foundation
import HTTPTypes
import Hummingbird
import ScarCore

/// What the charting controllers share: who may chart, ETags and `If-Match`, optional ids in
/// a body, and a ScarCore validation result as the 422 it is.
enum ChartingHTTP {
    /// Charting, signing and amending sessions, and recall: practitioners and admins.
    static let clinicians = AccessPolicy.staff([.admin, .practitioner])

    static func etagHeaders(_ version: Int) -> HTTPFields {
        var h = HTTPFields()
        h[.eTag] = ETag.make(version)
        return h
    }

    static func ifMatch(_ request: Request) throws -> Int {
        guard let v = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
        return v
    }

    static func optionalUUID(_ raw: String?, _ field: String) throws -> UUID? {
        guard let raw = Text.trimmed(raw) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw AppError.validation([FieldError(field, "must be a UUID")]) }
        return id
    }

    static func validated<T>(_ result: Result<T, ValidationFailure>) throws -> T {
        switch result {
        case .success(let v): return v
        case .failure(let f): throw AppError.validation(f.errors)
        }
    }
}
