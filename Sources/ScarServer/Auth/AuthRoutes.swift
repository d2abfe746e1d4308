import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// Sign-in and sign-out, for pages (cookie) and the API (bearer token).
enum AuthRoutes {
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

    static func add(to routes: Routes, services: AppServices) {
        let secure = services.configuration.secureCookies
        let views = services.views

        // MARK: API
        routes.api(.post, "/api/v1/auth/sessions", .anyone, "Sign in; returns a bearer token") { request, context in
            let body = try await JSONBody.read(request, limit: services.configuration.maxJSONBodyBytes)
            var errors: [FieldError] = []
            let email = body.string("email", errors: &errors)
            let password = body.string("password", errors: &errors)
            let code = body.string("code", errors: &errors)
            body.rejectUnknown(allowed: ["email", "password", "code"], errors: &errors)
            if email == nil, !errors.contains(where: { $0.field == "email" }) { errors.append(FieldError("email", "is required")) }
            if password == nil, !errors.contains(where: { $0.field == "password" }) { errors.append(FieldError("password", "is required")) }
            guard errors.isEmpty, let email, let password else { throw AppError.validation(errors) }
            do {
                guard case .opened(let opened) = try await services.signIn.attempt(
                    email: email, password: password, code: code, kind: .bearer, clientAddress: context.clientAddress, replacing: nil)
                else { throw AppError(.unauthorized, "Sign-in failed", detail: "The email or password is not right.") }
                return try JSON.response(SignedIn(token: opened.token, expiresAt: opened.expiresAt, user: StaffView(opened.user)),
                                         status: .created)
            } catch SignIn.Failure.invalid {
                throw AppError(.unauthorized, "Sign-in failed", detail: "The email, password or code is not right.")
            } catch SignIn.Failure.codeRequired {
                throw AppError(.unauthorized, "Two-factor code required",
                               detail: "This account has two-factor sign-in on: send the authenticator code (or a recovery code) as `code`.",
                               fields: [FieldError("code", "is required for this account")])
            } catch SignIn.Failure.throttled {
                throw throttled
            }
        }

        routes.api(.delete, "/api/v1/auth/sessions/current", .allStaff, "Sign out this token or cookie session") { _, context in
            if let token = context.sessionToken {
                try await services.sessions.close(token: token, by: context.auditActor)
            }
            return Response(status: .noContent)
        }

        routes.api(.get, "/api/v1/me", .allStaff, "The signed-in member of staff") { _, context in
            try JSON.response(StaffView(context.user!))
        }

        // MARK: Pages
        routes.page("/signin", .anyone, "Sign-in page") { request, context in
            if context.session != nil { return Response.redirect(to: "/", type: .normal) }
            return signInPage(views: views, context: context, next: request.uri.queryParameters.get("next"), email: "",
                              error: nil, status: .ok, secure: secure)
        }

        routes.form("/signin", .anyone, "Sign in with email and password") { request, context, form in
            let email = form["email"] ?? ""
            let next = safeNext(form["next"])
            do {
                switch try await services.signIn.attempt(email: email, password: form["password"] ?? "", kind: .cookie,
                                                         clientAddress: context.clientAddress, replacing: context.sessionToken) {
                case .opened(let opened):
                    return signedIn(opened, next: next, secure: secure)
                case .needsCode(let user):
                    // Half signed in: a short-lived token that only the code step accepts.
                    let pending = Token.make()
                    try await services.twoFactor.openPending(userId: user.id, kind: .cookie, token: pending, clientAddress: context.clientAddress)
                    var components = URLComponents()
                    components.path = "/signin/code"
                    if let next { components.queryItems = [URLQueryItem(name: "next", value: next)] }
                    var response = Response.redirect(to: components.string ?? "/signin/code", type: .normal)
                    response.setCookie(Cookie(name: pendingCookieName, value: pending, path: "/signin", secure: secure, httpOnly: true,
                                              sameSite: .strict))
                    return response
                }
            } catch SignIn.Failure.invalid {
                return signInPage(views: views, context: context, next: next, email: email,
                                  error: "The email or password is not right.", status: .unprocessableContent, secure: secure)
            } catch SignIn.Failure.throttled {
                return signInPage(views: views, context: context, next: next, email: email,
                                  error: "Too many failed attempts. Wait 15 minutes, or ask an administrator.",
                                  status: .tooManyRequests, secure: secure)
            }
        }

        // MARK: Second step (two-factor)
        routes.page("/signin/code", .anyone, "Two-factor code step of sign-in") { request, context in
            guard let token = request.cookies[pendingCookieName]?.value, token.count <= 128,
                  try await services.twoFactor.pendingUser(token: token) != nil
            else { return Response.redirect(to: "/signin", type: .normal) }
            return codePage(views: views, context: context, next: request.uri.queryParameters.get("next"), error: nil, status: .ok, secure: secure)
        }

        routes.form("/signin/code", .anyone, "Give the two-factor code (or a recovery code)") { request, context, form in
            let next = safeNext(form["next"])
            guard let token = request.cookies[pendingCookieName]?.value, token.count <= 128,
                  let userId = try await services.twoFactor.pendingUser(token: token),
                  let user = try await services.staff.user(id: userId)
            else {
                return signInPage(views: views, context: context, next: next, email: "",
                                  error: "The sign-in took too long. Sign in again.", status: .unprocessableContent, secure: secure)
            }
            do {
                let opened = try await services.signIn.secondStep(user: user, code: form["code"] ?? "", kind: .cookie,
                                                                  clientAddress: context.clientAddress, replacing: context.sessionToken)
                try await services.twoFactor.closePending(token: token)
                var response = signedIn(opened, next: next, secure: secure)
                response.setCookie(Cookie(name: pendingCookieName, value: "", maxAge: 0, path: "/signin", secure: secure, httpOnly: true,
                                          sameSite: .strict))
                return response
            } catch SignIn.Failure.invalid {
                return codePage(views: views, context: context, next: next, error: "That code is not right (or was already used).",
                                status: .unprocessableContent, secure: secure)
            } catch SignIn.Failure.throttled {
                try await services.twoFactor.closePending(token: token)
                return signInPage(views: views, context: context, next: next, email: "",
                                  error: "Too many failed attempts. Wait 15 minutes, or ask an administrator.",
                                  status: .tooManyRequests, secure: secure)
            }
        }

        routes.form("/signout", .allStaff, "Sign out") { _, context, _ in
            if let token = context.sessionToken {
                try await services.sessions.close(token: token, by: context.auditActor)
            }
            var response = Response.redirect(to: "/signin", type: .normal)
            response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secure,
                                      httpOnly: true, sameSite: .strict))
            return response
        }

    }

    static let pendingCookieName = "scartrack_pending"

    static func signedIn(_ opened: SignIn.Opened, next: String?, secure: Bool) -> Response {
        var response = Response.redirect(to: next ?? "/", type: .normal)
        response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: opened.token, path: "/", secure: secure,
                                  httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: CSRF.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true,
                                  sameSite: .strict))
        return response
    }

    static func codePage(views: Views, context: AppContext, next: String?, error: String?, status: HTTPResponse.Status,
                         secure: Bool) -> Response {
        let csrf = Token.make()
        var response = views.render("signin-code", title: "Two-factor code", data: [
            "csrfForm": csrf, "next": safeNext(next) ?? "", "error": error ?? "", "hasError": error != nil,
        ], context: context, status: status)
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

    static func signInPage(views: Views, context: AppContext, next: String?, email: String, error: String?,
                           status: HTTPResponse.Status, secure: Bool) -> Response {
        let csrf = Token.make()
        var response = views.render("signin", title: "Sign in", data: [
            "csrfForm": csrf, "next": safeNext(next) ?? "", "email": email, "error": error ?? "", "hasError": error != nil,
        ], context: context, status: status)
        response.setCookie(Cookie(name: CSRF.cookieName, value: csrf, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
        return response
    }
}
