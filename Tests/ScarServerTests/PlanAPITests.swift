import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Protocol templates and treatment plans API")
struct PlanAPITests {
    @Test func examplesAreSeededOncePerClinicLabelledAndCited() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let first = try await h.request(.get, "/api/v1/protocol-templates", token: token)
            #expect(first.status == .ok)
            let items = try #require(first.json["items"] as? [[String: Any]])
            #expect(items.count == ExampleTemplates.all.count)
            for t in items {
                #expect(t["isExample"] as? Bool == true)
                #expect((t["name"] as? String)?.hasPrefix("Example — adjust before clinical use") == true)
                #expect((t["depths"] as? [String: Any])?.isEmpty == true)
                #expect(((t["sources"] as? [String: String])?["sessions"] ?? "").isEmpty == false)
            }
            let again = try await h.request(.get, "/api/v1/protocol-templates", token: token)
            #expect((again.json["items"] as? [Any])?.count == ExampleTemplates.all.count)
            // The other clinic gets its own copies, not these.
            let other = try await h.token(email: h.otherClinicAdmin.email)
            let theirs = try await h.request(.get, "/api/v1/protocol-templates", token: other)
            let ours = Set(items.compactMap { $0["id"] as? String })
            #expect(Set((theirs.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }).isDisjoint(with: ours))
        }
    }

    @Test func adminEditCreatesANewVersionAndPlansKeepTheOldOne() async throws {
        try await Harness.run { h in
            let admin = try await h.token(.admin)
            let practitioner = try await h.token(.practitioner)
            let template = try await h.exampleTemplate(token: admin)
            let templateId = try #require(template["id"] as? String)
            let patient = try await h.screenedPatient(token: practitioner)
            let plan = try await h.createPlan(patientId: patient, templateId: templateId, token: practitioner)
            #expect(plan.status == .created)
            let v1 = try #require(template["versionId"] as? String)

            var body = template
            for key in ["id", "versionId", "version", "createdAt", "createdBy"] { body.removeValue(forKey: key) }
            body["isExample"] = false
            body["deviceDepthLimitMm"] = 2.0
            body["depths"] = ["left-cheek": 1.5, "forehead": 0.5]
            let noMatch = try await h.request(.put, "/api/v1/protocol-templates/\(templateId)", json: body, token: admin)
            #expect(noMatch.status == .preconditionRequired)
            let put = try await h.request(.put, "/api/v1/protocol-templates/\(templateId)", json: body, token: admin, headers: [.ifMatch: "\"1\""])
            #expect(put.status == .ok, "\(put.body)")
            #expect(put.headers[.eTag] == "\"2\"")
            let saved = try #require(put.json["template"] as? [String: Any])
            #expect(saved["version"] as? Int == 2)
            #expect((saved["depths"] as? [String: Double])?["left-cheek"] == 1.5)
            #expect((put.json["versions"] as? [Any])?.count == 2)
            let stale = try await h.request(.put, "/api/v1/protocol-templates/\(templateId)", json: body, token: admin, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)

            let planId = try #require(plan.json["id"] as? String)
            let read = try await h.request(.get, "/api/v1/plans/\(planId)", token: practitioner)
            let versions = try #require(read.json["versions"] as? [[String: Any]])
            #expect((versions[0]["template"] as? [String: Any])?["versionId"] as? String == v1)
        }
    }

    @Test func templateWritesAreAdminOnlyAndInvalidTemplatesNameTheirFields() async throws {
        try await Harness.run { h in
            let practitioner = try await h.token(.practitioner)
            let body: [String: Any] = ["name": "Mine", "modality": "microneedling", "deviceType": "pen", "sessionsMin": 3, "sessionsMax": 6,
                                       "sessionsDefault": 3, "intervalDaysMin": 7, "intervalDaysMax": 42, "intervalDaysDefault": 28]
            #expect(try await h.request(.post, "/api/v1/protocol-templates", json: body, token: practitioner).status == .forbidden)
            let researcher = try await h.token(.researcher)
            #expect(try await h.request(.get, "/api/v1/protocol-templates", token: researcher).status == .forbidden)
            let admin = try await h.token(.admin)
            var bad = body
            bad["sessionsDefault"] = 9
            bad["depths"] = ["nose": 1.0]
            bad["colour"] = "blue"
            bad["intervalDaysMin"] = "7"
            let r = try await h.request(.post, "/api/v1/protocol-templates", json: bad, token: admin)
            #expect(r.status == .unprocessableContent)
            #expect(r.isProblem)
            #expect(Set(r.problemFields) == ["sessionsDefault", "depths.nose", "colour", "intervalDaysMin"])
            let created = try await h.request(.post, "/api/v1/protocol-templates", json: body, token: admin)
            #expect(created.status == .created)
        }
    }

    @Test func planStartsFromTemplateDefaultsAndIsValidatedAgainstIt() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let template = try await h.exampleTemplate(token: token)
            let templateId = try #require(template["id"] as? String)
            let patient = try await h.screenedPatient(token: token)
            let created = try await h.createPlan(patientId: patient, templateId: templateId, token: token)
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let current = try #require((created.json["versions"] as? [[String: Any]])?.first)
            #expect(current["sessions"] as? Int == 3)
            #expect(current["intervalDays"] as? Int == 28)
            #expect(current["status"] as? String == "draft")
            #expect(current["assessmentId"] as? String != nil)

            let bad = try await h.createPlan(patientId: patient, templateId: templateId, token: token,
                                             extra: ["sessions": 12, "intervalDays": 3, "depths": ["nose": 1.0], "adjuncts": ["magic"]])
            #expect(bad.status == .unprocessableContent)
            #expect(Set(bad.problemFields) == ["sessions", "intervalDays", "depths.nose", "adjuncts"])
            let list = try await h.request(.get, "/api/v1/patients/\(patient)/plans", token: token)
            #expect((list.json["items"] as? [Any])?.count == 1, "nothing half-written")

            let missing = try await h.request(.post, "/api/v1/patients/\(patient)/plans", json: ["sessions": 3], token: token)
            #expect(missing.problemFields == ["templateId"])
        }
    }

    @Test func depthAboveTheDeviceLimitIsRefused() async throws {
        try await Harness.run { h in
            let admin = try await h.token(.admin)
            let body: [String: Any] = ["name": "Clinic pen", "modality": "microneedling", "deviceType": "pen", "sessionsMin": 3, "sessionsMax": 6,
                                       "sessionsDefault": 3, "intervalDaysMin": 7, "intervalDaysMax": 42, "intervalDaysDefault": 28,
                                       "deviceDepthLimitMm": 1.5]
            let t = try await h.request(.post, "/api/v1/protocol-templates", json: body, token: admin)
            let templateId = try #require((t.json["template"] as? [String: Any])?["id"] as? String)
            let patient = try await h.screenedPatient(token: admin)
            let over = try await h.createPlan(patientId: patient, templateId: templateId, token: admin, extra: ["depths": ["left-cheek": 1.55]])
            #expect(over.status == .unprocessableContent)
            #expect(over.problemFields == ["depths.left-cheek"])
            let ok = try await h.createPlan(patientId: patient, templateId: templateId, token: admin, extra: ["depths": ["left-cheek": 1.5]])
            #expect(ok.status == .created)
            let planId = try #require(ok.json["id"] as? String)
            let patch = try await h.request(.patch, "/api/v1/plans/\(planId)", json: ["depths": ["left-cheek": 2.0]], token: admin,
                                            headers: [.ifMatch: "\"1\""])
            #expect(patch.status == .unprocessableContent)
            #expect(patch.problemFields == ["depths.left-cheek"])
        }
    }

    @Test func approvalIsRefusedWhileContraindicatedAndShowsTheSource() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let (_, _, plan, planId) = try await h.draftPlan(token: token, intake: ["fitzpatrick": 2, "activeHerpesLabialis": true])
            let read = try await h.request(.get, "/api/v1/plans/\(planId)", token: token)
            let check = try #require(read.json["approvalCheck"] as? [String: Any])
            #expect(check["canApprove"] as? Bool == false)
            let r = try await h.approve(planId, etag: plan.headers[.eTag], token: token)
            #expect(r.status == .conflict)
            #expect(r.isProblem)
            #expect(r.problemFields == ["active-herpes-labialis"])
            let message = (r.json["errors"] as? [[String: Any]])?.first?["message"] as? String ?? ""
            #expect(message.contains("contraindicated") && message.contains("Source:"))
            let after = try await h.request(.get, "/api/v1/plans/\(planId)", token: token)
            #expect(((after.json["versions"] as? [[String: Any]])?.first?["status"]) as? String == "draft")
        }
    }

    @Test func approvalWaitsForAcknowledgementThenRecordsWhoAndWhen() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let templateId = try #require(try await h.exampleTemplate(token: token)["id"] as? String)
            let patient = try await h.screenedPatient(token: token, intake: ["fitzpatrick": 5, "fitzpatrickMethod": "clinician-assessed",
                                                                             "isotretinoin": ["status": "current"]])
            let plan = try await h.createPlan(patientId: patient, templateId: templateId, token: token)
            let planId = try #require(plan.json["id"] as? String)
            let refused = try await h.approve(planId, etag: plan.headers[.eTag], token: token)
            #expect(refused.status == .conflict)
            let rule = try #require(refused.problemFields.first)
            #expect(rule.contains("isotretinoin"))

            let ack = try await h.request(.post, "/api/v1/patients/\(patient)/screening/acknowledgements",
                                          json: ["rule": rule, "modality": "microneedling", "reason": "Discussed the 2017 consensus with the patient."],
                                          token: token)
            #expect(ack.status == .created)
            let read = try await h.request(.get, "/api/v1/plans/\(planId)", token: token)
            let hints = (read.json["hints"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(hints == ["rolling-consider-subcision", "fitzpatrick-pih-guidance"])
            let approved = try await h.approve(planId, etag: read.headers[.eTag], token: token)
            #expect(approved.status == .ok, "\(approved.body)")
            #expect(approved.headers[.eTag] == "\"2\"")
            let v = try #require((approved.json["versions"] as? [[String: Any]])?.first)
            #expect(v["status"] as? String == "approved")
            let approval = try #require(v["approval"] as? [String: Any])
            #expect(approval["approvedBy"] as? String == h.staff[.practitioner]!.email)
            #expect(approval["screeningOutcome"] as? String == "acknowledge")
            #expect(approved.json["inForceVersionId"] as? String == v["id"] as? String)
            // A second approval finds nothing to approve.
            #expect(try await h.approve(planId, etag: "\"2\"", token: token).status == .conflict)
        }
    }

    @Test func approvalNeedsARationale() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let (_, _, _, planId) = try await h.draftPlan(token: token, extra: ["rationale": NSNull()])
            let r = try await h.approve(planId, etag: "\"1\"", token: token)
            #expect(r.status == .conflict)
            #expect(r.problemFields == ["rationale"])
        }
    }

    @Test func changeAfterApprovalCreatesASupersedingVersionAndKeepsTheOld() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let (_, _, _, planId) = try await h.draftPlan(token: token)
            // Draft edits change version 1 in place.
            let draftEdit = try await h.request(.patch, "/api/v1/plans/\(planId)", json: ["sessions": 4], token: token, headers: [.ifMatch: "\"1\""])
            #expect(draftEdit.status == .ok)
            #expect((draftEdit.json["versions"] as? [Any])?.count == 1)
            let approved = try await h.approve(planId, etag: draftEdit.headers[.eTag], token: token)
            #expect(approved.status == .ok, "\(approved.body)")
            let approvedId = try #require((approved.json["versions"] as? [[String: Any]])?.first?["id"] as? String)

            let change = try await h.request(.patch, "/api/v1/plans/\(planId)", json: ["intervalDays": 35, "adjuncts": ["subcision"]],
                                             token: token, headers: [.ifMatch: approved.headers[.eTag]!])
            #expect(change.status == .ok, "\(change.body)")
            let versions = try #require(change.json["versions"] as? [[String: Any]])
            #expect(versions.count == 2)
            #expect(versions[0]["number"] as? Int == 2)
            #expect(versions[0]["status"] as? String == "draft")
            #expect(versions[0]["supersedes"] as? String == approvedId)
            #expect(versions[0]["intervalDays"] as? Int == 35)
            #expect(versions[0]["sessions"] as? Int == 4)
            #expect(versions[1]["id"] as? String == approvedId)
            #expect(versions[1]["status"] as? String == "approved")
            #expect(versions[1]["intervalDays"] as? Int == 28, "the approved version is unchanged")
            #expect(change.json["inForceVersionId"] as? String == approvedId, "sessions keep following the approved version")

            let second = try await h.approve(planId, etag: change.headers[.eTag], token: token)
            #expect(second.status == .ok)
            let after = try #require(second.json["versions"] as? [[String: Any]])
            #expect(after.map { $0["status"] as? String } == ["approved", "superseded"])
            #expect(second.json["inForceVersionId"] as? String == after[0]["id"] as? String)
        }
    }

    @Test func staleOrMissingVersionIsRefused() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let (_, _, _, planId) = try await h.draftPlan(token: token)
            #expect(try await h.request(.patch, "/api/v1/plans/\(planId)", json: ["sessions": 4], token: token).status == .preconditionRequired)
            #expect(try await h.approve(planId, etag: nil, token: token).status == .preconditionRequired)
            #expect(try await h.request(.patch, "/api/v1/plans/\(planId)", json: ["sessions": 4], token: token, headers: [.ifMatch: "\"1\""]).status == .ok)
            let stale = try await h.request(.patch, "/api/v1/plans/\(planId)", json: ["sessions": 5], token: token, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.headers[.eTag] == "\"2\"")
            #expect(try await h.approve(planId, etag: "\"1\"", token: token).status == .preconditionFailed)
        }
    }

    @Test func anotherClinicsPlansAndTemplatesAreNotFound() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let (patient, templateId, _, planId) = try await h.draftPlan(token: token)
            let other = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/api/v1/plans/\(planId)", token: other).status == .notFound)
            #expect(try await h.request(.patch, "/api/v1/plans/\(planId)", json: ["sessions": 4], token: other, headers: [.ifMatch: "\"1\""]).status == .notFound)
            #expect(try await h.approve(planId, etag: "\"1\"", token: other).status == .notFound)
            #expect(try await h.request(.get, "/api/v1/patients/\(patient)/plans", token: other).status == .notFound)
            #expect(try await h.request(.get, "/api/v1/protocol-templates/\(templateId)", token: other).status == .notFound)
            // Their own patient cannot use our template either.
            let theirPatient = try await h.patientId(token: other)
            let r = try await h.createPlan(patientId: theirPatient, templateId: templateId, token: other)
            #expect(r.status == .unprocessableContent)
            #expect(r.problemFields == ["templateId"])
        }
    }

    @Test func frontDeskReadsButCannotPlanOrApproveAndResearchersSeeNothing() async throws {
        try await Harness.run { h in
            let practitioner = try await h.token(.practitioner)
            let (patient, templateId, _, planId) = try await h.draftPlan(token: practitioner)

            let desk = try await h.token(.frontDesk)
            #expect(try await h.request(.get, "/api/v1/plans/\(planId)", token: desk).status == .ok)
            #expect(try await h.request(.get, "/api/v1/patients/\(patient)/plans", token: desk).status == .ok)
            #expect(try await h.approve(planId, etag: "\"1\"", token: desk).status == .forbidden)
            #expect(try await h.createPlan(patientId: patient, templateId: templateId, token: desk).status == .forbidden)
            #expect(try await h.request(.patch, "/api/v1/plans/\(planId)", json: ["sessions": 4], token: desk, headers: [.ifMatch: "\"1\""]).status == .forbidden)

            let researcher = try await h.token(.researcher)
            for path in ["/api/v1/plans/\(planId)", "/api/v1/patients/\(patient)/plans", "/api/v1/protocol-templates"] {
                #expect(try await h.request(.get, path, token: researcher).status == .forbidden, "\(path)")
            }
            #expect(try await h.approve(planId, etag: "\"1\"", token: researcher).status == .forbidden)
        }
    }

    @Test func planReadsAndWritesAreAudited() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let (patient, _, plan, planId) = try await h.draftPlan(token: token)
            #expect(try await h.request(.get, "/api/v1/plans/\(planId)", token: token).status == .ok)
            #expect(try await h.approve(planId, etag: "\"1\"", token: token).status == .ok)
            let entries = try await AuditRepository(h.db).entries(patientId: UUID(uuidString: patient)!, limit: 200)
            let actions = Set(entries.map(\.action))
            #expect(actions.isSuperset(of: ["plan.create", "plan.read", "plan.approve"]))
            #expect(try await AuditRepository(h.db).verify().intact)
        }
    }
}
