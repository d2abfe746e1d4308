import Foundation
import Hummingbird
import NIOCore

/// An `application/x-www-form-urlencoded` body, decoded leniently into text fields so each
/// field can be validated (and reported) on its own.
public struct FormBody: Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init(values: [String: [String]] = [:]) { self.values = values }

    public subscript(_ name: String) -> String? { values[name]?.first }

    public static func parse(_ text: String) -> FormBody {
        var form = FormBody()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            form.values[name, default: []].append(value)
        }
        return form
    }

    static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Reads the request body as a form; refuses other content types and oversized bodies.
    static func read(_ request: Request, limit: Int) async throws -> FormBody {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw AppError(.unsupportedMediaType, "Unsupported form encoding", detail: "Send application/x-www-form-urlencoded.")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        guard let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw AppError.badRequest("The form is not valid UTF-8.")
        }
        return parse(text)
    }
}
