import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The sign-in pages (password, then the two-factor code when the account has it on), sign-out
/// and the start page. The browser keeps its session in a cookie.
struct SignInPageController {
    static let pendingCookieName = "scartrack_pending"

    let views: Views
    let signIn: SignIn
    let signIns: SignInRepository
    let twoFactor: TwoFactorRepository
    let staff: StaffRepository
    let secure: Bool

    init(_ services: AppServices) {
        (views, signIn, signIns, twoFactor, staff) = (services.views, services.signIn, services.signIns, services.twoFactor, services.staff)
        secure = services.configuration.secureCookies
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/signin", .anyone, "Sign-in page", c.signInForm)
        routes.form("/signin", .anyone, "Sign in with email and password", c.signInWithPassword)
        routes.page("/signin/code", .anyone, "Two-factor code step of sign-in", c.codeForm)
        routes.form("/signin/code", .anyone, "Give the two-factor code (or a recovery code)", c.signInWithCode)
        routes.form("/signout", .allStaff, "Sign out", c.signOut)
    }

    @Sendable func signInForm(_ request: Request, _ context: AppContext) async throws -> Response {
        if context.signedIn != nil { return Response.redirect(to: "/", type: .normal) }
        return signInPage(context, next: request.uri.queryParameters.get("next"), email: "", error: nil, status: .ok)
    }

    @Sendable func signInWithPassword(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let email = form["email"] ?? ""
        let next = Self.safeNext(form["next"])
        do {
            switch try await signIn.attempt(email: email, password: form["password"] ?? "", kind: .cookie,
                                            clientAddress: context.clientAddress, replacing: context.signInToken) {
            case .opened(let opened):
                return signedIn(opened, next: next)
            case .needsCode(let user):
                return try await askForCode(user, next: next, context: context)
            }
        } catch SignIn.Failure.invalid {
            return signInPage(context, next: next, email: email, error: "The email or password is not right.", status: .unprocessableContent)
        } catch SignIn.Failure.throttled {
            return signInPage(context, next: next, email: email, error: "Too many failed attempts. Wait 15 minutes, or ask an administrator.",
                              status: .tooManyRequests)
        }
    }

    /// Half signed in: a short-lived token that only the code step accepts.
    func askForCode(_ user: StaffUser, next: String?, context: AppContext) async throws -> Response {
        let pending = Token.make()
        try await twoFactor.openPending(userId: user.id, kind: .cookie, token: pending, clientAddress: context.clientAddress)
        var components = URLComponents()
        components.path = "/signin/code"
        if let next { components.queryItems = [URLQueryItem(name: "next", value: next)] }
        var response = Response.redirect(to: components.string ?? "/signin/code", type: .normal)
        response.setCookie(Cookie(name: Self.pendingCookieName, value: pending, path: "/signin", secure: secure, httpOnly: true,
                                  sameSite: .strict))
        return response
    }

    @Sendable func codeForm(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let token = request.cookies[Self.pendingCookieName]?.value, token.count <= 128,
              try await twoFactor.pendingUser(token: token) != nil
        else { return Response.redirect(to: "/signin", type: .normal) }
        return codePage(context, next: request.uri.queryParameters.get("next"), error: nil, status: .ok)
    }

    @Sendable func signInWithCode(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let next = Self.safeNext(form["next"])
        guard let token = request.cookies[Self.pendingCookieName]?.value, token.count <= 128,
              let userId = try await twoFactor.pendingUser(token: token),
              let user = try await staff.user(id: userId)
        else {
            return signInPage(context, next: next, email: "", error: "The sign-in took too long. Sign in again.", status: .unprocessableContent)
        }
        do {
            let opened = try await signIn.secondStep(user: user, code: form["code"] ?? "", kind: .cookie,
                                                     clientAddress: context.clientAddress, replacing: context.signInToken)
            try await twoFactor.closePending(token: token)
            var response = signedIn(opened, next: next)
            response.setCookie(Cookie(name: Self.pendingCookieName, value: "", maxAge: 0, path: "/signin", secure: secure, httpOnly: true,
                                      sameSite: .strict))
            return response
        } catch SignIn.Failure.invalid {
            return codePage(context, next: next, error: "That code is not right (or was already used).", status: .unprocessableContent)
        } catch SignIn.Failure.throttled {
            try await twoFactor.closePending(token: token)
            return signInPage(context, next: next, email: "", error: "Too many failed attempts. Wait 15 minutes, or ask an administrator.",
                              status: .tooManyRequests)
        }
    }

    @Sendable func signOut(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        if let token = context.signInToken {
            try await signIns.close(token: token, by: context.auditActor)
        }
        var response = Response.redirect(to: "/signin", type: .normal)
        response.setCookie(Cookie(name: SignInMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secure,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    func signedIn(_ opened: SignIn.Opened, next: String?) -> Response {
        var response = Response.redirect(to: next ?? "/", type: .normal)
        response.setCookie(Cookie(name: SignInMiddleware.cookieName, value: opened.token, path: "/", secure: secure,
                                  httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: CSRF.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true,
                                  sameSite: .strict))
        return response
    }

    func codePage(_ context: AppContext, next: String?, error: String?, status: HTTPResponse.Status) -> Response {
        withFormToken { csrf in
            views.render(.signinCode, title: "Two-factor code", page: StaffSignInPage(csrfForm: csrf, next: Self.safeNext(next) ?? "", email: "",
                                                                                 signInError: error), context: context, status: status)
        }
    }

    func signInPage(_ context: AppContext, next: String?, email: String, error: String?, status: HTTPResponse.Status) -> Response {
        withFormToken { csrf in
            views.render(.signin, title: "Sign in", page: StaffSignInPage(csrfForm: csrf, next: Self.safeNext(next) ?? "", email: email,
                                                                     signInError: error), context: context, status: status)
        }
    }

    /// A signed-out form's CSRF token: in the page and in a cookie, compared when it is posted.
    func withFormToken(_ render: (String) -> Response) -> Response {
        let csrf = Token.make()
        var response = render(csrf)
        response.setCookie(Cookie(name: CSRF.cookieName, value: csrf, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
        return response
    }

    static var throttled: AppError {
        var headers = HTTPFields()
        headers[.retryAfter] = "900"
        return AppError(.tooManyRequests, "Too many failed sign-ins", detail: "Wait 15 minutes before trying again.", headers: headers)
    }

    /// Only local paths are followed after sign-in: never another site.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 512 else { return nil }
        return next
    }
}

/// The `signin` and `signin-code` pages: the form's token, where to go next, the typed address
/// kept, and the refusal when there is one.
struct StaffSignInPage {
    var csrfForm: String
    var next: String
    var email: String
    var signInError: String?
}
