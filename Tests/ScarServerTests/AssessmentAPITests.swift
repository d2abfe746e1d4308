import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

extension Harness {
    /// The domain reference's worked examples as one assessment (§3.2 gives 16, §3.3 gives 125).
    static var workedExampleAssessment: [String: Any] { [
        "assessedOn": "2026-05-01", "blinded": true, "notes": "Baseline",
        "zones": ["left-cheek": ["ice-pick": 12, "boxcar": 3, "sizeClass": "under-2mm"], "forehead": ["rolling": 25, "depthClass": "shallow"]],
        "hypertrophicAreaCm2": 0,
        "gbQuantitative": ["A1": 8, "B2": 15, "C1": 25, "D1": 3],
        "ecca": ["vShapedUnder2mm": 12, "uShaped2to4mm": 3, "mShapedOver4mm": 25],
        "gbQualitative": ["contourChange": true, "obviousAt50cm": true, "coveredByMakeup": false, "flattensOnStretch": true],
    ] }

    func patientId(token: String) async throws -> String {
        let r = try await registerPatient(token: token)
        guard let id = r.json["id"] as? String else { throw HarnessError("no patient id: \(r.status)") }
        return id
    }
}

@Suite("Scar assessment API")
struct AssessmentAPITests {
    @Test func recordListAndReadAnAssessment() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let patientId = try await h.patientId(token: token)
            let created = try await h.request(.post, "/api/v1/patients/\(patientId)/assessments", json: Harness.workedExampleAssessment, token: token)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/assessments/\(id)")
            let scores = try #require(created.json["scores"] as? [String: Any])
            let gbq = try #require(scores["gbQuantitative"] as? [String: Any])
            #expect(gbq["total"] as? Int == 16)
            #expect(gbq["scale"] as? String == "gb-quantitative")
            #expect(gbq["version"] as? String == GoodmanBaronQuantitative.version)
            #expect((gbq["rows"] as? [Any])?.count == 11)
            #expect((scores["ecca"] as? [String: Any])?["total"] as? Int == 125)
            #expect((scores["gbQualitative"] as? [String: Any])?["grade"] as? Int == 3)
            #expect((created.json["rater"] as? [String: Any])?["id"] as? String == h.staff[.practitioner]!.id.uuidString.lowercased())
            let dominant = try #require(created.json["dominantScarType"] as? [String: Any])
            #expect(dominant["types"] as? [String] == ["rolling"])
            #expect(dominant["tie"] as? Bool == false)

            let list = try await h.request(.get, "/api/v1/patients/\(patientId)/assessments", token: token)
            #expect(list.status == .ok)
            #expect((list.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])

