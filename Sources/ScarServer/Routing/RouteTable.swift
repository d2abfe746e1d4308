import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// One declared route: method, path pattern (Hummingbird syntax, `:id`), policy, kind.
public struct RouteSpec: Sendable, Equatable {
    public var method: HTTPRequest.Method
    public var path: String
    public var kind: RouteKind
    public var policy: AccessPolicy
    public var summary: String
}

/// The list of every route the server answers, kept beside the router so tests (policy
/// coverage, the OpenAPI match, the authorization matrix) can walk it.
public final class RouteTable: Sendable {
    private let storage = NIOLockedValueBox<[RouteSpec]>([])
    public init() {}
    public var routes: [RouteSpec] { storage.withLockedValue { $0 } }
    func append(_ spec: RouteSpec) { storage.withLockedValue { $0.append(spec) } }
}

/// Adds routes to the Hummingbird router, wrapping each handler in its access policy and,
/// for state-changing page routes, the CSRF check. A handler can only be added through here.
struct Routes {
    let router: Router<AppContext>
    let table: RouteTable
    let limits: AppConfiguration

    typealias Handler = @Sendable (Request, AppContext) async throws -> Response
    typealias FormHandler = @Sendable (Request, AppContext, FormBody) async throws -> Response
    typealias UploadHandler = @Sendable (Request, AppContext, MultipartForm) async throws -> Response

    func api(_ method: HTTPRequest.Method, _ path: String, _ policy: AccessPolicy, _ summary: String, _ handler: @escaping Handler) {
        add(method, path, .api, policy, summary, handler)
    }

    func page(_ path: String, _ policy: AccessPolicy, _ summary: String, _ handler: @escaping Handler) {
        add(.get, path, .page, policy, summary, handler)
    }

    /// A page form submission: the body is read as a form and its `csrf` field checked
    /// before the handler runs.
    func form(_ path: String, _ policy: AccessPolicy, _ summary: String, _ handler: @escaping FormHandler) {
        let limit = limits.maxFormBodyBytes
        add(.post, path, .page, policy, summary) { request, context in
            let form = try await FormBody.read(request, limit: limit)
            try CSRF.check(form: form, request: request, context: context, policy: policy)
            return try await handler(request, context, form)
        }
    }

    /// A page form with files (`multipart/form-data`): the body, up to `limit` bytes (above
    /// the usual form limit, for this route only), is parsed and its `csrf` part checked exactly
    /// as `CSRF.check` checks a urlencoded form, before the handler runs.
    func upload(_ path: String, _ policy: AccessPolicy, _ summary: String, limit: Int, _ handler: @escaping UploadHandler) {
        add(.post, path, .page, policy, summary) { request, context in
            let form = try await MultipartForm.read(request, limit: limit)
            guard let sent = form[CSRF.fieldName], !sent.isEmpty else { throw AppError.csrf }
            if let expected = CSRF.sessionToken(policy: policy, context: context) {
                guard CSRF.equal(sent, expected) else { throw AppError.csrf }
            } else {
                guard let cookie = request.cookies[CSRF.cookieName]?.value, CSRF.equal(sent, cookie) else { throw AppError.csrf }
            }
            return try await handler(request, context, form)
        }
    }

    func asset(_ path: String, _ summary: String, _ handler: @escaping Handler) {
        add(.get, path, .asset, .anyone, summary, handler)
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ kind: RouteKind, _ policy: AccessPolicy, _ summary: String,
                     _ handler: @escaping Handler) {
        table.append(RouteSpec(method: method, path: path, kind: kind, policy: policy, summary: summary))
        let requireAdminTwoFactor = limits.requireAdminTwoFactor
        let operatorToken = limits.operatorToken
        router.on(RouterPath(path), method: method) { request, context in
            try Self.authorize(policy, kind: kind, method: method, path: path, request: request, context: context,
                               requireAdminTwoFactor: requireAdminTwoFactor, operatorToken: operatorToken)
            return try await handler(request, context)
        }
    }

    /// The only routes a member of staff with a one-time password may use.
    static let passwordChangeExempt: Set<String> = ["/account/password", "/signout", "/api/v1/auth/sessions/current", "/api/v1/me"]

