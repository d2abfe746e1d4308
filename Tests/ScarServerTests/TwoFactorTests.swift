import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// A member of staff's two-factor sign-in, driven through the pages and the API.
struct TwoFactorAccount {
    var secret: [UInt8]
    var recoveryCodes: [String]

    /// A code the server has not seen yet: `offset` steps from now (the server accepts ±1).
    func code(offset: Int64 = 1) -> String {
        TOTPGenerator.code(secret: secret, step: TOTP.step(at: Date()) + offset)
    }

    /// Enrols through `/account/two-factor` as a signed-in browser would: reads the key off the
    /// page, confirms with a code, reads the recovery codes shown once.
    static func enrol(_ h: Harness, _ s: PageSession) async throws -> TwoFactorAccount {
        let page = try await s.get(h, "/account/two-factor")
        #expect(page.status == .ok)
        let shown = try #require(Self.text(of: "two-factor-secret", in: page.body))
        let secret = try #require(Base32.decode(shown))
        #expect(page.body.contains("otpauth://totp/ScarTrack"))
        let enabled = try await s.post(h, "/account/two-factor/enable", [("code", TOTPGenerator.code(secret: secret, step: TOTP.step(at: Date())))])
        #expect(enabled.status == .ok)
        let codes = enabled.body.components(separatedBy: "<li><code>").dropFirst().compactMap { $0.components(separatedBy: "</code>").first }
        #expect(codes.count == RecoveryCodes.count)
        return TwoFactorAccount(secret: secret, recoveryCodes: codes)
    }

    static func text(of id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\">") else { return nil }
        return html[start.upperBound...].components(separatedBy: "<").first
    }
}

@Suite("Two-factor sign-in (TOTP), enforced for administrators")
struct TwoFactorTests {
    static func enforcing() -> AppConfiguration {
        var c = Harness.configuration()
        c.requireAdminTwoFactor = true
        return c
    }

    func actions(_ h: Harness) async throws -> [String] {
        try await AuditRepository(h.db).entries(clinicId: h.clinic.id, limit: 1000).map(\.action)
    }

    /// Posts the sign-in form; returns the reply (a redirect to the code step for 2FA accounts).
    static func postSignIn(_ h: Harness, email: String, password: String = Fixtures.password) async throws -> Reply {
        let form = try await h.request(.get, "/signin")
        let csrfCookie = try #require(PageSession.cookie(named: "scartrack_csrf", in: form.headers))
        let hidden = try #require(PageSession.hiddenValue("csrf", in: form.body))
        return try await h.request(.post, "/signin", headers: [.cookie: "scartrack_csrf=\(csrfCookie)"],
                                   rawBody: "csrf=\(hidden)&email=\(PageSession.formEncode(email))&password=\(PageSession.formEncode(password))",
                                   contentType: "application/x-www-form-urlencoded")
    }

    static func postCode(_ h: Harness, pending: String, code: String) async throws -> Reply {
        let page = try await h.request(.get, "/signin/code", headers: [.cookie: "scartrack_pending=\(pending)", .accept: "text/html"])
        #expect(page.status == .ok)
        let csrfCookie = try #require(PageSession.cookie(named: "scartrack_csrf", in: page.headers))
        let hidden = try #require(PageSession.hiddenValue("csrf", in: page.body))
        return try await h.request(.post, "/signin/code", headers: [.cookie: "scartrack_csrf=\(csrfCookie); scartrack_pending=\(pending)", .accept: "text/html"],
                                   rawBody: "csrf=\(hidden)&code=\(PageSession.formEncode(code))", contentType: "application/x-www-form-urlencoded")
    }

    @Test func anAdminWithoutTwoFactorReachesNothingButEnrolment() async throws {
        try await Harness.run(configuration: Self.enforcing()) { h in
            let admin = try await PageSession.signIn(h, email: h.staff[.admin]!.email)
            let patients = try await admin.get(h, "/patients")
            #expect(patients.status == .seeOther)
            #expect(patients.headers[.location] == "/account/two-factor?required=1")
            #expect(try await admin.get(h, "/admin/staff").headers[.location] == "/account/two-factor?required=1")
            let enrol = try await admin.get(h, "/account/two-factor?required=1")
            #expect(enrol.status == .ok)
            #expect(enrol.body.contains("Administrators must turn on two-factor sign-in"))

            let token = try await h.token(.admin)
            let api = try await h.request(.get, "/api/v1/patients", token: token)
            #expect(api.status == .forbidden)
            #expect(api.isProblem)
            #expect(api.json["title"] as? String == "Two-factor authentication required")
            #expect(try await h.request(.get, "/api/v1/me", token: token).status == .ok, "who am I stays answerable")
            // Other roles are not forced (they may turn it on).
            #expect(try await h.request(.get, "/api/v1/patients", token: try await h.token(.practitioner)).status == .ok)

            _ = try await TwoFactorAccount.enrol(h, admin)
            #expect(try await admin.get(h, "/patients").status == .ok, "enrolled: everything the role allows")
            #expect(try await actions(h).contains("auth.2fa-enable"))
        }
    }

