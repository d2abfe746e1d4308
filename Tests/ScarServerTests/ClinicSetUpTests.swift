import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Issue 13, admin set-up: a new clinic made ready in one form (room, device, lots, consent templates
/// from the shipped example wording), each part through its own rules, all or nothing.
@Suite("first-run set-up")
struct ClinicSetUpTests {
    static let fields = [
        ("roomName", "Room One"), ("device.model", "Demo Pen 2"), ("device.manufacturer", "Acme Medical"), ("device.type", "motorized-pen"),
        ("device.maxDepthMm", "2.5"), ("device.needleGeometry", "36-pin round cartridge"), ("device.needleCount", "36"),
        ("device.serialNumber", "PEN-SETUP-1"), ("device.nextServiceDue", "2099-01-01"),
        ("cartridge.product", "36-pin cartridge"), ("cartridge.lotNumber", "C-SETUP"), ("cartridge.expiresOn", "2099-12-31"), ("cartridge.quantity", "40"),
        ("topical.product", "Hyaluronic acid serum"), ("topical.lotNumber", "HA-SETUP"), ("topical.expiresOn", "2099-12-31"), ("topical.quantity", "12"),
        ("anesthetic.product", ""), ("anesthetic.lotNumber", ""), ("anesthetic.expiresOn", ""), ("anesthetic.quantity", ""),
        ("consent.microneedling.include", "yes"), ("consent.microneedling.title", "Consent to microneedling (our wording)"),
        ("consent.microneedling.body", "The clinic's own wording."), ("consent.photo-use.title", "Photos"), ("consent.photo-use.body", "Photos text"),
    ]

    static func counts(_ h: Harness) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for table in ["rooms", "devices", "consumable_lots", "consent_templates"] {
            out[table] = try await h.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE clinic_id = \(bind: h.clinic.id)").first()!.decode(column: "n", as: Int.self)
            }
        }
        return out
    }

    @Test func oneFormMakesTheClinicReadyWithTheExampleWordingPrefilledAndOneAuditEntry() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let form = try await admin.get(h, "/admin/clinic/set-up")
            #expect(form.status == .ok && form.body.contains("id=\"set-up-form\""))
            #expect(form.body.contains(ExampleConsentWording.title(.microneedling)) && form.body.contains("id=\"example-wording-note\""),
                    "the shipped consent wording is prefilled and labelled as an example")
            #expect((try await admin.get(h, "/admin/clinic")).body.contains("href=\"/admin/clinic/set-up\""))
            let before = try await Self.counts(h)
            let saved = try await admin.post(h, "/admin/clinic/set-up", Self.fields)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/admin/clinic/set-up?done=1")
            let after = try await Self.counts(h)
            #expect(after["rooms"] == before["rooms"]! + 1 && after["devices"] == before["devices"]! + 1)
            #expect(after["consumable_lots"] == before["consumable_lots"]! + 2, "the cartridge and the topical lot; the blank anesthetic lot is skipped")
            #expect(after["consent_templates"] == before["consent_templates"]! + 1, "only the template ticked is saved")
            let title = try await h.db.read { sql in
                try await sql.raw("SELECT title FROM consent_templates WHERE clinic_id = \(bind: h.clinic.id) AND kind = 'microneedling' ORDER BY template_version DESC")
                    .first()!.decode(column: "title", as: String.self)
            }
            #expect(title == "Consent to microneedling (our wording)", "the edited wording is what is saved")
            let audit = try await h.db.read { sql in
                try await sql.raw("SELECT details FROM audit_log WHERE action = 'clinic.set-up'").all().map { try $0.decode(column: "details", as: String.self) }
            }
            #expect(audit.count == 1 && audit[0].contains("microneedling"))
            #expect((try await admin.get(h, "/devices")).body.contains("PEN-SETUP-1"), "the device is in the one registry")
        }
    }

    @Test func aRefusedFormIsReshownWithMessagesBesideTheFieldsAndNothingIsSaved() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let before = try await Self.counts(h)
            let bad = Self.fields.map { name, value -> (String, String) in
                switch name {
                case "device.serialNumber": (name, "")
                case "cartridge.expiresOn": (name, "31/12/2099")
                case "anesthetic.product": (name, "Lidocaine cream")
                default: (name, value)
                }
            }
            let refused = try await admin.post(h, "/admin/clinic/set-up", bad)
            #expect(refused.status == .unprocessableContent)
            for id in ["su-device-serialNumber-error", "su-cartridge-expiresOn-error", "su-anesthetic-lotNumber-error"] {
                #expect(refused.body.contains("id=\"\(id)\""), "\(id) beside its field")
            }
            #expect(refused.body.contains("value=\"31/12/2099\"") && refused.body.contains("Consent to microneedling (our wording)"), "typed values kept")
            #expect(try await Self.counts(h) == before, "nothing saved")
            #expect(try await admin.post(h, "/admin/clinic/set-up", Self.fields).status == .seeOther)
            let again = try await admin.post(h, "/admin/clinic/set-up", Self.fields.map { $0.0 == "roomName" ? ($0.0, "Room Two") : $0 })
            #expect(again.status == .conflict && again.body.contains("id=\"su-device-serialNumber-error\""), "a serial number already registered")
            let afterOne = try await Self.counts(h)
            #expect(afterOne["rooms"] == before["rooms"]! + 1, "the refused second set-up left no room behind")
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            #expect(try await practitioner.post(h, "/admin/clinic/set-up", Self.fields).status == .forbidden)
        }
    }
}
