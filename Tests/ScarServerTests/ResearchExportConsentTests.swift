import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Research export and research consent")
struct ResearchExportConsentTests {
    @Test func aPatientWhoWithdrewResearchConsentIsLeftOutOfTheExport() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let researcher = try await h.token(.researcher)
            var patients: [String] = []
            for _ in 0..<2 {
                let pid = try await StudyTests.consentedPatient(h, token: token)
                _ = try await h.request(.post, "/api/v1/patients/\(pid)/assessments", json: Harness.workedExampleAssessment, token: token)
                _ = try await h.request(.post, "/api/v1/patients/\(pid)/assessments", json: OutcomeTests.followUp, token: token)
                patients.append(pid)
            }
            func rows() async throws -> Int {
                let r = try await h.request(.get, "/api/v1/research/export.csv", token: researcher)
                #expect(r.status == .ok)
                return r.body.split(separator: "\r\n").count - 1
            }
            #expect(try await rows() == 4)
            let list = try JSONSerialization.jsonObject(with: Data(try await h.request(.get, "/api/v1/patients/\(patients[0])/consents", token: token).body.utf8))
            let consent = try #require(((list as? [[String: Any]])?.first { $0["kind"] as? String == "research" })?["id"] as? String)
            let w = try await h.request(.post, "/api/v1/consents/\(consent)/withdrawal", json: ["reason": "Does not want data used in research"], token: token)
            #expect(w.status == .ok)
            #expect(try await rows() == 2, "the withdrawn patient's two assessments are gone from the export")
        }
    }
}
