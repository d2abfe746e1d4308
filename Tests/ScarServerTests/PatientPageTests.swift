import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Patient pages")
struct PatientPageTests {
    @Test func pagesSendSignedOutVisitorsToSignIn() async throws {
        try await Harness.run { h in
            let r = try await h.request(.get, "/patients/new", headers: [.accept: "text/html"])
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/signin?next=/patients/new")
        }
    }

    @Test func registerFindAndEditThroughTheForms() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .frontDesk)
            let created = try await s.post(h, "/patients", [("givenName", "Tariq"), ("familyName", "Atrophic"), ("dateOfBirth", "1988-07-09"),
                                                            ("sex", "male"), ("mrn", ""), ("phone", ""), ("email", "")])
            #expect(created.status == .seeOther)
            let url = try #require(created.headers[.location])
            let list = try await s.get(h, "/patients?q=atro")
            #expect(list.body.contains("Tariq Atrophic"))
            let edit = try await s.get(h, url + "/edit")
            #expect(PageSession.hiddenValue("version", in: edit.body) == "1")
            #expect(!edit.body.contains("field-error"), "a clean form shows no error messages")
            let saved = try await s.post(h, url + "/edit", [("givenName", "Tariq"), ("familyName", "Atrophic"), ("dateOfBirth", "1988-07-09"),
                                                            ("sex", "male"), ("mrn", "ST-000001"), ("phone", "+44 7700 900123"), ("email", ""), ("version", "1")])
            #expect(saved.status == .seeOther)
            #expect(try await s.get(h, url).body.contains("+44 7700 900123"))
        }
    }

    @Test func invalidFormComesBackWithMessagesAndNothingIsSaved() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let r = try await s.post(h, "/patients", [("givenName", "Tariq"), ("familyName", ""), ("dateOfBirth", "31/02/1990"), ("sex", "male")])
            #expect(r.status == .unprocessableContent)
            #expect(r.body.contains("id=\"familyName-error\""))
            #expect(r.body.contains("id=\"dateOfBirth-error\""))
            #expect(r.body.contains("value=\"Tariq\""))
            #expect(try await h.patientCount() == 0)
        }
    }

    @Test func staleEditFormComesBackWithConflictMessageAndCurrentValues() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .frontDesk)
            let created = try await s.post(h, "/patients", [("givenName", "Lena"), ("familyName", "Macular"), ("dateOfBirth", "1995-05-05"), ("sex", "female")])
            let url = try #require(created.headers[.location])
            let fields: (String) -> [(String, String)] = { phone in
                [("givenName", "Lena"), ("familyName", "Macular"), ("dateOfBirth", "1995-05-05"), ("sex", "female"), ("phone", phone), ("version", "1")]
            }
            #expect(try await s.post(h, url + "/edit", fields("+44 1000 1000")).status == .seeOther)
            let conflict = try await s.post(h, url + "/edit", fields("+44 2000 2000"))
            #expect(conflict.status == .conflict)
            #expect(conflict.body.contains("id=\"form-error\""))
            #expect(conflict.body.contains("changed by someone else"))
            #expect(conflict.body.contains("value=\"+44 1000 1000\""))
            #expect(PageSession.hiddenValue("version", in: conflict.body) == "2")
            #expect(conflict.body.contains("+44 2000 2000")) // the user's own entry is shown, not lost
            #expect(!conflict.body.contains("field-error"))
        }
    }

    @Test func formWithoutCSRFTokenIsRefused() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .frontDesk)
            let r = try await s.post(h, "/patients", [("givenName", "A"), ("familyName", "B"), ("dateOfBirth", "1990-01-01")], includeCSRF: false)
            #expect(r.status == .forbidden)
            #expect(try await h.patientCount() == 0)
        }
    }

    @Test func signInFormRejectsAMissingDoubleSubmitCookie() async throws {
        try await Harness.run { h in
            let r = try await h.request(.post, "/signin", rawBody: "csrf=abc&email=a%40b.example&password=x",
                                        contentType: "application/x-www-form-urlencoded")
            #expect(r.status == .forbidden)
        }
    }

    @Test func sessionCookieIsHttpOnlyAndSameSiteStrict() async throws {
        try await Harness.run { h in
            let form = try await h.request(.get, "/signin")
            let csrf = try #require(PageSession.cookie(named: "scartrack_csrf", in: form.headers))
            let hidden = try #require(PageSession.hiddenValue("csrf", in: form.body))
            let r = try await h.request(.post, "/signin", headers: [.cookie: "scartrack_csrf=\(csrf)"],
                                        rawBody: "csrf=\(hidden)&email=\(PageSession.formEncode(h.staff[.admin]!.email))&password=\(PageSession.formEncode(Fixtures.password))",
                                        contentType: "application/x-www-form-urlencoded")
            let setCookie = try #require(r.headers[values: .setCookie].first { $0.hasPrefix("scartrack_session=") })
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains("Secure"))
        }
    }

    @Test func secureCookiesWhenConfigured() async throws {
        var configuration = Harness.configuration()
        configuration.secureCookies = true
        try await Harness.run(configuration: configuration) { h in
            let form = try await h.request(.get, "/signin")
            #expect(form.headers[values: .setCookie].allSatisfy { $0.contains("Secure") })
        }
    }

    @Test func signingInTwiceGivesANewSessionId() async throws {
        try await Harness.run { h in
            let first = try await PageSession.signIn(h, role: .admin)
            let second = try await PageSession.signIn(h, role: .admin)
            #expect(first.sessionCookie != second.sessionCookie)
        }
    }
}