            let read = try await h.request(.get, "/api/v1/assessments/\(id)", token: token)
            #expect(read.status == .ok)
            #expect(read.json["assessedOn"] as? String == "2026-05-01")
            #expect(read.json["blinded"] as? Bool == true)
            let zones = try #require(read.json["zones"] as? [[String: Any]])
            #expect(zones.count == 10)
            let cheek = try #require(zones.first { $0["zone"] as? String == "left-cheek" })
            #expect(cheek["total"] as? Int == 15)
            #expect(cheek["sizeClass"] as? String == "under-2mm")
            #expect(zones.first { $0["zone"] as? String == "nose" }?["sizeClass"] is NSNull)
        }
    }

    @Test func badCountsAreA422NamingEachFieldAndNothingIsSaved() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let patientId = try await h.patientId(token: token)
            var body = Harness.workedExampleAssessment
            body["zones"] = ["left-cheek": ["ice-pick": -2, "boxcar": 1.5], "ear": ["rolling": 1]]
            body["ecca"] = ["vShapedUnder2mm": "12"]
            body["assessedOn"] = "2999-01-01"
            body["gbQualitative"] = ["contourChange": true]
            let r = try await h.request(.post, "/api/v1/patients/\(patientId)/assessments", json: body, token: token)
            #expect(r.status == .unprocessableContent)
            #expect(r.isProblem)
            #expect(Set(r.problemFields) == ["zones.left-cheek.ice-pick", "zones.left-cheek.boxcar", "zones.ear", "ecca.vShapedUnder2mm",
                                             "assessedOn", "gbQualitative.obviousAt50cm", "gbQualitative.coveredByMakeup",
                                             "gbQualitative.flattensOnStretch"])
            let list = try await h.request(.get, "/api/v1/patients/\(patientId)/assessments", token: token)
            #expect((list.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func malformedBodiesAreClientErrors() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let patientId = try await h.patientId(token: token)
            let path = "/api/v1/patients/\(patientId)/assessments"
            #expect(try await h.request(.post, path, token: token, rawBody: "{nope").status == .badRequest)
            #expect(try await h.request(.post, path, token: token, rawBody: "[1]").status == .badRequest)
            #expect(try await h.request(.post, path, token: token, rawBody: "a=1", contentType: "application/x-www-form-urlencoded").status
                    == .unsupportedMediaType)
            #expect(try await h.request(.get, "/api/v1/assessments/not-a-uuid", token: token).status == .badRequest)
            #expect(try await h.request(.get, "/api/v1/assessments/\(UUID().uuidString)", token: token).status == .notFound)
        }
    }

    @Test func anotherClinicGets404ForThePatientAndTheAssessment() async throws {
        try await Harness.run { h in
            let mine = try await h.token(.practitioner)
            let patientId = try await h.patientId(token: mine)
            let id = try #require(try await h.request(.post, "/api/v1/patients/\(patientId)/assessments", json: Harness.workedExampleAssessment,
                                                      token: mine).json["id"] as? String)
            let theirs = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/api/v1/assessments/\(id)", token: theirs).status == .notFound)
            #expect(try await h.request(.get, "/api/v1/patients/\(patientId)/assessments", token: theirs).status == .notFound)
            let post = try await h.request(.post, "/api/v1/patients/\(patientId)/assessments", json: Harness.workedExampleAssessment, token: theirs)
            #expect(post.status == .notFound)
            #expect(post.isProblem)
            let list = try await h.request(.get, "/api/v1/patients/\(patientId)/assessments", token: mine)
            #expect((list.json["items"] as? [Any])?.count == 1)
        }
    }

    @Test func researchersAreForbiddenAndAnonymousCallersUnauthenticated() async throws {
        try await Harness.run { h in
            let clinical = try await h.token(.frontDesk)
            let patientId = try await h.patientId(token: clinical)
            let researcher = try await h.token(.researcher)
            let path = "/api/v1/patients/\(patientId)/assessments"
            #expect(try await h.request(.post, path, json: Harness.workedExampleAssessment, token: researcher).status == .forbidden)
            #expect(try await h.request(.get, path, token: researcher).status == .forbidden)
            #expect(try await h.request(.post, path, json: Harness.workedExampleAssessment).status == .unauthorized)
            #expect(try await h.request(.get, path).status == .unauthorized)
            #expect(try await h.request(.get, "/api/v1/assessments/\(UUID().uuidString)").status == .unauthorized)
        }
    }

    @Test func everyAssessmentReadAndWriteIsInTheAuditTrail() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let patientId = try await h.patientId(token: token)
            let id = try #require(try await h.request(.post, "/api/v1/patients/\(patientId)/assessments", json: Harness.workedExampleAssessment,
                                                      token: token).json["id"] as? String)
            _ = try await h.request(.get, "/api/v1/assessments/\(id)", token: token)
            _ = try await h.request(.get, "/api/v1/patients/\(patientId)/assessments", token: token)
            let entries = try await AuditRepository(h.db).entries(patientId: UUID(uuidString: patientId)!)
            let actions = entries.map(\.action)
            #expect(actions.contains("assessment.create"))
            #expect(actions.contains("assessment.read"))
            #expect(actions.contains("assessment.list"))
            #expect(entries.first { $0.action == "assessment.create" }?.recordId?.lowercased() == id)
            #expect(try await AuditRepository(h.db).verify().intact)
        }
    }
}
