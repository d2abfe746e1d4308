import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

@Suite("Patient portal: intake, consent and the course, entered by the patient")
struct PortalBeforeVisitTests {
    @Test func thePatientAnswersTheIntakeAndSignsAConsentAsThemselves() async throws {
        try await Harness.run { h in
            let admin = try await h.token(.admin)
            _ = try await h.request(.post, "/api/v1/consent-templates", json: ["kind": "microneedling", "title": "Consent to microneedling",
                                                                             "body": "What the treatment is and its risks."], token: admin)
            let id = try #require(try await h.registerPatient(token: admin, given: "Ada").json["id"] as? String)
            let patientId = try #require(UUID(uuidString: id))
            let caller = try await h.portalSignIn(patientId: id, email: "ada@example.org", staffToken: admin)

            let before = try await h.portal(.get, "/portal/before-your-visit", as: caller, accept: "text/html")
            #expect(before.status == .ok && before.body.contains("Answer the health questions") && before.body.contains(h.clinic.name))
            let form = try await h.portal(.get, "/portal/intake", as: caller, accept: "text/html")
            #expect(form.status == .ok && form.body.contains("id=\"portal-intake-form\""))
            #expect(!form.body.contains("fitzpatrickMethod"), "the patient does not say who assessed the skin type")

            // A bad date comes back with the answers kept; nothing is written.
            let bad = try await h.portal(.post, "/portal/intake", as: caller, form: [("isotretinoinStatus", "stopped"), ("isotretinoinStoppedOn", "2026-02-30"),
                                                                                     ("herpesHistory", "on")], accept: "text/html")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("id=\"herpesHistory\" checked"))
            let sent = try await h.portal(.post, "/portal/intake", as: caller, form: [("isotretinoinStatus", "current"), ("fitzpatrick", "4"),
                                                                                      ("eczemaPsoriasisInArea", "none")], accept: "text/html")
            #expect(sent.status == .seeOther, "\(sent.body)")
            let row = try await h.db.read { sql in
                try await sql.raw("SELECT entered_via, recorded_by, fitzpatrick, data FROM intakes WHERE patient_id = \(bind: patientId)").first()
            }
            #expect(try row?.decode(column: "entered_via", as: String.self) == "portal")
            #expect(try row?.decode(column: "recorded_by", as: UUID?.self) == nil)
            #expect(try row?.decode(column: "data", as: String.self).contains("self-reported") == true)

            // Isotretinoin now: the clinic will talk about it, in plain words, never the rule.
            let after = try await h.portal(.get, "/portal/before-your-visit", as: caller, accept: "text/html")
            #expect(after.body.contains("The clinic will talk to you"))
            #expect(!after.body.contains("isotretinoin") && !after.body.contains("[C"), "no rule id or evidence tag")

            let consent = try await h.portal(.get, "/portal/consent?kind=microneedling", as: caller, accept: "text/html")
            #expect(consent.status == .ok && consent.body.contains("What the treatment is and its risks."))
            let unticked = try await h.portal(.post, "/portal/consent", as: caller, form: [("kind", "microneedling"), ("signerName", "Ada Boxcar")],
                                              accept: "text/html")
            #expect(unticked.status == .unprocessableContent && unticked.body.contains("value=\"Ada Boxcar\"") && unticked.body.contains("agreed-error"))
            let signed = try await h.portal(.post, "/portal/consent", as: caller, form: [("kind", "microneedling"), ("signerName", "Ada Boxcar"),
                                                                                         ("agreed", "on")], accept: "text/html")
            #expect(signed.status == .seeOther)
            let consentRow = try await h.db.read { sql in
                try await sql.raw("SELECT signed_via, sha256 FROM consents WHERE patient_id = \(bind: patientId)").first()
            }
            #expect(try consentRow?.decode(column: "signed_via", as: String.self) == "portal")
            #expect(try consentRow?.decode(column: "sha256", as: String.self).count == 64)
            // Staff see the same versioned, hashed consent through the API.
            let listed = try await h.request(.get, "/api/v1/patients/\(id)/consents", token: admin)
            #expect(listed.body.contains("Ada Boxcar"))

            // Everything the patient wrote is audited as the patient's action.
            let actors = try await h.db.read { sql in
                try await sql.raw("""
                    SELECT action, actor FROM audit_log WHERE patient_id = \(bind: patientId) AND action IN ('intake.create', 'consent.sign')
                    """).all().map { try $0.decode(column: "actor", as: String.self) }
            }
            #expect(actors == ["patient", "patient"])
            let home = try await h.portal(.get, "/portal", as: caller, accept: "text/html")
            #expect(home.status == .ok && home.body.contains("4–6 weeks") && home.body.contains("Alam et al., JAMA Dermatol 2014"))
        }
    }
}
