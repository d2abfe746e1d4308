import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/admin/staff`: an administrator lists the clinic's staff, adds an account (with a one-time
/// password shown once, to be changed at first sign-in), changes a role, disables or enables.
/// Every change is a permission change in the audit trail; disabling ends every session.
struct StaffAdminController {
    let views: Views
    let staff: StaffRepository
    let hasher: PasswordHasher

    init(_ services: AppServices) {
        (views, staff, hasher) = (services.views, services.staff, services.hasher)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/admin/staff", .adminOnly, "Staff accounts", c.list)
        routes.form("/admin/staff", .adminOnly, "Add a staff account (one-time password)", c.create)
        routes.form("/admin/staff/:id/access", .adminOnly, "Change a staff account's role or disable/enable it", c.changeAccess)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        try await page(context, status: .ok)
    }

    @Sendable func create(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let name = (form["displayName"] ?? "").trimmingCharacters(in: .whitespaces)
        let role = Role(rawValue: form["role"] ?? "")
        var errors = Self.problems(email: email, name: name, role: role)
        if errors.isEmpty, try await staff.credentials(email: email) != nil { errors["email"] = "already has an account" }
        guard errors.isEmpty, let role else {
            return try await page(context, errors: errors, entered: ["email": email, "displayName": name, "role": form["role"] ?? ""],
                                  status: .unprocessableContent)
        }
        let password = Bootstrap.generatePassword()
        let hash = try await hasher.hash(password)
        let user = try await staff.createUser(clinicId: context.signedInUser.clinicId, email: email, displayName: name, role: role,
                                              passwordHash: hash, mustChangePassword: true, by: context.auditActor)
        return try await page(context, created: (user, password), status: .created)
    }

    static func problems(email: String, name: String, role: Role?) -> [String: String] {
        var errors: [String: String] = [:]
        if email.count < 3 || email.count > 254 || !email.contains("@") || email.hasPrefix("@") || email.hasSuffix("@")
            || email.contains(where: { $0.isWhitespace }) { errors["email"] = "must be an email address" }
        if name.isEmpty || name.count > 120 { errors["displayName"] = "is required (at most 120 characters)" }
        if role == nil { errors["role"] = "must be one of " + Role.allCases.map(\.rawValue).joined(separator: ", ") }
        return errors
    }

    @Sendable func changeAccess(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let admin = context.signedInUser
        let id = try context.pageUUID()
        let change = try Self.accessChange(form)
        // An administrator cannot lock themselves out: no demoting or disabling oneself.
        if id == admin.id, (change.role.map { $0 != .admin } ?? false) || change.active == false {
            return try await page(context, banner: "You cannot remove your own administrator access. Ask another administrator.",
                                  status: .unprocessableContent)
        }
        do {
            _ = try await staff.changeAccess(userId: id, clinicId: admin.clinicId, role: change.role, active: change.active,
                                             expectedVersion: change.version, by: context.auditActor)
        } catch StaffRepository.ChangeError.notFound {
            throw AppError.notFound
        } catch StaffRepository.ChangeError.stale {
            return try await page(context, banner: "Someone else changed this account meanwhile. Check it below and try again.",
                                  status: .conflict)
        }
        return Response.redirect(to: "/admin/staff", type: .normal)
    }

    /// The form's version, and the role and active flag when sent; a malformed value is a field error.
    static func accessChange(_ form: FormBody) throws -> (version: Int, role: Role?, active: Bool?) {
        guard let version = form["version"].flatMap(Int.init) else { throw AppError.validation([FieldError("version", "is required")]) }
        var role: Role?
        if let r = form["role"] {
            guard let parsed = Role(rawValue: r) else { throw AppError.validation([FieldError("role", "is not a role")]) }
            role = parsed
        }
        var active: Bool?
        if let a = form["active"] {
            guard a == "true" || a == "false" else { throw AppError.validation([FieldError("active", "must be true or false")]) }
            active = a == "true"
        }
        return (version, role, active)
    }

    func page(_ context: AppContext, errors: [String: String] = [:], entered: [String: String] = [:],
              created: (StaffUser, String)? = nil, banner: String? = nil, status: HTTPResponse.Status) async throws -> Response {
        let me = context.signedInUser
        let users = try await staff.users(clinicId: me.clinicId)
        let page = StaffPage(
            users: users.map { u in
                StaffPage.Row(id: u.id.lower, name: u.displayName, email: u.email, roleLabel: u.role.label, active: u.active, version: u.version,
                              isMe: u.id == me.id, mustChange: u.mustChangePassword,
                              roleOptions: Role.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == u.role) })
            },
            fields: [("email", "Email", "email"), ("displayName", "Name", "text")].map { name, label, type in
                StaffPage.Field(name: name, label: label, type: type, value: entered[name] ?? "", error: errors[name])
            },
            roleOptions: Role.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == (entered["role"] ?? "practitioner")) },
            roleError: errors["role"],
            created: created.map { StaffPage.Created(email: $0.0.email, password: $0.1) },
            banner: banner ?? (errors.isEmpty ? nil : "The account was not added."))
        return views.render(.adminStaff, title: "Staff", section: "staff", page: page, context: context, status: status)
    }
}

/// The `admin-staff` page's view model: the staff list, the new-account form, and the one-time
/// password of an account just added.
struct StaffPage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row {
        var id: String
        var name: String
        var email: String
        var roleLabel: String
        var active: Bool
        var version: Int
        var isMe: Bool
        var mustChange: Bool
        var roleOptions: [Option]
    }

    struct Field {
        var name: String
        var label: String
        var type: String
        var value: String
        var error: String?
    }

    struct Created {
        var email: String
        var password: String
    }

    var users: [Row]
    var fields: [Field]
    var roleOptions: [Option]
    var roleError: String?
    var created: Created?
    var banner: String?
}