    /// The only routes an administrator without two-factor sign-in may use while it is
    /// enforced (`SCARTRACK_REQUIRE_ADMIN_2FA`): enrol, change the password, sign out.
    static let twoFactorExempt: Set<String> = passwordChangeExempt.union(["/account/two-factor", "/account/two-factor/enable"])

    /// The only routes a session handed to a patient (tablet patient mode) may use: the signing
    /// screen, the signature, and staff taking it back with their password.
    static let patientModeRoutes: Set<String> = ["/patient-mode", "/patient-mode/consent", "/patient-mode/return"]

    static func authorize(_ policy: AccessPolicy, kind: RouteKind, method: HTTPRequest.Method, path: String, request: Request,
                          context: AppContext, requireAdminTwoFactor: Bool = true, operatorToken: String? = nil) throws {
        if case .installationOperator = policy {
            // Only the operator's bearer token opens these; a staff session (any role) is 403,
            // nothing at all 401. Without a configured token the operator API is closed.
            if let operatorToken, let sent = OperatorCredential.bearer(in: request), OperatorCredential.matches(sent, operatorToken) { return }
            if context.signedIn != nil { throw AppError.operatorOnly }
            throw AppError.operatorRequired
        }
        if case .patient = policy { return try authorizePatient(kind: kind, method: method, request: request, context: context) }
        guard case .staff = policy else { return }
        guard let session = context.signedIn else {
            // A patient signed in to the portal is no member of staff: refused, not sent to sign in.
            if context.signedInPatient != nil { throw AppError.forbidden }
            if kind == .page { throw SignInRedirect(next: request.uri.path) }
            throw AppError.unauthenticated
        }
        if session.patientMode != nil, !patientModeRoutes.contains(path) {
            if kind == .page { throw PatientModeRedirect() }
            throw AppError.patientMode
        }
        guard policy.allows(session.user.role) else { throw AppError.forbidden }
        if session.user.mustChangePassword, !passwordChangeExempt.contains(path) {
            if kind == .page { throw PasswordChangeRedirect() }
            throw AppError.passwordChangeRequired
        }
        if requireAdminTwoFactor, session.user.role == .admin, !session.twoFactorEnabled, !twoFactorExempt.contains(path) {
            if kind == .page { throw TwoFactorEnrolmentRedirect() }
            throw AppError.twoFactorRequired
        }
        // API calls with the browser's cookie carry the CSRF token in a header; bearer
        // tokens are not sent by browsers on their own, so they need none.
        if kind == .api, session.kind == .cookie, ![.get, .head, .options].contains(method) {
            guard let header = request.headers[.csrfToken], CSRF.equal(header, session.csrfToken) else { throw AppError.csrf }
        }
    }
}

extension Routes {
    /// Portal routes: a portal session, nothing else. Staff (any role) get 403; nobody signed in
    /// gets the portal's sign-in page (pages) or 401 (API). API calls with the portal cookie
    /// carry its CSRF token in `X-CSRF-Token`.
    static func authorizePatient(kind: RouteKind, method: HTTPRequest.Method, request: Request, context: AppContext) throws {
        guard let patient = context.signedInPatient else {
            if context.signedIn != nil { throw AppError.forbidden }
            if kind == .page { throw PortalSignInRedirect() }
            throw AppError.unauthenticated
        }
        if kind == .api, ![.get, .head, .options].contains(method) {
            guard let header = request.headers[.csrfToken], CSRF.equal(header, patient.csrfToken) else { throw AppError.csrf }
        }
    }
}

/// Thrown when a session handed to a patient asks for any other page; rendered as a redirect back to the signing screen.
struct PatientModeRedirect: Error {}

/// Thrown when a portal page needs a signed-in patient; rendered as a redirect to the portal's sign-in page.
struct PortalSignInRedirect: Error {}

/// Thrown when a member of staff still has a one-time password; rendered as a redirect to
/// the change-password page.
struct PasswordChangeRedirect: Error {}

/// Thrown when an administrator must enrol in two-factor sign-in before anything else;
/// rendered as a redirect to the enrolment page.
struct TwoFactorEnrolmentRedirect: Error {}

/// Thrown when a page needs a signed-in user; rendered as a redirect to the sign-in page.
struct SignInRedirect: Error {
    var next: String
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