    @Test func signInNeedsTheCodeAPendingSignInGrantsNothingAndCodesWorkOnce() async throws {
        try await Harness.run(configuration: Self.enforcing()) { h in
            let email = h.staff[.admin]!.email
            let account = try await TwoFactorAccount.enrol(h, try await PageSession.signIn(h, email: email))

            // Page: the password step gives only a pending cookie, which opens nothing.
            let first = try await Self.postSignIn(h, email: email)
            #expect(first.status == .seeOther)
            #expect(first.headers[.location]?.hasPrefix("/signin/code") == true)
            #expect(PageSession.cookie(named: "scartrack_session", in: first.headers) == nil)
            let pending = try #require(PageSession.cookie(named: "scartrack_pending", in: first.headers))
            for path in ["/patients", "/account/two-factor", "/api/v1/me"] {
                let r = try await h.request(.get, path, headers: [.cookie: "scartrack_pending=\(pending); scartrack_session=\(pending)", .accept: "text/html"])
                #expect(r.status == .seeOther || r.status == .unauthorized, "\(path) with a pending sign-in: \(r.status)")
            }
            let wrong = try await Self.postCode(h, pending: pending, code: String(format: "%06d", (Int(account.code())! + 1) % 1_000_000))
            #expect(wrong.status == .unprocessableContent)
            #expect(try await actions(h).contains("auth.2fa-failed"))
            let code = account.code()
            let right = try await Self.postCode(h, pending: pending, code: code)
            #expect(right.status == .seeOther)
            let session = try #require(PageSession.cookie(named: "scartrack_session", in: right.headers))
            #expect(try await h.request(.get, "/patients", headers: [.cookie: "scartrack_session=\(session)"]).status == .ok)
            // The pending sign-in is spent.
            let again = try await h.request(.get, "/signin/code", headers: [.cookie: "scartrack_pending=\(pending)"])
            #expect(again.headers[.location] == "/signin")

            // API: no code → 401 naming `code`; the code just used → refused (replay). (A fresh
            // TOTP code over the API is in `turningItOffNeedsThePasswordAndACode`: the next unused
            // step only becomes valid 30 seconds later.)
            let missing = try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": Fixtures.password])
            #expect(missing.status == .unauthorized)
            #expect(missing.problemFields == ["code"])
            let replay = try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": Fixtures.password, "code": code])
            #expect(replay.status == .unauthorized)
            // A wrong password with a right code is still a failure.
            #expect(try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": "not the password at all", "code": account.code()]).status == .unauthorized)

            // A recovery code works once.
            let recovery = account.recoveryCodes[0]
            let byRecovery = try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": Fixtures.password, "code": recovery])
            #expect(byRecovery.status == .created)
            #expect(try await actions(h).contains("auth.2fa-recovery-code-used"))
            let spent = try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": Fixtures.password, "code": recovery])
            #expect(spent.status == .unauthorized)
        }
    }

    @Test func wrongCodesAreThrottledLikePasswords() async throws {
        try await Harness.run(configuration: Self.enforcing()) { h in
            let email = h.staff[.practitioner]!.email
            let account = try await TwoFactorAccount.enrol(h, try await PageSession.signIn(h, email: email))
            let wrong = String(format: "%06d", (Int(account.code())! + 500_000) % 1_000_000)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                statuses.append(try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": Fixtures.password, "code": wrong]).status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            // Even the right code is refused while throttled.
            #expect(try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": Fixtures.password, "code": account.code()]).status == .tooManyRequests)
            #expect(try await actions(h).filter { $0 == "auth.2fa-failed" }.count == 5)
        }
    }

    @Test func turningItOffNeedsThePasswordAndACode() async throws {
        try await Harness.run(configuration: Self.enforcing()) { h in
            let email = h.staff[.frontDesk]!.email
            let s = try await PageSession.signIn(h, email: email)
            let account = try await TwoFactorAccount.enrol(h, s)
            let status = try await s.get(h, "/account/two-factor")
            #expect(status.body.contains("id=\"recovery-codes-left\">10<"))
            #expect(!status.body.contains(account.recoveryCodes[0]), "recovery codes are shown once only")
            // API sign-in with the next step's code.
            let used = account.code()
            #expect(try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": Fixtures.password, "code": used]).status == .created)
            // A wrong password with a good (unused) recovery code, then the right password with a spent code: both refused.
            let noPassword = try await s.post(h, "/account/two-factor/disable", [("password", "wrong password here"), ("code", account.recoveryCodes[2])])
            #expect(noPassword.status == .unprocessableContent)
            let spentCode = try await s.post(h, "/account/two-factor/disable", [("password", Fixtures.password), ("code", used)])
            #expect(spentCode.status == .unprocessableContent)
            #expect(try await TwoFactorRepository(h.db).status(userId: h.staff[.frontDesk]!.id).enabled == true, "still on after both refusals")
            let ok = try await s.post(h, "/account/two-factor/disable", [("password", Fixtures.password), ("code", account.recoveryCodes[1])])
            #expect(ok.status == .seeOther)
            #expect(try await TwoFactorRepository(h.db).status(userId: h.staff[.frontDesk]!.id).enabled == false)
            #expect(try await actions(h).contains("auth.2fa-disable"))
            // Signing in needs no code any more.
            _ = try await h.token(email: email)
            #expect(try await AuditRepository(h.db).verify().intact)
        }
    }
}
