import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/account/two-factor`: turn TOTP two-factor sign-in on (secret shown as base32 and an
/// `otpauth://` URI, confirmed with a code; ten recovery codes shown once) or off (password and
/// a code). Administrators must turn it on before anything else while it is enforced.
struct TwoFactorController {
    static let issuer = "ScarTrack"

    let views: Views
    let twoFactor: TwoFactorRepository
    let signIn: SignIn

    init(_ services: AppServices) {
        (views, twoFactor, signIn) = (services.views, services.twoFactor, services.signIn)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/account/two-factor", .allStaff, "Two-factor sign-in: status, enrolment or turning it off", c.status)
        routes.form("/account/two-factor/enable", .allStaff, "Turn on two-factor sign-in with a code from the app", c.enable)
        routes.form("/account/two-factor/disable", .allStaff, "Turn off two-factor sign-in (password and code)", c.disable)
    }

    @Sendable func status(_ request: Request, _ context: AppContext) async throws -> Response {
        let q = request.uri.queryParameters
        return try await page(context, error: nil, status: .ok, required: q.get("required") == "1", disabled: q.get("disabled") == "1")
    }

    @Sendable func enable(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let user = context.signedInUser
        var rng = SystemRandomNumberGenerator()
        let codes = RecoveryCodes.generate(using: &rng)
        guard try await twoFactor.enable(user: user, code: form["code"] ?? "", recoveryCodes: codes, by: context.auditActor) else {
            return try await page(context, error: "That code is not right. Check the app shows ScarTrack and the phone's clock is correct.",
                                  status: .unprocessableContent)
        }
        let page = TwoFactorPage(enabled: true, enrolling: false, justEnabled: true, recoveryCodes: codes, recoveryCodesLeft: codes.count)
        return views.render(.accountTwoFactor, title: "Two-factor sign-in", section: "account", page: page, context: context)
    }

    @Sendable func disable(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let user = context.signedInUser
        let code = form["code"] ?? ""
        let confirmation = try await signIn.confirm(user, password: form["password"] ?? "", clientAddress: context.clientAddress,
                                                    failureAction: "auth.2fa-failed") {
            guard code.count <= 64 else { return false }
            switch try await twoFactor.verify(userId: user.id, code: code, by: context.auditActor) {
            case .accepted, .recoveryCodeUsed: return true
            case .wrong, .reused: return false
            }
        }
        switch confirmation {
        case .throttled:
            return try await page(context, error: "Too many failed attempts. Wait 15 minutes.", status: .tooManyRequests)
        case .refused:
            return try await page(context, error: "The password or the code is not right. Two-factor sign-in is still on.",
                                  status: .unprocessableContent)
        case .confirmed:
            try await twoFactor.disable(userId: user.id, by: context.auditActor)
            return Response.redirect(to: "/account/two-factor?disabled=1", type: .normal)
        }
    }

    func page(_ context: AppContext, error: String?, status: HTTPResponse.Status, required: Bool = false,
              disabled: Bool = false) async throws -> Response {
        let user = context.signedInUser
        let current = try await twoFactor.status(userId: user.id)
        var page = TwoFactorPage(enabled: current.enabled, enrolling: !current.enabled, justEnabled: false,
                                 recoveryCodesLeft: current.recoveryCodesLeft, error: error, required: required && !current.enabled,
                                 disabled: disabled && !current.enabled)
        if !current.enabled, let secret = try await twoFactor.pendingSecret(userId: user.id) {
            page.secretGroups = Self.groupsOfFour(Base32.encode(secret))
            page.uri = TOTP.authenticatorURI(secret: secret, account: user.email, issuer: Self.issuer)
        }
        return views.render(.accountTwoFactor, title: "Two-factor sign-in", section: "account", page: page, context: context, status: status)
    }

    /// "ABCD EFGH …": the secret as people type it from the screen.
    static func groupsOfFour(_ base32: String) -> String {
        stride(from: 0, to: base32.count, by: 4).map { i -> String in
            let start = base32.index(base32.startIndex, offsetBy: i)
            return String(base32[start..<(base32.index(start, offsetBy: 4, limitedBy: base32.endIndex) ?? base32.endIndex)])
        }.joined(separator: " ")
    }
}

/// The `account-two-factor` page's view model: on (with recovery codes left), being turned on
/// (the key to enter), or just turned on (the recovery codes, shown once).
struct TwoFactorPage {
    var enabled: Bool
    var enrolling: Bool
    var justEnabled: Bool
    var recoveryCodes: [String] = []
    var recoveryCodesLeft: Int
    var error: String?
    var required = false
    var disabled = false
    var secretGroups: String?
    var uri: String?
}
