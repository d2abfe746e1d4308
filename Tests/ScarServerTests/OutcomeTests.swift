import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Outcomes")
struct OutcomeTests {
    /// A follow-up of the worked example: fewer scars, and a qualitative grade 2 (was 3).
    static var followUp: [String: Any] {
        var a = Harness.workedExampleAssessment
        a["assessedOn"] = "2026-09-01"
        a["zones"] = ["left-cheek": ["ice-pick": 10, "boxcar": 1], "forehead": ["rolling": 12]]
        a["gbQuantitative"] = ["A1": 8, "B2": 5, "C1": 11, "D1": 0]
        a["ecca"] = ["vShapedUnder2mm": 10, "uShaped2to4mm": 1, "mShapedOver4mm": 12]
        a["gbQualitative"] = ["contourChange": true, "obviousAt50cm": false, "coveredByMakeup": true, "flattensOnStretch": true]
        return a
    }

    @Test func followUpIsComparedWithBaselineAndMarkedAsResponder() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await h.patientId(token: token)
            _ = try await h.request(.post, "/api/v1/patients/\(id)/assessments", json: Harness.workedExampleAssessment, token: token)
            let f = try await h.request(.post, "/api/v1/patients/\(id)/assessments", json: Self.followUp, token: token)
            #expect(f.status == .created)
            let r = try await h.request(.get, "/api/v1/patients/\(id)/outcomes", token: token)
            #expect(r.status == .ok)
            #expect(r.json["assessments"] as? Int == 2)
            #expect(r.json["responder"] as? Bool == true)
            let pair = try #require((r.json["comparisons"] as? [[String: Any]])?.first)
            let vsBaseline = try #require(pair["vsBaseline"] as? [String: Any])
            let gbq = try #require(vsBaseline["gbQuantitative"] as? [String: Any])
            #expect(gbq["from"] as? Int == 16)
            #expect((gbq["absolute"] as? Int).map { $0 < 0 } == true)
            let grade = try #require(vsBaseline["gbQualitativeGrade"] as? [String: Any])
            #expect(grade["from"] as? Int == 3)
            #expect(grade["to"] as? Int == 2)
            let zones = try #require(vsBaseline["zones"] as? [String: [String: Any]])
            #expect(zones["forehead"]?["from"] as? Int == 25)
            #expect(zones["forehead"]?["to"] as? Int == 12)
            #expect(zones["forehead"]?["percent"] as? Double == -52)
            #expect(zones["nose"]?["percent"] is NSNull)
        }
    }

    @Test func progressPageShowsChartsAndComparisons() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await h.patientId(token: token)
            let s = try await PageSession.signIn(h, role: .practitioner)
            #expect(try await s.get(h, "/patients/\(id)/progress").body.contains("id=\"no-progress\""))
            _ = try await h.request(.post, "/api/v1/patients/\(id)/assessments", json: Harness.workedExampleAssessment, token: token)
            _ = try await h.request(.post, "/api/v1/patients/\(id)/assessments", json: Self.followUp, token: token)
            let page = try await s.get(h, "/patients/\(id)/progress")
            #expect(page.status == .ok)
            #expect(page.body.contains("<svg") && page.body.contains("id=\"chart-gbq\""))
            #expect(page.body.contains("Responder"))
            #expect(page.body.contains("16 → "))
        }
    }

    @Test func reportedOutcomesStoreRawResponsesAndRefuseBadRatings() async throws {
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            let id = try await h.patientId(token: token)
            let bad = try await h.request(.post, "/api/v1/patients/\(id)/reported-outcomes",
                                          json: ["instrument": "", "instrumentVersion": "1", "satisfaction": 11], token: token)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(bad.problemFields) == ["instrument", "satisfaction"])
            let ok = try await h.request(.post, "/api/v1/patients/\(id)/reported-outcomes",
                                         json: ["instrument": "FASQoL", "instrumentVersion": "1.0", "responses": ["q1": 3, "q2": "2"], "satisfaction": 8],
                                         token: token)
            #expect(ok.status == .created)
            let list = try await h.request(.get, "/api/v1/patients/\(id)/reported-outcomes", token: token)
            let item = try #require((list.json["items"] as? [[String: Any]])?.first)
            #expect(item["responses"] as? [String: String] == ["q1": "3", "q2": "2"])
            #expect(item["satisfaction"] as? Int == 8)
            let theirs = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/api/v1/patients/\(id)/reported-outcomes", token: theirs).status == .notFound)
        }
    }
}
