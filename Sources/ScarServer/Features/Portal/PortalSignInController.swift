import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The portal's sign-in pages: the e-mail step (a code is sent when the address is invited, the
/// same answer either way), the code step, the e-mailed link's confirm page (a GET never signs in,
/// so a mail scanner cannot use the link up) and sign-out. The portal keeps its own cookie.
struct PortalSignInController {
    let views: Views
    let requestCode: RequestPortalCode
    let signIn: SignInWithCode
    let signOut: SignOutOfPortal
    let secure: Bool
    let publicURL: String?

    init(_ services: AppServices) {
        views = services.views
        requestCode = RequestPortalCode(services.database)
        signIn = SignInWithCode(services.database)
        signOut = SignOutOfPortal(services.database)
        secure = services.configuration.secureCookies
        publicURL = services.configuration.publicURL
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/portal/signin", .anyone, "Portal: sign-in page (e-mail address)", c.emailForm)
        routes.form("/portal/signin", .anyone, "Portal: send a sign-in code to an invited e-mail address", c.sendCode)
        routes.page("/portal/signin/code", .anyone, "Portal: code entry page", c.codeForm)
        routes.form("/portal/signin/code", .anyone, "Portal: sign in with e-mail address and code", c.signInWithCode)
        routes.page("/portal/signin/link", .anyone, "Portal: confirm page of an e-mailed sign-in link (does not sign in)", c.linkForm)
        routes.form("/portal/signin/link", .anyone, "Portal: sign in with an e-mailed link", c.signInWithLink)
        routes.form("/portal/signout", .patient, "Portal: sign out", c.signOutOfPortal)
    }

    @Sendable func emailForm(_ request: Request, _ context: AppContext) async throws -> Response {
        if context.signedInPatient != nil { return Response.redirect(to: "/portal", type: .normal) }
        return page(.portalSignin, "Sign in", context, SignInPage())
    }

    @Sendable func sendCode(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let email = form["email"] ?? ""
        do {
            switch try await requestCode(email: email, clientAddress: context.clientAddress, linkBase: publicURL, now: context.now) {
            case .accepted:
                return page(.portalCode, "Enter your code", context, SignInPage(email: email, sent: true))
            case .throttled:
                return page(.portalSignin, "Sign in", context, SignInPage(email: email, error: Self.tooMany), status: .tooManyRequests)
            }
        } catch let refusal as Refusal {
            return page(.portalSignin, "Sign in", context, SignInPage(email: email, emailError: refusal.fields.first?.message ?? "is not an e-mail address"),
                        status: .unprocessableContent)
        }
    }

    @Sendable func codeForm(_ request: Request, _ context: AppContext) async throws -> Response {
        page(.portalCode, "Enter your code", context, SignInPage(email: request.uri.queryParameters.get("email") ?? ""))
    }

    @Sendable func signInWithCode(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let email = form["email"] ?? ""
        switch try await signIn(.code(email: email, code: form["code"]), clientAddress: context.clientAddress, now: context.now) {
        case .signedIn(let opened): return signedIn(opened)
        case .wrong:
            return page(.portalCode, "Enter your code", context, SignInPage(email: email, error: Self.wrongCode),
                        status: .unprocessableContent)
        case .throttled:
            return page(.portalCode, "Enter your code", context, SignInPage(email: email, error: Self.tooMany), status: .tooManyRequests)
        }
    }

    @Sendable func linkForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let token = request.uri.queryParameters.get("token").flatMap { PortalSecret.normalizedLink(String($0)) }
        return page(.portalLink, "Sign in", context, SignInPage(error: token == nil ? "This sign-in link is not complete. Ask for a new code." : nil,
                                                              token: token ?? "", hasToken: token != nil))
    }

    @Sendable func signInWithLink(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        switch try await signIn(.link(form["token"]), clientAddress: context.clientAddress, now: context.now) {
        case .signedIn(let opened): return signedIn(opened)
        case .wrong:
            return page(.portalLink, "Sign in", context, SignInPage(error: "This link has expired or was already used. Ask for a new code."),
                        status: .unprocessableContent)
        case .throttled:
            return page(.portalLink, "Sign in", context, SignInPage(error: Self.tooMany), status: .tooManyRequests)
        }
    }

    @Sendable func signOutOfPortal(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        if let session = context.signedInPatient {
            try await signOut(tokenHash: session.tokenHash, patient: context.portalPatient, actor: context.portalActor, now: context.now)
        }
        var response = Response.redirect(to: "/portal/signin", type: .normal)
        response.setCookie(PortalSignInMiddleware.cookie(nil, secure: secure))
        return response
    }

    static let wrongCode = "That code is not right, has expired or was already used. Check it, or ask for a new one."
    static let tooMany = "Too many attempts. Wait 15 minutes, or call your clinic."

    /// A new portal session: the portal's cookie (HttpOnly, SameSite=Strict), never the staff one.
    func signedIn(_ opened: SignInWithCode.Opened) -> Response {
        var response = Response.redirect(to: "/portal", type: .normal)
        response.setCookie(PortalSignInMiddleware.cookie(opened.token, secure: secure))
        response.setCookie(Cookie(name: CSRF.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
        return response
    }

    /// A signed-out portal form, with its double-submit CSRF token in the page and a cookie.
    func page(_ template: Template, _ title: String, _ context: AppContext, _ page: SignInPage, status: HTTPResponse.Status = .ok) -> Response {
        let csrf = Token.make()
        var page = page
        page.csrfForm = csrf
        var response = views.portal(template, title: title, page: page, context: context, status: status)
        response.setCookie(Cookie(name: CSRF.cookieName, value: csrf, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
        return response
    }
}

/// The signed-out portal pages' view model (`portal-signin`, `portal-code`, `portal-link`).
struct SignInPage {
    var email: String
    var sent: Bool
    var emailError: String?
    var error: String?
    var hasError: Bool
    var token: String
    var hasToken: Bool
    var csrfForm = ""

    init(email: String = "", sent: Bool = false, emailError: String? = nil, error: String? = nil, token: String = "", hasToken: Bool = false) {
        self.email = email
        self.sent = sent
        self.emailError = emailError
        self.error = error
        hasError = error != nil
        self.token = token
        self.hasToken = hasToken
    }
}
