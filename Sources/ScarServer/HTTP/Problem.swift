import Foundation
import Hummingbird
import NIOCore

/// RFC 9457 problem details. `errors` names each invalid field, so a client can show the
/// message next to the right input.
struct Problem: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String?
    var errors: [Field]?

    struct Field: Encodable {
        var field: String
        var message: String
    }

    static func response(_ error: AppError, instance: String) -> Response {
        let problem = Problem(
            type: "https://scartrack.dev/problems/\(error.slug)", title: error.title, status: Int(error.status.code),
            detail: error.detail, instance: instance,
            errors: error.fields.isEmpty ? nil : error.fields.map { Field(field: $0.field, message: $0.message) })
        var headers = error.headers
        headers[.contentType] = "application/problem+json"
        let data = (try? JSON.encoder.encode(problem)) ?? Data("{}".utf8)
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Entity tags carry the record version: `"3"`. `If-Match` must name the current one.
enum ETag {
    static func make(_ version: Int) -> String { "\"\(version)\"" }

    /// The version an `If-Match` header names; nil when absent; throws when unreadable.
    static func version(ifMatch header: String?) throws -> Int? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        var tag = Substring(header)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        guard tag.count >= 3, tag.first == "\"", tag.last == "\"", let v = Int(tag.dropFirst().dropLast()), v >= 1 else {
            throw AppError(.preconditionFailed, "If-Match not understood", detail: "Send the ETag exactly as it was returned, e.g. \"3\".",
                           fields: [.init("If-Match", "must be an ETag returned by this server")])
        }
        return v
    }
}
