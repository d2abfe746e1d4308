import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

extension PageSession {
    /// Signs in through the form as any account (also one with a one-time password) and takes
    /// the CSRF token from the change-password page, which every account may open.
    static func signIn(_ h: Harness, email: String, password: String = Fixtures.password) async throws -> PageSession {
        let form = try await h.request(.get, "/signin")
        let csrfCookie = try #require(cookie(named: "scartrack_csrf", in: form.headers))
        let hidden = try #require(hiddenValue("csrf", in: form.body))
        let posted = try await h.request(.post, "/signin", headers: [.cookie: "scartrack_csrf=\(csrfCookie)"],
                                         rawBody: "csrf=\(hidden)&email=\(formEncode(email))&password=\(formEncode(password))",
                                         contentType: "application/x-www-form-urlencoded")
        guard posted.status == .seeOther, let session = cookie(named: "scartrack_session", in: posted.headers) else {
            throw HarnessError("page sign-in failed: \(posted.status)")
        }
        let page = try await h.request(.get, "/account/password", headers: [.cookie: "scartrack_session=\(session)"])
        return PageSession(sessionCookie: session, csrf: try #require(hiddenValue("csrf", in: page.body)))
    }
}

@Suite("Staff accounts: password change, one-time passwords, admin staff page")
struct StaffAccountTests {
    static let newPassword = "Four Rolling Boxcar Scars Heal"

    func actions(_ h: Harness) async throws -> [String] {
        try await AuditRepository(h.db).entries(clinicId: h.clinic.id, limit: 1000).map(\.action)
    }

    @Test func changingThePasswordChecksTheCurrentOneAndThePolicyAndEndsEveryOtherSession() async throws {
        try await Harness.run { h in
            let email = h.staff[.practitioner]!.email
            let otherDevice = try await h.token(.practitioner)
            let s = try await PageSession.signIn(h, email: email)

            let wrong = try await s.post(h, "/account/password", [("current", "not-my-password-at-all"), ("new", Self.newPassword), ("confirm", Self.newPassword)])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains("Current password is not right"))
            let weak = try await s.post(h, "/account/password", [("current", Fixtures.password), ("new", "password1234"), ("confirm", "password1234")])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.body.contains("most commonly used"))
            let mismatch = try await s.post(h, "/account/password", [("current", Fixtures.password), ("new", Self.newPassword), ("confirm", "x")])
            #expect(mismatch.status == .unprocessableContent)
            #expect(try await h.request(.get, "/api/v1/me", token: otherDevice).status == .ok, "refused changes end nothing")

