import HTTPTypes
import ScarClinic
import ScarCore

/// Every failure a route reports on purpose. The error middleware renders it as RFC 9457
/// `application/problem+json` for the API and as a page for the browser, so a route never
/// builds an error response by hand.
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String?
    public var fields: [FieldError]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ title: String, detail: String? = nil, fields: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.title = title
        self.detail = detail
        self.fields = fields
        self.headers = headers
    }

    /// A short slug for the problem `type` URI.
    var slug: String {
        switch status.code {
        case 400: fields.isEmpty ? "bad-request" : "validation-error"
        case 401: "unauthenticated"
        case 403: "forbidden"
        case 404: "not-found"
        case 405: "method-not-allowed"
        case 409: "conflict"
        case 412: "stale-version"
        case 413: "too-large"
        case 415: "unsupported-media-type"
        case 422: "validation-error"
        case 428: "version-required"
        case 429: "too-many-attempts"
        case 503: "unavailable"
        default: "error"
        }
    }

    /// A use case's refusal, the one place it becomes HTTP: 422, 409 or 404 with its fields.
    public init(_ refusal: Refusal) {
        let status: HTTPResponse.Status = switch refusal.kind {
        case .invalid: .unprocessableContent
        case .conflict: .conflict
        case .notFound: .notFound
        }
        if refusal.kind == .invalid {
            self = .validation(refusal.fields)
        } else {
            self.init(status, refusal.title, detail: refusal.detail, fields: refusal.fields)
        }
    }

    /// Runs a use case for an adapter that handles `AppError`s itself (pages re-showing a form):
    /// a refusal arrives as the `AppError` it maps to.
    static func fromRefusal<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let refusal as Refusal { throw AppError(refusal) }
    }

    public static func validation(_ errors: [FieldError]) -> AppError {
        AppError(.unprocessableContent, "Some fields are not valid", detail: errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "),
                 fields: errors)
    }

    public static func badRequest(_ detail: String, field: String? = nil) -> AppError {
        AppError(.badRequest, "The request could not be read", detail: detail, fields: field.map { [FieldError($0, detail)] } ?? [])
    }

    public static let notFound = AppError(.notFound, "Not found", detail: "There is no such record, or it is not yours to see.")
    public static let unauthenticated = AppError(.unauthorized, "Sign-in required", detail: "Sign in to use this.")
    public static let forbidden = AppError(.forbidden, "Not allowed", detail: "Your role does not allow this.")
    public static let operatorOnly = AppError(.forbidden, "Not allowed", detail: "Only the installation's operator may use this; no staff role can.")
    public static let operatorRequired = AppError(.unauthorized, "Operator credential required",
                                                  detail: "Send the installation's operator token (SCARTRACK_OPERATOR_TOKEN) as a bearer token.")
    public static let metricsTokenRequired = AppError(.unauthorized, "Metrics token required",
                                                      detail: "Send SCARTRACK_METRICS_TOKEN as a bearer token to read /metrics.")
    public static let passwordChangeRequired = AppError(.forbidden, "Password change required",
                                                        detail: "Sign in on the web and choose your own password first (/account/password).")
    public static let twoFactorRequired = AppError(.forbidden, "Two-factor authentication required",
                                                   detail: "Administrators must turn on two-factor sign-in first: sign in on the web and open /account/two-factor.")
    public static let patientMode = AppError(.forbidden, "Handed to a patient",
                                             detail: "This sign-in is in patient mode for consent signing. A member of staff ends it with their password on the signing screen.")
    public static let csrf = AppError(.forbidden, "Form expired", detail: "The form was stale or not sent by ScarTrack. Reload the page and try again.")

    public static func stale(current: Int, etag: String) -> AppError {
        var headers = HTTPFields()
        headers[.eTag] = etag
        return AppError(.preconditionFailed, "The record was changed by someone else",
                        detail: "It is now at version \(current). Read it again, then re-apply your change.", headers: headers)
    }

    public static let versionRequired = AppError(.preconditionRequired, "If-Match required",
                                                 detail: "Send If-Match with the ETag you read, so no one else's change is overwritten.")

    /// The session could not be looked up because the database did not answer: an outage, not a
    /// sign-out. The page keeps its address (no redirect), so the user can retry from where they are.
    public static var sessionLookupFailed: AppError {
        var headers = HTTPFields()
        headers[.retryAfter] = "30"
        return AppError(.serviceUnavailable, "The database is not answering right now",
                        detail: "You are still signed in, but nothing can be read or saved at the moment: if you were saving, the record was not saved. Stay on this page and try again in a minute.",
                        headers: headers)
    }

    public static func unavailable(_ detail: String) -> AppError {
        var headers = HTTPFields()
        headers[.retryAfter] = "30"
        return AppError(.serviceUnavailable, "Temporarily unavailable", detail: detail, headers: headers)
    }

    /// The database refused the write (disk full, read-only, I/O error): the transaction rolled
    /// back, so nothing was saved, and the same request can be sent again once it clears.
    public static func writeRefused(_ detail: String) -> AppError {
        var headers = HTTPFields()
        headers[.retryAfter] = "30"
        return AppError(.serviceUnavailable, "The database cannot accept writes right now",
                        detail: detail + " Try again in a few minutes; if it persists, tell the person who runs the server.",
                        headers: headers)
    }
}
