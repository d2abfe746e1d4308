import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request, with a request id: taken from the caller's `X-Request-Id` when it is
/// a plain token (1–128 of `A–Z a–z 0–9 . _ : -`), otherwise made here; returned in the reply's
/// `X-Request-Id` and written into every audit entry the request appends (`details.requestId`).
/// The line names the route template (never the query string, which can hold search terms such as
/// a patient's name), the status, the duration and the client address; the audit entries name the user.
/// With `SCARTRACK_LOG_FORMAT=json` lines are JSON (`JSONLogHandler`) at `info`; otherwise `debug`.
struct RequestLogMiddleware: RouterMiddleware {
    let logger: Logger
    let level: Logger.Level

    static let header = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        let id = Self.accepted(request.headers[Self.header]) ?? Self.newId()
        context.requestId = id
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - started
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            logger.log(level: level, "request", metadata: [
                "request_id": .string(id), "method": .string(request.method.rawValue),
                "route": .string(context.endpointPath ?? request.uri.path), "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.2f", ms)), "client": .string(context.clientAddress),
            ])
        }
        do {
            var response = try await next(request, context)
            status = response.status.code
            response.headers[Self.header] = id
            return response
        } catch let error as HTTPResponseError {
            status = error.status.code
            throw error
        }
    }

    static func accepted(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count) else { return nil }
        let allowed = value.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 58 || c == 45
        }
        return allowed ? value : nil
    }

    static func newId() -> String {
        UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}

/// swift-log handler that writes each entry as one JSON object per line on standard output:
/// `ts` (ISO 8601, milliseconds, UTC), `level`, `label`, `msg` and the metadata's keys.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { $1 }) { fields[key] = "\(value)" }
        fields["ts"] = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        fields["level"] = level.rawValue
        fields["label"] = label
        fields["msg"] = message.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(fields) { write(String(decoding: data, as: UTF8.self)) }
    }
}
