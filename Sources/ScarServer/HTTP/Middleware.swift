import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ScarClinic
import ScarStore

/// Security headers on every response, errors included. Anything not explicitly cacheable
/// (static assets) is `no-store`: pages and API answers may carry patient data.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppContext

    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
    ].joined(separator: "; ")

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

/// Finds the signed-in session from the `Authorization: Bearer` header or the session
/// cookie. An unknown, expired or idle session is simply no session; a lookup the database
/// cannot answer is a 503, never a sign-out.
struct SignInMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let signIns: SignInRepository
    let idleTimeout: TimeInterval
    /// This middleware runs outside `ErrorMiddleware` (so error pages know who is signed in), so
    /// it renders its own outage answer the same way.
    let views: Views

    static let cookieName = "scartrack_session"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = Self.token(in: request), token.count <= 128 {
            // Only a lookup that succeeds and finds nothing is "no session". A lookup that fails
            // (the database is down or unreachable) is an outage: 503 with Retry-After, and pages
            // show an error where the user is instead of sending them to sign in.
            let found: SignInRepository.SignedIn?
            do {
                found = try await signIns.find(token: token, idleTimeout: idleTimeout)
            } catch {
                context.logger.warning("Session lookup failed", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
                return ErrorMiddleware(views: views).render(.sessionLookupFailed, request: request, context: context)
            }
            if let session = found {
                context.signedIn = session
                context.signInToken = token
                // A failed touch (e.g. a read-only database) must not block reading.
                try? await signIns.touch(session)
            }
        }
        return try await next(request, context)
    }

    static func token(in request: Request) -> String? {
        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            return String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return request.cookies[cookieName]?.value
    }
}

/// Finds the signed-in patient from the portal's own cookie (never the staff cookie or a bearer
/// token). Unknown, expired, idle or revoked is no patient; a failed lookup is a 503.
struct PortalSignInMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let sessions: PortalSessionRepository
    let views: Views

    static let cookieName = "scartrack_portal"

    /// The portal cookie (HttpOnly, SameSite=Strict, never the staff one); nil clears it.
    static func cookie(_ token: String?, secure: Bool) -> Cookie {
        guard let token else { return Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict) }
        return Cookie(name: cookieName, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.count <= 128 {
            let found: PortalSessionRepository.SignedInPatient?
            do {
                found = try await sessions.find(token: token)
            } catch {
                context.logger.warning("Portal session lookup failed", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
                return ErrorMiddleware(views: views).render(.sessionLookupFailed, request: request, context: context)
            }
            if let found {
                context.signedInPatient = found
                try? await sessions.touch(found)
            }
        }
        return try await next(request, context)
    }
}

/// Turns every error into a clear answer: problem+json for the API, a page for browsers,
/// a redirect to sign-in for pages that need it. Unexpected errors are logged without
/// request data (no patient data in logs) and answered with a plain 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let views: Views

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch is PasswordChangeRedirect {
            return Response.redirect(to: "/account/password", type: .normal)
        } catch is TwoFactorEnrolmentRedirect {
            return Response.redirect(to: "/account/two-factor?required=1", type: .normal)
        } catch is PatientModeRedirect {
            return Response.redirect(to: "/patient-mode", type: .normal)
        } catch is PortalSignInRedirect {
            return Response.redirect(to: "/portal/signin", type: .normal)
        } catch let redirect as SignInRedirect {
            let next = redirect.next.hasPrefix("/") && !redirect.next.hasPrefix("//") ? redirect.next : "/"
            var components = URLComponents()
            components.path = "/signin"
            components.queryItems = [URLQueryItem(name: "next", value: next)]
            return Response.redirect(to: components.string ?? "/signin", type: .normal)
        } catch {
            let appError = Self.appError(for: error, logger: context.logger)
            return render(appError, request: request, context: context)
        }
    }

    static func appError(for error: any Error, logger: Logger) -> AppError {
        switch error {
        case let e as AppError:
            return e
        case let refusal as Refusal:
            return AppError(refusal)
        case let e as StoreError:
            switch e {
            case .notFound: return .notFound
            case .versionConflict(let current): return .stale(current: current, etag: ETag.make(current))
            case .duplicate(let field):
                return AppError(.conflict, "Already in use", detail: "\(field) is already used by another record.",
                                fields: [.init(field, "is already used by another record")])
            case .unavailable(let detail): return .unavailable(detail)
            case .writeRefused(let detail): return .writeRefused(detail)
            case .configuration(let detail): return AppError(.internalServerError, "Server misconfigured", detail: detail)
            }
        case is NIOTooManyBytesError:
            return AppError(.contentTooLarge, "Request too large", detail: "The request body is larger than this endpoint accepts.")
        case let e as HTTPError:
            switch e.status.code {
            case 413: return AppError(.contentTooLarge, "Request too large", detail: "The request body is larger than this endpoint accepts.")
            case 404: return .notFound
            default: return AppError(e.status, e.status.reasonPhrase, detail: e.body)
            }
        default:
            logger.error("Unhandled error", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            return AppError(.internalServerError, "Something went wrong", detail: "The error was logged. Nothing was saved.")
        }
    }

    func render(_ error: AppError, request: Request, context: AppContext) -> Response {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path == "/openapi.json" || path == "/health" || path.hasPrefix("/health/") || path == "/metrics" || !acceptsHTML(request) {
            return Problem.response(error, instance: path)
        }
        return views.errorPage(error, context: context)
    }

    private func acceptsHTML(_ request: Request) -> Bool {
        let accept = request.headers[.accept] ?? ""
        return accept.isEmpty || accept.contains("text/html") || accept.contains("*/*")
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
