import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore

/// The raw bytes of a JSON request body; `JSONRequest` reads them into an input.
enum JSONBody {
    /// The raw bytes of a JSON body (`application/json` or `application/merge-patch+json`),
    /// refused with 415 before anything is read otherwise; every JSON reader starts here.
    static func data(_ request: Request, limit: Int) async throws -> Data {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") || type.hasPrefix("application/merge-patch+json") else {
            throw AppError(.unsupportedMediaType, "Unsupported media type", detail: "Send application/json.")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return Data(buffer.readableBytesView)
    }
}

enum JSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
                                       contentType: String = "application/json") throws -> Response {
        var headers = headers
        headers[.contentType] = contentType
        let data = try encoder.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
