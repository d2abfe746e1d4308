import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// What the charting controllers share: who may chart, ETags and `If-Match`, optional ids in
/// a body, and a ScarCore validation result as the 422 it is.
enum ChartingHTTP {
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

    /// A session list's `cursor` as this server issued it (422 naming `cursor` otherwise).
    static func sessionCursor(_ text: String) throws -> SessionCursor {
        guard let cursor = SessionCursor(text: text) else { throw ListPaging.unknownCursor }
        return cursor
    }

    static func validated<T>(_ result: Result<T, ValidationFailure>) throws -> T {
        switch result {
        case .success(let v): return v
        case .failure(let f): throw AppError.validation(f.errors)
        }
    }
}