            let ok = try await s.post(h, "/account/password", [("current", Fixtures.password), ("new", Self.newPassword), ("confirm", Self.newPassword)])
            #expect(ok.status == .seeOther)
            let fresh = try #require(PageSession.cookie(named: "scartrack_session", in: ok.headers))
            #expect(fresh != s.sessionCookie, "a new session id after the change")
            // Every session from before is gone: the other device and this browser's old cookie.
            #expect(try await h.request(.get, "/api/v1/me", token: otherDevice).status == .unauthorized)
            #expect(try await s.get(h, "/patients").status == .seeOther)
            // The new session works, the old password does not, the new one does.
            let page = try await h.request(.get, "/account/password?changed=1", headers: [.cookie: "scartrack_session=\(fresh)"])
            #expect(page.status == .ok)
            #expect(page.body.contains("Your password was changed"))
            let old = try await h.request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": Fixtures.password])
            #expect(old.status == .unauthorized)
            _ = try await h.token(email: email, password: Self.newPassword)
            #expect(try await actions(h).contains("staff.password-change"))
        }
    }

    @Test func aOneTimePasswordMustBeChangedBeforeAnythingElse() async throws {
        try await Harness.run { h in
            _ = try await StaffRepository(h.db).createUser(clinicId: h.clinic.id, email: "new.admin@harbour.example", displayName: "New Admin",
                                                            role: .admin, passwordHash: Fixtures.passwordHash, mustChangePassword: true,
                                                            by: .commandLine(clinicId: h.clinic.id))
            let s = try await PageSession.signIn(h, email: "new.admin@harbour.example")
            let patients = try await s.get(h, "/patients")
            #expect(patients.status == .seeOther)
            #expect(patients.headers[.location] == "/account/password")
            let page = try await s.get(h, "/account/password")
            #expect(page.body.contains("one-time password"))
            let token = try await h.token(email: "new.admin@harbour.example")
            let api = try await h.request(.get, "/api/v1/patients", token: token)
            #expect(api.status == .forbidden)
            #expect(api.json["title"] as? String == "Password change required")

            let ok = try await s.post(h, "/account/password", [("current", Fixtures.password), ("new", Self.newPassword), ("confirm", Self.newPassword)])
            #expect(ok.status == .seeOther)
            let fresh = try #require(PageSession.cookie(named: "scartrack_session", in: ok.headers))
            #expect(try await h.request(.get, "/patients", headers: [.cookie: "scartrack_session=\(fresh)"]).status == .ok)
        }
    }

    @Test func firstStartAdminMustChangeTheOneTimePassword() async throws {
        try await TestDatabase.with { db in
            let admin = try #require(try await Bootstrap.ensureInitialAdmin(db))
            let user = try #require(try await StaffRepository(db).credentials(email: admin.email)).user
            #expect(user.mustChangePassword)
        }
    }

    @Test func adminAddsStaffWithAOneTimePasswordChangesRoleAndDisables() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let list = try await admin.get(h, "/admin/staff")
            #expect(list.status == .ok)
            #expect(list.body.contains(h.staff[.researcher]!.email))
            #expect(!list.body.contains(h.otherClinicAdmin.email), "only this clinic's staff")

            let bad = try await admin.post(h, "/admin/staff", [("email", "not-an-email"), ("displayName", ""), ("role", "superuser")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("Email must be an email address") && bad.body.contains("Role must be one of"))

            let added = try await admin.post(h, "/admin/staff", [("email", "Rater@Harbour.example"), ("displayName", "Rae Rater"), ("role", "blinded-rater")])
            #expect(added.status == .created)
            let password = try #require(added.body.range(of: "id=\"created-password\">").map { r in
                String(added.body[r.upperBound...].prefix { $0 != "<" })
            })
            #expect(password.count == 23)
            #expect(try await actions(h).contains("staff.create"))
            let rater = try #require(try await StaffRepository(h.db).credentials(email: "rater@harbour.example")).user
            #expect(rater.role == .blindedRater && rater.mustChangePassword)
            _ = try await PageSession.signIn(h, email: "rater@harbour.example", password: password)

            // Change the front desk to practitioner, then disable: the sessions end at once.
            let desk = h.staff[.frontDesk]!
            let deskToken = try await h.token(.frontDesk)
            let role = try await admin.post(h, "/admin/staff/\(desk.id.uuidString.lowercased())/access", [("version", "1"), ("role", "practitioner")])
            #expect(role.status == .seeOther)
            #expect(try await h.request(.get, "/api/v1/me", token: deskToken).json["role"] as? String == "practitioner")
            let stale = try await admin.post(h, "/admin/staff/\(desk.id.uuidString.lowercased())/access", [("version", "1"), ("active", "false")])
            #expect(stale.status == .conflict)
            let disable = try await admin.post(h, "/admin/staff/\(desk.id.uuidString.lowercased())/access", [("version", "2"), ("active", "false")])
            #expect(disable.status == .seeOther)
            #expect(try await h.request(.get, "/api/v1/me", token: deskToken).status == .unauthorized)
            #expect(try await h.request(.post, "/api/v1/auth/sessions", json: ["email": desk.email, "password": Fixtures.password]).status == .unauthorized)
            let enable = try await admin.post(h, "/admin/staff/\(desk.id.uuidString.lowercased())/access", [("version", "3"), ("active", "true")])
            #expect(enable.status == .seeOther)
            _ = try await h.token(.frontDesk)

            let changes = try await AuditRepository(h.db).entries(clinicId: h.clinic.id, limit: 1000).filter { $0.recordId == desk.id.uuidString }
            #expect(Set(changes.map(\.action)).isSuperset(of: ["staff.role-change", "staff.disable", "staff.enable"]))
            #expect(changes.contains { $0.details.contains("front-desk -> practitioner") })
        }
    }

    @Test func adminsCannotLockThemselvesOutNorTouchAnotherClinicsStaff() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let me = h.staff[.admin]!.id.uuidString.lowercased()
            #expect(try await admin.post(h, "/admin/staff/\(me)/access", [("version", "1"), ("active", "false")]).status == .unprocessableContent)
            #expect(try await admin.post(h, "/admin/staff/\(me)/access", [("version", "1"), ("role", "researcher")]).status == .unprocessableContent)
            let other = h.otherClinicAdmin.id.uuidString.lowercased()
            #expect(try await admin.post(h, "/admin/staff/\(other)/access", [("version", "1"), ("active", "false")]).status == .notFound)
            #expect(try await StaffRepository(h.db).user(id: h.otherClinicAdmin.id)?.active == true)
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            #expect(try await practitioner.get(h, "/admin/staff").status == .forbidden)
            #expect(try await practitioner.post(h, "/admin/staff/\(me)/access", [("version", "1"), ("role", "researcher")]).status == .forbidden)
        }
    }
}

