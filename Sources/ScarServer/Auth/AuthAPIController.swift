import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/api/v1/auth/sessions` and `/api/v1/me`: sign in for a bearer token, sign out, who am I.
struct AuthAPIController {
    struct SignedIn: Encodable {
        var token: String
        var expiresAt: Date
        var user: StaffView
    }

    struct StaffView: Encodable {
        var id: String
        var clinicId: String
        var email: String
        var displayName: String
        var role: String

        init(_ u: StaffUser) {
            (id, clinicId, email, displayName, role) = (u.id.lower, u.clinicId.lower, u.email, u.displayName, u.role.rawValue)
        }
    }

    let signIn: SignIn
    let signIns: SignInRepository
    let limit: Int

    init(_ services: AppServices) {
        (signIn, signIns, limit) = (services.signIn, services.signIns, services.configuration.maxJSONBodyBytes)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.post, "/api/v1/auth/sessions", .anyone, "Sign in; returns a bearer token", c.open)
        routes.api(.delete, "/api/v1/auth/sessions/current", .allStaff, "Sign out this token or cookie session", c.close)
        routes.api(.get, "/api/v1/me", .allStaff, "The signed-in member of staff", c.me)
    }

    @Sendable func open(_ request: Request, _ context: AppContext) async throws -> Response {
        let credentials = try await JSONRequest.decode(Credentials.self, from: request, limit: limit, then: Self.credentials)
        do {
            guard case .opened(let opened) = try await signIn.attempt(
                email: credentials.email, password: credentials.password, code: credentials.code, kind: .bearer,
                clientAddress: context.clientAddress, replacing: nil)
            else { throw AppError(.unauthorized, "Sign-in failed", detail: "The email or password is not right.") }
            return try JSON.response(SignedIn(token: opened.token, expiresAt: opened.expiresAt, user: StaffView(opened.user)), status: .created)
        } catch SignIn.Failure.invalid {
            throw AppError(.unauthorized, "Sign-in failed", detail: "The email, password or code is not right.")
        } catch SignIn.Failure.codeRequired {
            throw AppError(.unauthorized, "Two-factor code required",
                           detail: "This account has two-factor sign-in on: send the authenticator code (or a recovery code) as `code`.",
                           fields: [FieldError("code", "is required for this account")])
        } catch SignIn.Failure.throttled {
            throw SignInPageController.throttled
        }
    }

    struct Credentials: Decodable {
        var email: String?
        var password: String?
        var code: String?
    }

    /// Email and password are required, the code optional; nothing else is accepted.
    static func credentials(_ c: Credentials) throws -> (email: String, password: String, code: String?) {
        var errors: [FieldError] = []
        if c.email == nil { errors.append(FieldError("email", "is required")) }
        if c.password == nil { errors.append(FieldError("password", "is required")) }
        guard errors.isEmpty, let email = c.email, let password = c.password else { throw AppError.validation(errors) }
        return (email, password, c.code)
    }

    @Sendable func close(_ request: Request, _ context: AppContext) async throws -> Response {
        if let token = context.signInToken {
            try await signIns.close(token: token, by: context.auditActor)
        }
        return Response(status: .noContent)
    }

    @Sendable func me(_ request: Request, _ context: AppContext) async throws -> Response {
        try JSON.response(StaffView(context.signedInUser))
    }
}
