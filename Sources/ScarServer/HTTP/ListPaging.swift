import Foundation
import HTTPTypes
import Hummingbird

/// Cursor paging for the JSON lists (issue 16: every list is paged). A list takes `limit`
/// (1 to `maxLimit`, default `defaultLimit`) and `cursor` (opaque, from the previous page's
/// `Link: <…>; rel="next"` header); the body stays the array it always was. Refusals name the
/// parameter, as `/openapi.json` documents them.
struct ListPaging {
    static let defaultLimit = 50
    static let maxLimit = 200
    /// The longest cursor this server issues is well under this.
    static let maxCursorLength = 64

    var limit: Int
    var cursor: String?

    /// `limit` and `cursor` from the query; a present value must be valid as written.
    static func read(_ request: Request) throws -> ListPaging {
        let query = request.uri.queryParameters
        var paging = ListPaging(limit: defaultLimit, cursor: nil)
        if let raw = query.get("limit") {
            guard raw.allSatisfy(\.isASCII), let n = Int(raw), (1...maxLimit).contains(n) else {
                throw AppError.badRequest("must be a whole number from 1 to \(maxLimit)", field: "limit")
            }
            paging.limit = n
        }
        if let raw = query.get("cursor") {
            guard !raw.isEmpty, raw.count <= maxCursorLength else { throw unknownCursor }
            paging.cursor = raw
        }
        return paging
    }

    /// The refusal for a cursor that does not decode.
    static var unknownCursor: AppError {
        AppError.badRequest("is not a cursor this server gave (follow the Link header's next URL)", field: "cursor")
    }

    /// The `Link` header that points at the next page (none on the last page).
    func headers(path: String, next: String?) -> HTTPFields {
        var fields = HTTPFields()
        guard let next, let link = HTTPField.Name("Link") else { return fields }
        var c = URLComponents()
        c.path = path
        c.queryItems = [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "cursor", value: next)]
        fields[link] = "<\(c.string ?? path)>; rel=\"next\""
        return fields
    }
}
