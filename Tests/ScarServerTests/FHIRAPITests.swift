import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// `/fhir` over real HTTP on a real database: reads with versions and ETags, searches paged by
/// cursor, OperationOutcomes for every failure, the clinic boundary, roles and the audit trail.
@Suite("FHIR R4 read API")
struct FHIRAPITests {
    /// A signed session (approved plan, consent, cartridge lot), an assessment, a Fitzpatrick
    /// intake and an adverse event after the session: one of every patient resource.
    struct Course {
        var setup: ClinicFixtures.ChartingSetup
        var session: String
        var assessment: String
        var adverseEvent: String
    }

    static func course(_ h: Harness) async throws -> Course {
        let s = try await ClinicFixtures.readyToChart(h)
        let session = try await ClinicFixtures.draftSession(h, s)
        let signed = try await h.request(.post, "/api/v1/sessions/\(session)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                         headers: [.ifMatch: "\"1\""])
        #expect(signed.status == .ok, "\(signed.body)")
        let assessment = try await h.request(.post, "/api/v1/patients/\(s.patient)/assessments", json: Harness.workedExampleAssessment, token: s.practitioner)
        #expect(assessment.status == .created, "\(assessment.body)")
        let ae = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
            "term": "pih", "onsetOn": CalendarDate.utc(Date()).description, "grade": 3, "relatedness": "probable", "sessionId": session], token: s.practitioner)
        #expect(ae.status == .created, "\(ae.body)")
        return Course(setup: s, session: session, assessment: try #require(assessment.json["id"] as? String),
                      adverseEvent: try #require(ae.json["id"] as? String))
    }

    static func isOutcome(_ r: Reply) -> Bool {
        r.headers[.contentType] == "application/fhir+json" && r.json["resourceType"] as? String == "OperationOutcome"
    }

    @Test func metadataListsExactlyTheServedTypesAndEveryFailureIsAnOperationOutcome() async throws {
        try await Harness.run { h in
            let anonymous = try await h.request(.get, "/fhir/metadata")
            #expect(anonymous.status == .unauthorized && Self.isOutcome(anonymous), "\(anonymous.body)")
            let r = try await h.request(.get, "/fhir/metadata", token: try await h.token(.researcher))
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/fhir+json")
            #expect(r.json["fhirVersion"] as? String == "4.0.1")
            let resources = try #require(((r.json["rest"] as? [[String: Any]])?.first)?["resource"] as? [[String: Any]])
            #expect(Set(resources.compactMap { $0["type"] as? String }) == ["Patient", "Organization", "Practitioner", "Location", "Device", "Condition",
                                                                          "Observation", "Procedure", "Consent", "AdverseEvent", "Appointment", "CarePlan",
                                                                          "Provenance", "Questionnaire", "QuestionnaireResponse", "Media", "ResearchStudy", "ResearchSubject", "Binary", "Group"])
            let provenance = try #require(resources.first { $0["type"] as? String == "Provenance" })
            #expect((provenance["searchParam"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["patient", "recorded", "_lastUpdated", "_sort"])
            let admin = try await h.token(.admin)
            for path in ["/fhir/Patient/\(UUID().uuidString.lowercased())", "/fhir/Basic/1", "/fhir/Observation/not-an-id", "/fhir"] {
                let missing = try await h.request(.get, path, token: admin)
                #expect(missing.status == .notFound && Self.isOutcome(missing), "\(path): \(missing.status) \(missing.body)")
            }
            let bad = try await h.request(.get, "/fhir/Patient?_count=0", token: admin)
            #expect(bad.status == .badRequest && Self.isOutcome(bad))
            let noPatient = try await h.request(.get, "/fhir/Observation", token: admin)
            #expect(noPatient.status == .badRequest && Self.isOutcome(noPatient))
        }
    }

    @Test func everyResourceOfACourseReadsWithItsVersionETagAndCodes() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let token = c.setup.practitioner
            func read(_ type: String, _ id: String) async throws -> [String: Any] {
                let r = try await h.request(.get, "/fhir/\(type)/\(id)", token: token)
                #expect(r.status == .ok, "\(type)/\(id): \(r.body)")
                #expect(r.headers[.contentType] == "application/fhir+json")
                let meta = r.json["meta"] as? [String: Any]
                #expect(r.headers[.eTag] == "W/\"\(meta?["versionId"] as? String ?? "?")\"", "\(type)")
                #expect((meta?["lastUpdated"] as? String)?.hasSuffix("Z") == true, "\(type) lastUpdated carries a zone")
                #expect(r.json["resourceType"] as? String == type && r.json["id"] as? String == id)
                return r.json
            }
            let patient = try await read("Patient", c.setup.patient)
            #expect(patient["gender"] as? String == "unknown" || patient["gender"] as? String != nil)
            let procedure = try await read("Procedure", c.session)
            #expect(procedure["status"] as? String == "completed")
            let focal = (procedure["focalDevice"] as? [[String: Any]])?.first?["manipulated"] as? [String: Any]
            #expect(focal?["reference"] as? String == "Device/\(c.setup.device)")
            #expect(((procedure["usedReference"] as? [[String: Any]])?.first)?["reference"] as? String == "Device/\(c.setup.cartridge)")
            let zones = (procedure["bodySite"] as? [[String: Any]])?.compactMap { (($0["coding"] as? [[String: Any]])?.first)?["code"] as? String }
            #expect(zones == ["left-cheek", "right-cheek"])
            let lot = try await read("Device", c.setup.cartridge)
            #expect(lot["lotNumber"] as? String == "CART-7" && lot["expirationDate"] as? String == "2099-01-01")
            _ = try await read("Device", c.setup.device)
            let condition = try await read("Condition", c.setup.patient)
            #expect(((condition["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == "L90.5")
            let ecca = try await read("Observation", "\(c.assessment)-ecca")
            let coding = ((ecca["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
            #expect(coding?["code"] as? String == "ecca" && coding?["version"] as? String == ECCA.version)
            let ae = try await read("AdverseEvent", c.adverseEvent)
            #expect(((ae["severity"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == "severe")
            let grade = ((ae["extension"] as? [[String: Any]])?.first?["valueCodeableConcept"] as? [String: Any])?["coding"] as? [[String: Any]]
            #expect(grade?.first?["code"] as? String == "3")
            #expect(((ae["suspectEntity"] as? [[String: Any]])?.first?["instance"] as? [String: Any])?["reference"] as? String == "Procedure/\(c.session)")
            let bundle = try await h.request(.get, "/fhir/CarePlan?patient=\(c.setup.patient)", token: token).json
            let plan = ((bundle["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
            #expect(plan?["status"] as? String == "active")
            let consents = try await h.request(.get, "/fhir/Consent?patient=Patient/\(c.setup.patient)&status=active", token: token).json
            #expect(consents["total"] as? Int == 1)
            _ = try await read("Organization", h.clinic.id.uuidString.lowercased())
            _ = try await read("Practitioner", h.staff[.practitioner]!.id.uuidString.lowercased())
        }
    }

    @Test func patientSearchPagesByCursorAndFindsEachPatientOnce() async throws {
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            var ids = Set<String>()
            for i in 0..<5 { ids.insert(try #require(try await h.registerPatient(token: token, given: "Pat\(i)", family: "Pager").json["id"] as? String)) }
            _ = try await h.registerPatient(token: try await h.token(email: h.otherClinicAdmin.email), given: "Pat9", family: "Pager")
            var seen: [String] = []
            var next: String? = "/fhir/Patient?name=pager&_count=2"
            var pages = 0
            while let url = next {
                let r = try await h.request(.get, url, token: token)
                #expect(r.status == .ok, "\(r.body)")
                #expect(r.json["type"] as? String == "searchset" && r.json["total"] as? Int == 5)
                seen += (r.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
                let link = (r.json["link"] as? [[String: Any]] ?? []).first { $0["relation"] as? String == "next" }?["url"] as? String
                #expect(link.map { $0.contains("_cursor=") && !$0.contains("offset") && !$0.contains("page=") } ?? true)
                next = link.flatMap { URLComponents(string: $0) }.map { "\($0.path)?\($0.percentEncodedQuery ?? "")" }
                pages += 1
            }
            #expect(pages == 3)
            #expect(seen.count == 5 && Set(seen) == ids)
            let born = try await h.request(.get, "/fhir/Patient?birthdate=ge1991-04-12&identifier=nope", token: token)
            #expect(born.json["total"] as? Int == 0)
        }
    }

    @Test func anotherClinicsIdsAreUnknownAndDeidentifiedRolesGetNothing() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let other = try await h.token(email: h.otherClinicAdmin.email)
            for path in ["/fhir/Patient/\(c.setup.patient)", "/fhir/Procedure/\(c.session)", "/fhir/Device/\(c.setup.cartridge)",
                         "/fhir/Observation/\(c.assessment)-ecca", "/fhir/Patient/\(c.setup.patient)/$everything"] {
                let r = try await h.request(.get, path, token: other)
                #expect(r.status == .notFound && Self.isOutcome(r), "\(path): \(r.status)")
                #expect(!r.body.contains("Boxcar"))
            }
            let search = try await h.request(.get, "/fhir/Procedure?patient=\(c.setup.patient)", token: other)
            #expect(search.status == .ok && search.json["total"] as? Int == 0)
            for role in Role.deidentified {
                let token = try await h.token(role)
                for path in ["/fhir/Patient/\(c.setup.patient)", "/fhir/Patient", "/fhir/Observation?patient=\(c.setup.patient)"] {
                    let r = try await h.request(.get, path, token: token)
                    #expect(r.status == .forbidden && Self.isOutcome(r), "\(role) \(path): \(r.status)")
                }
            }
        }
    }

    @Test func readsAreAuditedAndEverythingIsReferentiallyClosed() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let before = try await SignSessionTests.auditHead(h.db)
            _ = try await h.request(.get, "/fhir/Procedure/\(c.session)", token: c.setup.practitioner)
            _ = try await h.request(.get, "/fhir/Observation?patient=\(c.setup.patient)", token: c.setup.practitioner)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["fhir.read", "fhir.search"])
            for path in ["/fhir/Patient/\(c.setup.patient)/$everything", "/fhir/AdverseEvent?patient=\(c.setup.patient)&_include:iterate=AdverseEvent:*"] {
                try await Self.expectClosed(h, path, token: c.setup.practitioner, holding: path.contains("everything")
                    ? ["Patient", "Condition", "Observation", "Procedure", "Consent", "AdverseEvent", "CarePlan", "Provenance", "Device", "Practitioner",
                       "Organization"]
                    : ["AdverseEvent", "Procedure", "Device", "Patient", "Practitioner", "Organization", "CarePlan"])
            }
        }
    }

    @Test func aSessionsChartingSigningAndEachAmendmentAreProvenancesOfItsProcedure() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let token = c.setup.practitioner
            let reason = "Pain score was recorded after the session"
            let amended = try await h.request(.post, "/api/v1/sessions/\(c.session)/amendments",
                                              json: ["reason": reason, "chart": ClinicFixtures.chart(c.setup, notes: "Pain settled by 20 min")], token: token)
            #expect(amended.status == .created, "\(amended.body)")
            let amendment = try #require((amended.json["amendments"] as? [[String: Any]])?.first?["id"] as? String)
            let procedure = try await h.request(.get, "/fhir/Procedure/\(c.session)", token: token).json
            let performer = ((procedure["performer"] as? [[String: Any]])?.first?["actor"] as? [String: Any])?["reference"] as? String
            func read(_ id: String) async throws -> (activity: String?, system: String?, agentType: String?, who: String?, json: [String: Any]) {
                let r = try await h.request(.get, "/fhir/Provenance/\(id)", token: token)
                #expect(r.status == .ok && r.headers[.eTag] == "W/\"1\"", "Provenance/\(id): \(r.status) \(r.body)")
                #expect(((r.json["target"] as? [[String: Any]])?.first)?["reference"] as? String == "Procedure/\(c.session)")
                #expect((r.json["recorded"] as? String)?.hasSuffix("Z") == true)
                let activity = ((r.json["activity"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
                let agent = (r.json["agent"] as? [[String: Any]])?.first
                let agentType = ((agent?["type"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String
                return (activity?["code"] as? String, activity?["system"] as? String, agentType,
                        (agent?["who"] as? [String: Any])?["reference"] as? String, r.json)
            }
            let charted = try await read(c.session)
            #expect(charted.activity == "CREATE" && charted.system == "http://terminology.hl7.org/CodeSystem/v3-DataOperation" && charted.agentType == "author")
            let signed = try await read(c.session + "-signed")
            #expect(signed.activity == "LA" && signed.system == "http://terminology.hl7.org/CodeSystem/v3-DocumentCompletion")
            #expect(signed.agentType == "legal" && signed.who == performer && performer != nil, "the signer is the agent")
            let amendedProvenance = try await read(amendment)
            #expect(amendedProvenance.activity == "UPDATE" && amendedProvenance.agentType == "author" && amendedProvenance.who == performer)
            #expect((amendedProvenance.json["reason"] as? [[String: Any]])?.first?["text"] as? String == reason)
            let today = CalendarDate.utc(Date()).description
            let all = try await h.request(.get, "/fhir/Provenance?patient=Patient/\(c.setup.patient)&recorded=ge\(today)", token: token)
            #expect(all.status == .ok && all.json["total"] as? Int == 3, "\(all.body)")
            #expect(try await h.request(.get, "/fhir/Provenance?patient=\(c.setup.patient)&recorded=lt2000-01-01", token: token).json["total"] as? Int == 0)
            let bad = try await h.request(.get, "/fhir/Provenance?patient=\(c.setup.patient)&recorded=yesterday", token: token)
            #expect(bad.status == .badRequest && Self.isOutcome(bad))
            let other = try await h.token(email: h.otherClinicAdmin.email)
            for id in [c.session, c.session + "-signed", amendment] {
                let r = try await h.request(.get, "/fhir/Provenance/\(id)", token: other)
                #expect(r.status == .notFound && Self.isOutcome(r), "another clinic reads Provenance/\(id): \(r.status)")
            }
            #expect(try await h.request(.get, "/fhir/Provenance/\(c.adverseEvent)-signed", token: token).status == .notFound)
        }
    }

    /// Every reference in the Bundle resolves to one of its entries, and it holds these types.
    static func expectClosed(_ h: Harness, _ path: String, token: String, holding types: [String]) async throws {
        let r = try await h.request(.get, path, token: token)
        #expect(r.status == .ok)
        let entries = r.json["entry"] as? [[String: Any]] ?? []
        if path.contains("everything") { #expect(r.json["total"] as? Int == entries.count) }
        let held = Set(entries.compactMap { e -> String? in
            guard let res = e["resource"] as? [String: Any] else { return nil }
            return "\(res["resourceType"] as? String ?? "")/\(res["id"] as? String ?? "")"
        })
        for type in types {
            #expect(held.contains { $0.hasPrefix(type + "/") }, "\(path) holds a \(type)")
        }
        var references = Set<String>()
        func walk(_ v: Any) {
            if let o = v as? [String: Any] { if let ref = o["reference"] as? String { references.insert(ref) }; o.values.forEach(walk) }
            else if let a = v as? [Any] { a.forEach(walk) }
        }
        walk(entries)
        #expect(references.subtracting(held).isEmpty, "\(path) unresolved: \(references.subtracting(held))")
    }
}
