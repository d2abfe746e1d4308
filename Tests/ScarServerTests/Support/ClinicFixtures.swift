import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// The clinic a test needs, made the way a clinic makes it (through the API): a patient ready to
/// chart (devices, lots, consent, intake, approved plan), a chart, a draft or signed session, an
/// example plan. Shared by every suite so a test's preamble is one line.
enum ClinicFixtures {
    struct ChartingSetup {
        var admin: String
        var practitioner: String
        var patient: String
        var device: String
        var cartridge: String
        var expired: String
        var serum: String
    }

    static func readyToChart(_ h: Harness, consent: Bool = true, approvedPlan: Bool = true) async throws -> ChartingSetup {
        let admin = try await h.token(.admin)
        let practitioner = try await h.token(.practitioner)
        let patient = try #require(try await h.registerPatient(token: practitioner).json["id"] as? String)
        let device = try await h.request(.post, "/api/v1/devices", json: [
            "model": "Pen One", "manufacturer": "Acme", "type": "motorized-pen", "maxDepthMm": 2.0, "needleGeometry": "36-pin round",
            "needleCount": 36, "serialNumber": "SN-100"], token: admin)
        #expect(device.status == .created, "\(device.body)")
        func lot(_ kind: String, _ product: String, _ number: String, _ expires: String) async throws -> String {
            let r = try await h.request(.post, "/api/v1/lots", json: ["kind": kind, "product": product, "lotNumber": number, "expiresOn": expires,
                                                                     "quantity": 20, "receivedOn": "2025-01-02"], token: admin)
            #expect(r.status == .created, "\(r.body)")
            return try #require(r.json["id"] as? String)
        }
        let cartridge = try await lot("cartridge", "36-pin cartridge", "CART-7", "2099-01-01")
        let expired = try await lot("cartridge", "36-pin cartridge", "CART-OLD", "2025-01-03")
        let serum = try await lot("topical", "Hyaluronic acid serum", "HA-1", "2099-01-01")
        // No before-photos required in these API tests (the browser scenario takes them).
        let settings = try await h.request(.put, "/api/v1/charting-settings", json: ["beforePhotoCount": 0, "beforePhotoViews": [String]()],
                                           token: admin, headers: [.ifMatch: "\"1\""])
        #expect(settings.status == .ok, "\(settings.body)")
        let template = try await h.request(.post, "/api/v1/consent-templates", json: [
            "kind": "microneedling", "title": "Consent to microneedling", "body": "What the treatment is.\n\nRisks and alternatives."], token: admin)
        #expect(template.status == .created)
        let intake = try await h.request(.post, "/api/v1/patients/\(patient)/intakes", json: ["fitzpatrick": 2], token: practitioner)
        #expect(intake.status == .created)
        if approvedPlan { _ = try await h.approvedPlan(patientId: patient, token: practitioner) }
        if consent {
            let c = try await h.request(.post, "/api/v1/patients/\(patient)/consents", json: ["kind": "microneedling", "signerName": "Ivy Boxcar",
                                                                                            "agreed": true], token: practitioner)
            #expect(c.status == .created, "\(c.body)")
        }
        return ChartingSetup(admin: admin, practitioner: practitioner, patient: patient, device: try #require(device.json["id"] as? String),
                     cartridge: cartridge, expired: expired, serum: serum)
    }

    static func chart(_ s: ChartingSetup, depth: Double = 1.5, lot: String? = nil, notes: String = "Tolerated well") -> [String: Any] {
        ["performedOn": CalendarDate.utc(Date()).description, "deviceId": s.device, "cartridgeLotId": lot ?? s.cartridge,
         "anesthetic": ["agent": "Lidocaine", "concentration": "4%", "minutesApplied": 30, "removed": true],
         "zones": [["zone": "left-cheek", "depthMm": depth, "passes": 3, "pattern": "crosshatch", "endpoint": "pinpoint-bleeding"],
                   ["zone": "right-cheek", "depthMm": 1.25, "passes": 3, "endpoint": "uniform-erythema"]],
         "topicals": [["lotId": s.serum]], "durationMinutes": 40,
         "reactions": ["erythema": true, "edema": false, "pinpointBleeding": true, "painScore": 3], "notes": notes]
    }

