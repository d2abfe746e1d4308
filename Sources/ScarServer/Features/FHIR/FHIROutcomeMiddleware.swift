import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarFHIR

/// Under `/fhir` every failure is a FHIR OperationOutcome (`application/fhir+json`) with the
/// status the REST API would give: the same errors, mapped by `ErrorMiddleware.appError`, in
/// the shape FHIR clients read. Unknown paths under `/fhir` are 404 OperationOutcomes too.
struct FHIROutcomeMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard request.uri.path == "/fhir" || request.uri.path.hasPrefix("/fhir/") else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch {
            let appError = ErrorMiddleware.appError(for: error, logger: context.logger)
            return FHIRResponse.outcome(appError)
        }
    }
}

/// FHIR responses: `application/fhir+json`, with `ETag` and `Last-Modified` for one resource.
enum FHIRResponse {
    static let contentType = "application/fhir+json"

    static func resource(_ resource: FHIRResource) throws -> Response {
        var headers = HTTPFields()
        headers[.eTag] = "W/\"\(resource.meta.versionId)\""
        return try body(resource, headers: headers)
    }

    static func body(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try FHIRJSON.encode(value))))
    }

    static func outcome(_ error: AppError) -> Response {
        let text = [error.title, error.detail].compactMap { $0 }.joined(separator: ": ")
        var headers = error.headers
        headers[.contentType] = contentType
        let data = (try? FHIRJSON.encode(OperationOutcome(status: Int(error.status.code), diagnostics: text, expression: error.fields.map(\.field)))) ?? Data("{}".utf8)
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
