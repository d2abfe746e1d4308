import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 13, item 12: the clinician hands the tablet to the patient to sign a consent. The server
/// locks that browser session to the signing screen (every other page sends it back there, every
/// API call is refused), the staff navigation is gone, and only the clinician's password, throttled
/// and audited like a sign-in, gives the session back.
@Suite("tablet patient mode for consent signing")
struct PatientModeTests {
    func audit(_ h: Harness) async throws -> [String] {
        try await h.db.read { sql in
            try await sql.raw("SELECT action FROM audit_log WHERE action LIKE 'patient-mode.%' OR action = 'consent.sign' ORDER BY seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    @Test func aHandedOverTabletShowsOnlyTheSigningScreenUntilTheClinicianReturnsWithTheirPassword() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h, consent: false)
            let tablet = try await PageSession.signIn(h, role: .practitioner)
            let form = try await tablet.get(h, "/patients/\(s.patient)/consents/new")
            #expect(form.body.contains("id=\"hand-over\""), "the consent page offers the hand-over")

            let start = try await tablet.post(h, "/patients/\(s.patient)/patient-mode", [("kind", "microneedling")])
            #expect(start.status == .seeOther && start.headers[.location] == "/patient-mode")
            let screen = try await tablet.get(h, "/patient-mode")
            #expect(screen.status == .ok && screen.body.contains("Consent to microneedling") && screen.body.contains("id=\"consent-form\""))
            #expect(!screen.body.contains("class=\"mainnav\"") && !screen.body.contains("id=\"signout\""), "no staff navigation, no sign-out")
            #expect(screen.body.contains("class=\"patient-mode\""))

            // Locked server-side: other pages go back to the signing screen, the API refuses.
            for path in ["/", "/patients", "/patients/\(s.patient)", "/audit"] {
                let away = try await tablet.get(h, path)
                #expect(away.status == .seeOther && away.headers[.location] == "/patient-mode", "\(path)")
            }
            let api = try await h.request(.get, "/api/v1/patients/\(s.patient)", headers: [.cookie: tablet.cookieHeader])
            #expect(api.status == .forbidden && api.isProblem)
            #expect(api.body.contains("patient mode"))
            // The clinician's other sign-ins are not locked.
            #expect(try await h.request(.get, "/api/v1/patients/\(s.patient)", token: s.practitioner).status == .ok)

            // The patient signs; a missing name is shown beside the field, the ticked box not kept silently.
            let bad = try await tablet.post(h, "/patient-mode/consent", [("signerName", ""), ("agreed", "yes")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("id=\"signerName-error\""))
            let signed = try await tablet.post(h, "/patient-mode/consent", [("signerName", "Ivy Boxcar"), ("agreed", "yes")])
            #expect(signed.status == .seeOther && signed.headers[.location] == "/patient-mode")
            let thanks = try await tablet.get(h, "/patient-mode")
            #expect(thanks.body.contains("id=\"patient-mode-done\"") && !thanks.body.contains("id=\"consent-form\""))
            let consents = try await h.request(.get, "/api/v1/patients/\(s.patient)/consents", token: s.practitioner)
            let list = (try JSONSerialization.jsonObject(with: Data(consents.body.utf8))) as? [[String: Any]] ?? []
            #expect(list.count == 1 && list.first?["signerName"] as? String == "Ivy Boxcar")
            let consentId = try #require(list.first?["id"] as? String)

            // A wrong password keeps the lock and is audited; the right one lands on the signed consent.
            let wrong = try await tablet.post(h, "/patient-mode/return", [("password", "not-the-password")])
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("id=\"return-error\""))
            #expect(try await tablet.get(h, "/patients").headers[.location] == "/patient-mode")
            let back = try await tablet.post(h, "/patient-mode/return", [("password", Fixtures.password)])
            #expect(back.status == .seeOther && back.headers[.location] == "/consents/\(consentId)")
            let page = try await tablet.get(h, "/patients")
            #expect(page.status == .ok && page.body.contains("class=\"mainnav\""))
            #expect(try await audit(h) == ["patient-mode.start", "consent.sign", "patient-mode.return-refused", "patient-mode.end"])
        }
    }

    @Test func noPatientModeWithoutATemplateForABearerTokenOrForAnotherClinicsPatient() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h, consent: false)
            let tablet = try await PageSession.signIn(h, role: .practitioner)
            let noTemplate = try await tablet.post(h, "/patients/\(s.patient)/patient-mode", [("kind", "research")])
            #expect(noTemplate.status == .conflict)
            let badKind = try await tablet.post(h, "/patients/\(s.patient)/patient-mode", [("kind", "tattoo")])
            #expect(badKind.status == .unprocessableContent)
            let unknown = try await tablet.post(h, "/patients/\(UUID().uuidString.lowercased())/patient-mode", [("kind", "microneedling")])
            #expect(unknown.status == .notFound)
            // Nothing was locked by the refusals, and nothing is shown without a hand-over.
            #expect(try await tablet.get(h, "/patients").status == .ok)
            #expect(try await tablet.get(h, "/patient-mode").headers[.location] == "/")
            #expect(try await tablet.post(h, "/patient-mode/return", [("password", Fixtures.password)]).headers[.location] == "/")
            #expect(try await audit(h).isEmpty)
        }
    }

    @Test func wrongPasswordsAreThrottledLikeSignInsAndTheTabletStaysWithThePatient() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h, consent: false)
            let tablet = try await PageSession.signIn(h, role: .practitioner)
            _ = try await tablet.post(h, "/patients/\(s.patient)/patient-mode", [("kind", "microneedling")])
            for _ in 0..<5 {
                #expect(try await tablet.post(h, "/patient-mode/return", [("password", "guess")]).status == .unprocessableContent)
            }
            let held = try await tablet.post(h, "/patient-mode/return", [("password", Fixtures.password)])
            #expect(held.status == .tooManyRequests, "even the right password waits once the limit is reached")
            #expect(try await tablet.get(h, "/patients").headers[.location] == "/patient-mode")
            #expect(try await audit(h).filter { $0 == "patient-mode.return-refused" }.count == 5)
        }
    }
}
