import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore

/// A JSON object body read field by field, so a wrong type names its field instead of
/// failing the whole request with a decoder message.
public struct JSONBody: Sendable {
    let object: [String: any Sendable]

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

    static func read(_ request: Request, limit: Int) async throws -> JSONBody {
        let data = try await data(request, limit: limit)
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw AppError.badRequest("The body is not valid JSON.")
        }
        guard let dict = parsed as? [String: Any] else {
            throw AppError.badRequest("The body must be a JSON object.")
        }
        return JSONBody(object: dict.mapValues { JSONBody.sendable($0) })
    }

    private static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let v as String: return v
        case let v as NSNumber: return v
        case is NSNull: return NSNull()
        case let v as [Any]: return v.map(sendable)
        case let v as [String: Any]: return v.mapValues(sendable)
        default: return String(describing: value)
        }
    }

    public var keys: Set<String> { Set(object.keys) }

    /// A JSON number, never `true`/`false` (Foundation hands both over as `NSNumber`, and a
    /// boolean would otherwise read as 1 or 0).
    static func number(_ value: Any?) -> NSNumber? {
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        return n
    }

    /// A string field: absent or null is nil; any other type is a field error.
    public func string(_ key: String, errors: inout [FieldError]) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        if let s = value as? String { return s }
        errors.append(FieldError(key, "must be a string"))
        return nil
    }

    /// Refuses keys the endpoint does not know, so a typo is not silently ignored.
    public func rejectUnknown(allowed: Set<String>, errors: inout [FieldError]) {
        for key in keys.subtracting(allowed).sorted() {
            errors.append(FieldError(key, "is not a known field"))
        }
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
