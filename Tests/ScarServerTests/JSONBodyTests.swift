import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// Every JSON route reads its body the same way: JSON or a JSON merge patch, anything else 415.
@Suite("JSON bodies")
struct JSONBodyTests {
    @Test func planPatchAcceptsAMergePatchAndEveryJSONRouteRefusesOtherTypes() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let templateId = try #require(try await h.exampleTemplate(token: token)["id"] as? String)
            let patient = try await h.screenedPatient(token: token)
            let planId = try #require(try await h.createPlan(patientId: patient, templateId: templateId, token: token).json["id"] as? String)
            let patch = try await h.request(.patch, "/api/v1/plans/\(planId)", token: token, headers: [.ifMatch: "\"1\""],
                                            rawBody: "{\"sessions\": 4}", contentType: "application/merge-patch+json")
            #expect(patch.status == .ok, "\(patch.body)")
            for (method, path) in [(HTTPRequest.Method.post, "/api/v1/patients/\(patient)/intakes"),
                                   (.post, "/api/v1/patients/\(patient)/assessments"),
                                   (.post, "/api/v1/patients/\(patient)/sessions")] {
                let r = try await h.request(method, path, token: token, rawBody: "{}", contentType: "text/plain")
                #expect(r.status == .unsupportedMediaType, "\(path)")
            }
        }
    }
}
