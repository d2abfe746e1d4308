import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// Cursor paging for the JSON lists (issue 16: every list is paged). A list takes `limit`
/// (1 to `maxLimit`, default `defaultLimit`) and `cursor` (opaque, from the previous page's
/// `Link: <…>; rel="next"` header); the body stays the array it always was. Refusals name the
/// parameter, as `/openapi.json` documents them.
struct ListPaging {
    static let defaultLimit = 50
    static let maxLimit = 200
    /// Every cursor this server issues: 52 characters of base64url (`/openapi.json` gives the same pattern).
    static let cursorLength = 52

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
            guard raw.count == cursorLength, raw.utf8.allSatisfy(Self.isBase64URL) else { throw malformedCursor }
            paging.cursor = raw
        }
        return paging
    }

    /// The cursor of one of a patient's lists (appointments, photos, assessments); a cursor of
    /// another list, or none of ours, is refused as unknown.
    func cursor(of list: PatientListCursor.List) throws -> PatientListCursor? {
        try cursor.map { text in
            guard let cursor = PatientListCursor(text: text, list: list) else { throw Self.unknownCursor }
            return cursor
        }
    }

    static func isBase64URL(_ c: UInt8) -> Bool {
        (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) || c == 0x2D || c == 0x5F
    }

    /// The refusal for a cursor not written as this server writes them (400, as the document's pattern says).
    static var malformedCursor: AppError {
        AppError.badRequest("is not a cursor this server gave (follow the Link header's next URL)", field: "cursor")
    }

    /// The refusal for a cursor written as ours are that still is none of ours (422: well formed, not understood).
    static var unknownCursor: AppError {
        AppError.validation([FieldError("cursor", "is not a cursor this server gave (follow the Link header's next URL)")])
    }

    /// The `Link` header that points at the next page (none on the last page); `filters` are the
    /// list's own query parameters, kept on the next page.
    func headers(path: String, next: String?, filters: [URLQueryItem] = []) -> HTTPFields {
        var fields = HTTPFields()
        guard let next, let link = HTTPField.Name("Link") else { return fields }
        var c = URLComponents()
        c.path = path
        c.queryItems = filters + [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "cursor", value: next)]
        fields[link] = "<\(c.string ?? path)>; rel=\"next\""
        return fields
    }
}