    static var cleanDay: [String: Any] { ["dayAnswers": ["activeAcneInArea": false, "localInfectionInArea": false, "activeHerpesLabialis": false,
                                                         "recentSunburn": false, "pregnantOrBreastfeeding": false, "newMedications": false]] }

    static func draftSession(_ h: Harness, _ s: ChartingSetup) async throws -> String {
        let r = try await h.request(.post, "/api/v1/patients/\(s.patient)/sessions", json: ["chart": chart(s)], token: s.practitioner)
        #expect(r.status == .created, "\(r.body)")
        return try #require(r.json["id"] as? String)
    }

    static func signedSession(_ h: Harness, _ s: ChartingSetup) async throws -> UUID {
        let id = try await draftSession(h, s)
        let signed = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: cleanDay, token: s.practitioner,
                                         headers: [.ifMatch: "\"1\""])
        #expect(signed.status == .ok, "\(signed.body)")
        return try #require(UUID(uuidString: id))
    }
}

extension Harness {
    /// The first example template of the clinic (seeded on first read).
    func exampleTemplate(token: String, modality: String = "microneedling") async throws -> [String: Any] {
        let list = try await request(.get, "/api/v1/protocol-templates", token: token)
        let items = list.json["items"] as? [[String: Any]] ?? []
        guard let t = items.first(where: { $0["modality"] as? String == modality && $0["isExample"] as? Bool == true }) else {
            throw HarnessError("no example template: \(list.status) \(list.body)")
        }
        return t
    }

    /// A patient with an intake and the worked-example assessment (rolling-dominant).
    func screenedPatient(token: String, intake: [String: Any] = ["fitzpatrick": 2, "fitzpatrickMethod": "clinician-assessed"]) async throws -> String {
        let id = try await patientId(token: token)
        let i = try await request(.post, "/api/v1/patients/\(id)/intakes", json: intake, token: token)
        guard i.status == .created else { throw HarnessError("intake failed: \(i.status) \(i.body)") }
        let a = try await request(.post, "/api/v1/patients/\(id)/assessments", json: Harness.workedExampleAssessment, token: token)
        guard a.status == .created else { throw HarnessError("assessment failed: \(a.status) \(a.body)") }
        return id
    }

    func createPlan(patientId: String, templateId: String, token: String, extra: [String: Any] = [:]) async throws -> Reply {
        var body: [String: Any] = ["templateId": templateId, "rationale": "Rolling-dominant scarring; standard course to start."]
        body.merge(extra) { _, new in new }
        return try await request(.post, "/api/v1/patients/\(patientId)/plans", json: body, token: token)
    }

    /// A screened patient with a draft plan from the first example template:
    /// (patient id, template id, the creating reply, plan id).
    func draftPlan(token: String, intake: [String: Any] = ["fitzpatrick": 2, "fitzpatrickMethod": "clinician-assessed"],
                   extra: [String: Any] = [:]) async throws -> (patient: String, templateId: String, created: Reply, planId: String) {
        guard let templateId = try await exampleTemplate(token: token)["id"] as? String else { throw HarnessError("no template id") }
        let patient = try await screenedPatient(token: token, intake: intake)
        let plan = try await createPlan(patientId: patient, templateId: templateId, token: token, extra: extra)
        guard let planId = plan.json["id"] as? String else { throw HarnessError("plan: \(plan.status) \(plan.body)") }
        return (patient, templateId, plan, planId)
    }

    func approve(_ planId: String, etag: String?, token: String) async throws -> Reply {
        var headers = HTTPFields()
        if let etag { headers[.ifMatch] = etag }
        return try await request(.post, "/api/v1/plans/\(planId)/approve", token: token, headers: headers)
    }
}

extension Harness {
    /// An approved plan (the first example template) for a patient who has an intake; returns (planId, planVersionId).
    @discardableResult
    func approvedPlan(patientId: String, token: String) async throws -> (String, String) {
        let template = try await exampleTemplate(token: token)
        let plan = try await createPlan(patientId: patientId, templateId: template["id"] as? String ?? "", token: token)
        guard plan.status == .created, let planId = plan.json["id"] as? String else { throw HarnessError("plan: \(plan.status) \(plan.body)") }
        let approved = try await approve(planId, etag: plan.headers[.eTag], token: token)
        guard approved.status == .ok else { throw HarnessError("approve: \(approved.status) \(approved.body)") }
        return (planId, approved.json["inForceVersionId"] as? String ?? "")
    }
}
