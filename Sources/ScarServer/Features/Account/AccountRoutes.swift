import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/account/password`: any member of staff changes their own password. The current password
/// is checked, the new one must pass `PasswordPolicy`, every session of the account ends and
/// this browser gets a fresh one. A one-time password must be changed here before anything else.
enum AccountRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let views = services.views
        let secure = services.configuration.secureCookies

        routes.page("/account/password", .allStaff, "Change-password form") { request, context in
            page(views, context, errors: [:], banner: nil, status: .ok, changed: request.uri.queryParameters.get("changed") == "1")
        }

        routes.form("/account/password", .allStaff, "Change my password (ends every other session)") { _, context, form in
            let user = context.user!
            let current = form["current"] ?? ""
            let new = form["new"] ?? ""
            let confirm = form["confirm"] ?? ""
            var errors: [String: String] = [:]
            if current.isEmpty || current.count > 1024 { errors["current"] = "is required" }
            let problems = PasswordPolicy.problems(new, email: user.email)
            if new.count > 1024 { errors["new"] = "must be at most 1024 characters" }
            else if !problems.isEmpty { errors["new"] = problems.joined(separator: "; ") }
            if errors["new"] == nil, new == current { errors["new"] = "must differ from the current password" }
            if confirm != new { errors["confirm"] = "does not match the new password" }
            if errors["current"] == nil, !(try await services.signIn.verifyPassword(email: user.email, password: current)) {
                errors["current"] = "is not right"
            }
            guard errors.isEmpty else {
                return page(views, context, errors: errors, banner: "The password was not changed.", status: .unprocessableContent)
            }
            let hash = try await services.hasher.hash(new)
            try await services.staff.changePassword(userId: user.id, newHash: hash, by: context.auditActor)
            var fresh = user
            fresh.mustChangePassword = false
            let opened = try await services.signIn.open(for: fresh, kind: .cookie, clientAddress: context.clientAddress, replacing: nil)
            // A first password (set by an admin or at installation) leads on to the day's work.
            var response = Response.redirect(to: user.mustChangePassword ? "/?password=set" : "/account/password?changed=1", type: .normal)
            response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: opened.token, path: "/", secure: secure,
                                      httpOnly: true, sameSite: .strict))
            return response
        }
    }

    static func page(_ views: Views, _ context: AppContext, errors: [String: String], banner: String?,
                     status: HTTPResponse.Status, changed: Bool = false) -> Response {
        let fields: [[String: Any]] = [
            ("current", "Current password", "current-password"), ("new", "New password", "new-password"),
            ("confirm", "New password again", "new-password"),
        ].map { name, label, autocomplete in
            ["name": name, "label": label, "autocomplete": autocomplete, "hasError": errors[name] != nil, "error": errors[name] ?? ""]
        }
        return views.render("account-password", title: "Change password", section: "account", data: [
            "fields": fields, "hasBanner": banner != nil, "changed": changed, "banner": banner ?? "",
            "mustChange": context.user?.mustChangePassword ?? false, "minimumLength": PasswordPolicy.minimumLength,
        ], context: context, status: status)
    }
}
