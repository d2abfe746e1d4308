import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/account/password`: any member of staff changes their own password. The current password
/// is checked, the new one must pass `PasswordPolicy`, every session of the account ends and
/// this browser gets a fresh one. A one-time password must be changed here before anything else.
struct AccountController {
    let views: Views
    let signIn: SignIn
    let hasher: PasswordHasher
    let staff: StaffRepository
    let secure: Bool

    init(_ services: AppServices) {
        (views, signIn, hasher, staff) = (services.views, services.signIn, services.hasher, services.staff)
        secure = services.configuration.secureCookies
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/account/password", .allStaff, "Change-password form", c.form)
        routes.form("/account/password", .allStaff, "Change my password (ends every other session)", c.change)
    }

    @Sendable func form(_ request: Request, _ context: AppContext) async throws -> Response {
        page(context, errors: [:], banner: nil, status: .ok, changed: request.uri.queryParameters.get("changed") == "1")
    }

    @Sendable func change(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let user = context.signedInUser
        let current = form["current"] ?? "", new = form["new"] ?? "", confirm = form["confirm"] ?? ""
        var errors = Self.problems(current: current, new: new, confirm: confirm, email: user.email)
        if errors["current"] == nil, !(try await signIn.verifyPassword(email: user.email, password: current)) {
            errors["current"] = "is not right"
        }
        guard errors.isEmpty else {
            return page(context, errors: errors, banner: "The password was not changed.", status: .unprocessableContent)
        }
        let hash = try await hasher.hash(new)
        try await staff.changePassword(userId: user.id, newHash: hash, by: context.auditActor)
        var fresh = user
        fresh.mustChangePassword = false
        let opened = try await signIn.open(for: fresh, kind: .cookie, clientAddress: context.clientAddress, replacing: nil)
        // A first password (set by an admin or at installation) leads on to the day's work.
        var response = Response.redirect(to: user.mustChangePassword ? "/?password=set" : "/account/password?changed=1", type: .normal)
        response.setCookie(Cookie(name: SignInMiddleware.cookieName, value: opened.token, path: "/", secure: secure,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    /// What is wrong with the three fields before the current password is checked.
    static func problems(current: String, new: String, confirm: String, email: String) -> [String: String] {
        var errors: [String: String] = [:]
        if current.isEmpty || current.count > 1024 { errors["current"] = "is required" }
        let problems = PasswordPolicy.problems(new, email: email)
        if new.count > 1024 { errors["new"] = "must be at most 1024 characters" }
        else if !problems.isEmpty { errors["new"] = problems.joined(separator: "; ") }
        if errors["new"] == nil, new == current { errors["new"] = "must differ from the current password" }
        if confirm != new { errors["confirm"] = "does not match the new password" }
        return errors
    }

    func page(_ context: AppContext, errors: [String: String], banner: String?, status: HTTPResponse.Status, changed: Bool = false) -> Response {
        let page = PasswordPage(
            fields: [("current", "Current password", "current-password"), ("new", "New password", "new-password"),
                     ("confirm", "New password again", "new-password")].map { .init(name: $0, label: $1, autocomplete: $2, error: errors[$0]) },
            banner: banner, changed: changed, mustChange: context.user?.mustChangePassword ?? false)
        return views.render(.accountPassword, title: "Change password", section: "account", page: page, context: context, status: status)
    }
}

/// The `account-password` page's view model.
struct PasswordPage {
    struct Field {
        var name: String
        var label: String
        var autocomplete: String
        var error: String?
    }

    var fields: [Field]
    var banner: String?
    var changed: Bool
    var mustChange: Bool
    var minimumLength = PasswordPolicy.minimumLength
}