@Suite("Audit page")
struct AuditPageTests {
    @Test func adminsFilterByUserPatientActionAndDateAndPage() async throws {
        try await Harness.run { h in
            let practitioner = try await h.token(.practitioner)
            let patient = try await h.patientId(token: practitioner)
            for _ in 0..<3 { _ = try await h.request(.get, "/api/v1/patients/\(patient)", token: practitioner) }
            let otherToken = try await h.token(email: h.otherClinicAdmin.email)
            _ = try await h.registerPatient(token: otherToken)
            let admin = try await PageSession.signIn(h, role: .admin)

            let all = try await admin.get(h, "/audit")
            #expect(all.status == .ok)
            #expect(!all.body.contains(h.otherClinicAdmin.email), "another clinic's entries never show")

            let byPatient = try await admin.get(h, "/audit?patient=\(patient)&action=patient.read")
            #expect(byPatient.status == .ok)
            #expect(byPatient.body.contains("3 entries"))
            let byUser = try await admin.get(h, "/audit?user=\(h.staff[.practitioner]!.id.uuidString.lowercased())&action=patient.create")
            #expect(byUser.body.contains("1 entries"))
            #expect(byUser.body.contains("<td>\(h.staff[.practitioner]!.displayName)</td>"), "staff appear by display name")
            #expect(!byUser.body.contains(h.staff[.practitioner]!.email), "never by e-mail address")
            let today = CalendarDate.utc(Date()).description
            #expect(try await admin.get(h, "/audit?from=\(today)&to=\(today)&action=patient.read").body.contains("3 entries"))
            #expect(try await admin.get(h, "/audit?to=2000-01-01").body.contains("0 entries"))

            // Paging: the first page answers; a page past the end says nothing matches.
            let first = try await admin.get(h, "/audit?page=1")
            #expect(first.status == .ok)
            let beyond = try await admin.get(h, "/audit?page=99")
            #expect(beyond.body.contains("No entries match"))

            for (key, value) in [("user", "nobody"), ("patient", "12"), ("action", "drop.table"), ("from", "2026-02-30"), ("page", "0")] {
                let r = try await admin.get(h, "/audit?\(key)=\(value)")
                #expect(r.status == .unprocessableContent, "\(key)=\(value)")
                #expect(r.body.contains("\(key) "), "names \(key)")
            }
            #expect(try await PageSession.signIn(h, role: .practitioner).get(h, "/audit").status == .forbidden)
        }
    }

    @Test func sqlInjectionInEveryAuditFilterIsRefusedOrInert() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let before = try await AuditRepository(h.db).verify()
            for payload in InjectionPayloads.all {
                for key in ["user", "patient", "action", "from", "to", "page"] {
                    let r = try await admin.get(h, "/audit?\(key)=\(PageSession.formEncode(payload))")
                    #expect(r.status == .unprocessableContent, "\(key)=\(payload)")
                }
            }
            let after = try await AuditRepository(h.db).verify()
            #expect(after.intact && after.entries >= before.entries)
        }
    }
}

/// Classic SQL-injection strings (quote breaking, tautologies, stacked statements, comments,
/// UNION reads, time-based probes) for both engines.
enum InjectionPayloads {
    static let all = [
        "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "1; DROP TABLE patients; --", "'; DELETE FROM audit_log; --",
        "' UNION SELECT password_hash, email FROM staff_users --", "1' AND pg_sleep(2) --", "x' || (SELECT sqlite_version()) || '",
        "%' OR 1=1 --", "') OR ('a'='a", "\\'; --", "1 ORDER BY 99", "name; SELECT 1",
    ]
}
