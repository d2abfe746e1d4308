import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// A session chart is fast to fill: the first one starts from the approved plan, later ones
/// from the previous session.
@Suite("Session chart defaults")
struct SessionDefaultsTests {
    @Test func theFirstSessionStartsFromTheApprovedPlansTargetDepths() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h, approvedPlan: false)
            // The clinic adjusts the example template: its device limit and target depths.
            let template = try await h.exampleTemplate(token: s.admin)
            let templateId = try #require(template["id"] as? String)
            var body = template
            for key in ["id", "versionId", "version", "createdAt", "createdBy"] { body.removeValue(forKey: key) }
            let depths: [String: Double] = ["left-cheek": 1.5, "forehead": 0.5]
            body["isExample"] = false
            body["deviceDepthLimitMm"] = 2.0
            body["depths"] = depths
            let put = try await h.request(.put, "/api/v1/protocol-templates/\(templateId)", json: body, token: s.admin, headers: [.ifMatch: "\"1\""])
            #expect(put.status == .ok, "\(put.body)")
            let plan = try await h.createPlan(patientId: s.patient, templateId: templateId, token: s.practitioner)
            #expect(plan.status == .created, "\(plan.body)")
            let approved = try await h.approve(try #require(plan.json["id"] as? String), etag: plan.headers[.eTag], token: s.practitioner)
            #expect(approved.status == .ok, "\(approved.body)")

            let page = try await PageSession.signIn(h, role: .practitioner).get(h, "/patients/\(s.patient)/sessions/new")
            #expect(page.status == .ok)
            #expect(page.body.contains("Target depths from the approved plan"))
            #expect(page.body.contains("<option value=\"\(s.device)\" selected>") && page.body.contains("<option value=\"\(s.cartridge)\" selected>"),
                    "the clinic's only device and only unexpired cartridge lot are chosen")
            #expect(page.body.contains("only device and cartridge lot in use today are chosen."))
            for (zone, mm) in depths {
                #expect(page.body.contains("id=\"z-\(zone)-depth\" inputmode=\"decimal\" step=\"0.05\" value=\"\(String(format: "%.2f", mm))\""),
                        "zone \(zone) starts at the plan's \(mm) mm")
            }
        }
    }

    @Test func planDefaultsArePureAndKeepThePlansZones() {
        let content = PlanContent(sessions: 3, intervalDays: 28, zoneDepths: [.forehead: NeedleDepth(hundredths: 50), .leftCheek: NeedleDepth(hundredths: 150)],
                                  adjuncts: [.prp], rationale: nil)
        let input = SessionChart.Input.fromPlan(content, modality: .microneedling, performedOn: CalendarDate("2026-11-21")!)
        #expect(input.modality == "microneedling")
        #expect(input.performedOn == "2026-11-21")
        #expect(input.zones?.map(\.zone) == ["forehead", "left-cheek"])
        #expect(input.zones?.map(\.depthMm) == [0.5, 1.5])
        #expect(input.zones?.allSatisfy { $0.passes == nil && $0.endpoint == nil } == true, "passes and endpoint are the clinician's to chart")
    }
}
