import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Issue 13, item 8: the clinic's details, set by an admin, shown on every page.
@Suite("clinic details")
struct ClinicSettingsTests {
    static let fields = [("name", "Harbour Skin Clinic"), ("address", "12 Harbour Road\nPortsmouth PO1 2AB"), ("phone", "+44 23 9200 0000"),
                         ("email", "desk@harbour.example"), ("timeZone", "Europe/London")]

    @Test func anAdminSetsTheDetailsOnceAndEveryPageShowsThem() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let day = try await admin.get(h, "/")
            #expect(day.body.contains("id=\"finish-set-up\""), "a new clinic's admin is asked for the details")
            let form = try await admin.get(h, "/admin/clinic")
            #expect(form.status == .ok)
            let version = try #require(PageSession.hiddenValue("version", in: form.body))
            let saved = try await admin.post(h, "/admin/clinic", Self.fields + [("version", version)])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/admin/clinic?saved=1")
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let patients = try await practitioner.get(h, "/patients")
            #expect(patients.body.contains("Harbour Skin Clinic · 12 Harbour Road, Portsmouth PO1 2AB · +44 23 9200 0000 · desk@harbour.example"))
            #expect(!(try await admin.get(h, "/")).body.contains("id=\"finish-set-up\""))
            let entries = try await h.db.read { sql in
                try await sql.raw("SELECT details FROM audit_log WHERE action = 'clinic.profile-update'").all()
                    .map { try $0.decode(column: "details", as: String.self) }
            }
            #expect(entries.count == 1 && entries[0].contains("address,phone,email") && !entries[0].contains("name,"), "only what changed is named: \(entries)")
        }
    }

    @Test func badInputIsShownBesideItsFieldKeptAndNothingIsSaved() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let version = try #require(PageSession.hiddenValue("version", in: try await admin.get(h, "/admin/clinic").body))
            let refused = try await admin.post(h, "/admin/clinic", [("name", "Harbour"), ("address", ""), ("phone", "call us"), ("email", ""),
                                                                    ("timeZone", "Mars/Olympus"), ("version", version)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("id=\"phone-error\"") && refused.body.contains("id=\"timeZone-error\""))
            #expect(refused.body.contains("value=\"call us\"") && refused.body.contains("value=\"Mars/Olympus\""), "the typed values are kept")
            let stale = try await admin.post(h, "/admin/clinic", Self.fields + [("version", String((Int(version) ?? 1) + 5))])
            #expect(stale.status == .conflict)
            let name = try await h.db.read { sql in
                try await sql.raw("SELECT name FROM clinics WHERE id = \(bind: h.clinic.id)").first()!.decode(column: "name", as: String.self)
            }
            #expect(name == h.clinic.name, "nothing was saved")
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            #expect(try await practitioner.get(h, "/admin/clinic").status == .forbidden)
        }
    }

    /// What the portal offers is set on a page too: a refused value is shown beside its field,
    /// kept, and nothing is saved; a good form saves through the same use case as the API.
    @Test func thePortalIsSetUpOnAPageWithMessagesBesideTheFields() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let form = try await admin.get(h, "/admin/portal")
            #expect(form.status == .ok && form.body.contains("id=\"portal-settings-form\""))
            #expect((try await admin.get(h, "/admin/clinic")).body.contains("href=\"/admin/portal\""), "one click from the clinic's details")
            let refused = try await admin.post(h, "/admin/portal", [("changeNoticeHours", "two days"), ("outcomeVersion", "licensed-2"),
                                                                   ("outcomeItems", "q1 wording without an id separator")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("id=\"changeNoticeHours-error\"") && refused.body.contains("id=\"outcomeItems-error\""))
            #expect(refused.body.contains("value=\"two days\"") && refused.body.contains("q1 wording without an id separator"), "the typed values are kept")
            let token = try await h.token(.admin)
            #expect((try await h.request(.get, "/api/v1/portal-settings", token: token)).json["changeNoticeHours"] as? Int == 48, "nothing was saved")
            let saved = try await admin.post(h, "/admin/portal", [("showPhotos", "on"), ("changeNoticeHours", "72"), ("outcomeVersion", "licensed-2"),
                                                                 ("outcomeItems", "q1 = First item as printed\nq2 = Second item as printed")])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/admin/portal?saved=1")
            let settings = try await h.request(.get, "/api/v1/portal-settings", token: token)
            #expect(settings.json["showPhotos"] as? Bool == true && settings.json["changeNoticeHours"] as? Int == 72)
            #expect((settings.json["outcomeItems"] as? [[String: Any]])?.count == 2)
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            #expect(try await practitioner.get(h, "/admin/portal").status == .forbidden)
        }
    }
}
