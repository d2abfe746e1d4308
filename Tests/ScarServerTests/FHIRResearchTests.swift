import Foundation
import HTTPTypes
import ScarCore
import ScarTestSupport
import Testing

/// Split-face studies as ResearchStudy and each enrolment as ResearchSubject: the allocation
/// (arms, assigned arm) only for administrators and practitioners; the front desk reads the
/// study without it; researchers and blinded raters get nothing.
@Suite("FHIR research studies")
struct FHIRResearchTests {
    @Test func theAllocationIsShownOnlyToUnblindedRolesAndTheSubjectPointsToItsStudyPatientAndConsent() async throws {
        try await Harness.run(configuration: FHIRExportTests.configuration()) { h in
            let admin = try await h.token(.admin)
            _ = try await h.request(.post, "/api/v1/consent-templates", json: ["kind": "research", "title": "Research", "body": "What it covers."], token: admin)
            let study = try #require(try await h.request(.post, "/api/v1/studies", json: [
                "title": "Pilot", "protocol": "p", "armA": "Needling", "armB": "Needling and PRP", "outcomeScale": "ecca",
                "timePoints": ["baseline"], "targetEnrolment": 4], token: admin).json["id"] as? String)
            let patient = try #require(try await h.registerPatient(token: admin).json["id"] as? String)
            let consent = try await h.request(.post, "/api/v1/patients/\(patient)/consents",
                                              json: ["kind": "research", "signerName": "Pat Example", "agreed": true], token: admin)
            #expect(consent.status == .created, "\(consent.body)")
            let enrolled = try await h.request(.post, "/api/v1/studies/\(study)/participants", json: ["patientId": patient], token: admin)
            #expect(enrolled.status == .created, "\(enrolled.body)")
            let side = try #require(enrolled.json["armASide"] as? String)

            for role in [Role.admin, .practitioner, .frontDesk] {
                let token = try await h.token(role)
                let unblinded = role != .frontDesk
                let s = try await h.request(.get, "/fhir/ResearchStudy/\(study)", token: token)
                #expect(s.status == .ok && s.json["title"] as? String == "Pilot" && s.json["status"] as? String == "active", "\(s.body)")
                let arms = (s.json["arm"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(arms == (unblinded ? ["A-left", "A-right"] : nil), "\(role): \(s.body)")
                #expect(!s.body.contains("PRP") || unblinded, "the treatments compared stay with the arms")
                let bundle = try await h.request(.get, "/fhir/ResearchSubject?patient=\(patient)&_include=ResearchSubject:*", token: token)
                let resources = (bundle.json["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
                let subject = try #require(resources.first { $0["resourceType"] as? String == "ResearchSubject" }, "\(bundle.body)")
                #expect(subject["assignedArm"] as? String == (unblinded ? "A-\(side)" : nil), "\(role)")
                #expect((subject["study"] as? [String: Any])?["reference"] as? String == "ResearchStudy/\(study)")
                #expect((subject["individual"] as? [String: Any])?["reference"] as? String == "Patient/\(patient)")
                #expect(Set(resources.compactMap { $0["resourceType"] as? String }).isSuperset(of: ["ResearchStudy", "Patient", "Consent"]))
                let everything = try await h.request(.get, "/fhir/Patient/\(patient)/$everything", token: token)
                #expect(everything.body.contains("\"assignedArm\"") == unblinded && everything.body.contains("\"arm\"") == unblinded, "\(role)")
            }
            for role in [Role.researcher, .blindedRater] {
                let token = try await h.token(role)
                #expect(try await h.request(.get, "/fhir/ResearchStudy/\(study)", token: token).status == .forbidden)
                #expect(try await h.request(.get, "/fhir/ResearchSubject?patient=\(patient)", token: token).status == .forbidden)
            }
            // An export shows the allocation only when whoever started it may see it.
            for role in [Role.admin, .frontDesk] {
                let token = try await h.token(role)
                let (_, manifest) = try await FHIRExportTests.export(h, "/fhir/$export?_type=ResearchStudy,ResearchSubject", token: token)
                let exported = try await FHIRExportTests.download(h, manifest, token: token)
                #expect(exported.count == 2, "\(role): \(exported.count)")
                #expect(exported.contains { $0["arm"] != nil } == (role == .admin) && exported.contains { $0["assignedArm"] != nil } == (role == .admin),
                        "\(role)")
            }
            let other = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/fhir/ResearchStudy/\(study)", token: other).status == .notFound)
        }
    }
}
