import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

@Suite("Intake and screening")
struct ScreeningTests {
    func patient(_ h: Harness, _ token: String) async throws -> String {
        try #require(try await h.registerPatient(token: token).json["id"] as? String)
    }

    func screening(_ r: Reply, _ modality: String) -> [String: Any]? {
        let list = (r.json["screening"] as? [String: Any])?["screenings"] as? [[String: Any]] ?? r.json["screenings"] as? [[String: Any]] ?? []
        return list.first { (($0["result"] as? [String: Any])?["modality"] as? String) == modality }
    }

    func outcome(_ s: [String: Any]?) -> String? {
        (s?["result"] as? [String: Any])?["outcome"] as? String
    }

    @Test func activeAcneDefersBothModalitiesWithItsSource() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await patient(h, token)
            let r = try await h.request(.post, "/api/v1/patients/\(id)/intakes", json: ["activeAcneInArea": true, "fitzpatrick": 3], token: token)
            #expect(r.status == .created)
            for modality in ["microneedling", "rf-microneedling"] {
                let s = screening(r, modality)
                #expect(outcome(s) == "defer")
                let findings = (s?["result"] as? [String: Any])?["findings"] as? [[String: Any]] ?? []
                let acne = findings.first { $0["rule"] as? String == "active-acne-in-area" }
                let source = acne?["source"] as? String ?? ""
                #expect(!source.isEmpty)
                #expect(s?["clearsTreatment"] as? Bool == false)
            }
        }
    }

    @Test func pacemakerBlocksRFMicroneedlingOnly() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await patient(h, token)
            let r = try await h.request(.post, "/api/v1/patients/\(id)/intakes",
                                        json: ["pacemakerOrImplantedDevice": true, "fitzpatrick": 2, "fitzpatrickMethod": "clinician-assessed"], token: token)
            #expect(outcome(screening(r, "rf-microneedling")) == "contraindicated")
            #expect(outcome(screening(r, "microneedling")) == "eligible")
        }
    }

    @Test func invalidIntakeNamesEachFieldAndStoresNothing() async throws {
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            let id = try await patient(h, token)
            let r = try await h.request(.post, "/api/v1/patients/\(id)/intakes",
                                        json: ["fitzpatrick": 9, "activeAcneInArea": "yes", "bogus": true], token: token)
            #expect(r.status == .unprocessableContent)
            #expect(Set(r.problemFields).isSuperset(of: ["fitzpatrick", "activeAcneInArea", "bogus"]))
            let list = try await h.request(.get, "/api/v1/patients/\(id)/intakes", token: token)
            #expect((list.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func newIntakeIsAddedAndTheLatestIsScreened() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await patient(h, token)
            _ = try await h.request(.post, "/api/v1/patients/\(id)/intakes", json: ["activeAcneInArea": true], token: token)
            _ = try await h.request(.post, "/api/v1/patients/\(id)/intakes", json: ["fitzpatrick": 2, "fitzpatrickMethod": "clinician-assessed"], token: token)
            let list = try await h.request(.get, "/api/v1/patients/\(id)/intakes", token: token)
            #expect((list.json["items"] as? [Any])?.count == 2)
            let now = try await h.request(.get, "/api/v1/patients/\(id)/screening", token: token)
            #expect(outcome(screening(now, "microneedling")) == "eligible")
        }
    }

    @Test func isotretinoinNeedsAcknowledgementWithAReasonThenClears() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await patient(h, token)
            let r = try await h.request(.post, "/api/v1/patients/\(id)/intakes",
                                        json: ["isotretinoin": ["status": "current"], "fitzpatrick": 2, "fitzpatrickMethod": "clinician-assessed"], token: token)
            let s = screening(r, "microneedling")
            #expect(outcome(s) == "acknowledge")
            #expect(s?["openAcknowledgements"] as? [String] == ["isotretinoin"])
            let path = "/api/v1/patients/\(id)/screening/acknowledgements"
            let short = try await h.request(.post, path, json: ["rule": "isotretinoin", "modality": "microneedling", "reason": "ok"], token: token)
            #expect(short.status == .unprocessableContent)
            #expect(short.problemFields == ["reason"])
            let frontDesk = try await h.token(.frontDesk)
            let desk = try await h.request(.post, path, json: ["rule": "isotretinoin", "modality": "microneedling",
                                                               "reason": "Discussed the 2017 consensus; superficial needling acceptable."], token: frontDesk)
            #expect(desk.status == .forbidden)
            let ok = try await h.request(.post, path, json: ["rule": "isotretinoin", "modality": "microneedling",
                                                             "reason": "Discussed the 2017 consensus; superficial needling acceptable."], token: token)
            #expect(ok.status == .created)
            let again = try await h.request(.post, path, json: ["rule": "isotretinoin", "modality": "microneedling",
                                                                "reason": "Discussed the 2017 consensus; superficial needling acceptable."], token: token)
            #expect(again.status == .conflict)
            let now = try await h.request(.get, "/api/v1/patients/\(id)/screening", token: token)
            #expect(screening(now, "microneedling")?["clearsTreatment"] as? Bool == true)
            #expect(screening(now, "rf-microneedling")?["clearsTreatment"] as? Bool == false, "acknowledged per modality")
        }
    }

    @Test func eachStoredScreeningRecordsItsRuleSetVersionOncePerDay() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await patient(h, token)
            _ = try await h.request(.post, "/api/v1/patients/\(id)/intakes", json: ["herpesHistory": true], token: token)
            _ = try await h.request(.get, "/api/v1/patients/\(id)/screening", token: token)
            _ = try await h.request(.get, "/api/v1/patients/\(id)/screening", token: token)
            let versions = try await h.db.read { sql in
                try await sql.raw("SELECT rule_set_version FROM screenings WHERE patient_id = \(bind: UUID(uuidString: id)!)").all()
                    .map { try $0.decode(column: "rule_set_version", as: String.self) }
            }
            #expect(versions == [RuleSet.default.version, RuleSet.default.version])
        }
    }

    @Test func otherClinicCannotSeeTheScreening() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await patient(h, token)
            let theirs = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/api/v1/patients/\(id)/screening", token: theirs).status == .notFound)
            #expect(try await h.request(.post, "/api/v1/patients/\(id)/intakes", json: [:], token: theirs).status == .notFound)
        }
    }

    @Test func adminChangesARuleWhichCreatesANewRuleSetVersion() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let refused = try await admin.post(h, "/rules/isotretinoin", [("outcome", "contraindicated")])
            #expect(refused.status == .unprocessableContent, "isotretinoin is never a block")
            let saved = try await admin.post(h, "/rules/topical-retinoid", [("outcome", "defer"), ("windowDays", "21"), ("windowMonths", "")])
            #expect(saved.status == .seeOther)
            let token = try await h.token(.practitioner)
            let rules = try await h.request(.get, "/api/v1/rule-set", token: token)
            #expect(rules.json["version"] as? String == "\(RuleSet.default.version)-clinic.1")
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            #expect(try await practitioner.post(h, "/rules/topical-retinoid", [("outcome", "eligible")]).status == .forbidden)
            let id = try await patient(h, token)
            let r = try await h.request(.post, "/api/v1/patients/\(id)/intakes", json: [:], token: token)
            #expect((r.json["screening"] as? [String: Any])?["ruleSetVersion"] as? String == "\(RuleSet.default.version)-clinic.1")
            let audit = try await AuditRepository(h.db).entries(clinicId: h.clinic.id, action: "rule-set.change")
            #expect(audit.count == 1)
        }
    }

    @Test func intakeFormScreensAndThePatientPageShowsFindingsWithSources() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let token = try await h.token(.practitioner)
            let id = try await patient(h, token)
            let form = try await s.get(h, "/patients/\(id)/intake/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("id=\"intake-form\""))
            let bad = try await s.post(h, "/patients/\(id)/intake", [("isotretinoinStatus", "stopped")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("id=\"form-error\""))
            let saved = try await s.post(h, "/patients/\(id)/intake", [("isotretinoinStatus", "current"), ("fitzpatrick", "5"),
                                                                       ("fitzpatrickMethod", "clinician-assessed"), ("keloidHistory", "on")])
            #expect(saved.status == .seeOther)
            let page = try await s.get(h, "/patients/\(id)")
            #expect(page.body.contains("Needs clinician acknowledgement"))
            #expect(page.body.contains("JAMA Dermatol 2017"))
            #expect(page.body.contains("PIH"))
            let acked = try await s.post(h, "/patients/\(id)/screening/acknowledge",
                                         [("rule", "isotretinoin"), ("modality", "microneedling"), ("reason", "Low-depth needling agreed after discussion.")])
            #expect(acked.status == .seeOther)
            #expect(try await s.get(h, "/patients/\(id)").body.contains("Low-depth needling agreed after discussion."))
            let short = try await s.post(h, "/patients/\(id)/screening/acknowledge",
                                         [("rule", "keloid-history"), ("modality", "microneedling"), ("reason", "fine")])
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains("id=\"form-error\""))
        }
    }
}
