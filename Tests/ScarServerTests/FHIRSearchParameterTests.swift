import Foundation
import HTTPTypes
import ScarCore
import ScarTestSupport
import Testing

/// `_lastUpdated`, `_sort` and `_revinclude` over real HTTP on a real database: the sort survives
/// the cursor, instants compare by R4's range rules, and what is refused is an OperationOutcome.
@Suite("FHIR search parameters")
struct FHIRSearchParameterTests {
    static func entries(_ r: Reply, mode: String? = nil) -> [[String: Any]] {
        (r.json["entry"] as? [[String: Any]] ?? []).filter { mode == nil || ($0["search"] as? [String: Any])?["mode"] as? String == mode }
            .compactMap { $0["resource"] as? [String: Any] }
    }

    static func nextPath(_ r: Reply) -> String? {
        let link = (r.json["link"] as? [[String: Any]] ?? []).first { $0["relation"] as? String == "next" }?["url"] as? String
        return link.flatMap { URLComponents(string: $0) }.map { "\($0.path)?\($0.percentEncodedQuery ?? "")" }
    }

    /// Every page of a search, following `next`.
    static func all(_ h: Harness, _ path: String, token: String) async throws -> [[String: Any]] {
        var found: [[String: Any]] = []
        var next: String? = path
        while let url = next {
            let r = try await h.request(.get, url, token: token)
            #expect(r.status == .ok, "\(url): \(r.body)")
            found += entries(r, mode: "match")
            next = nextPath(r)
        }
        return found
    }

    @Test func patientsSortByLastUpdatedAcrossCursorPagesAndFilterByInstantRanges() async throws {
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            var registered: [String] = []
            for i in 0..<5 { registered.append(try #require(try await h.registerPatient(token: token, given: "Sorted\(i)", family: "Sorter").json["id"] as? String)) }
            let first = try await h.request(.get, "/fhir/Patient?name=sorter&_sort=-_lastUpdated&_count=2", token: token)
            #expect(Self.nextPath(first)?.contains("_sort=-_lastUpdated") == true, "the next link keeps the sort")
            let newestFirst = try await Self.all(h, "/fhir/Patient?name=sorter&_sort=-_lastUpdated&_count=2", token: token)
            #expect(newestFirst.compactMap { $0["id"] as? String } == registered.reversed())
            let stamps = newestFirst.compactMap { ($0["meta"] as? [String: Any])?["lastUpdated"] as? String }
            #expect(stamps == stamps.sorted().reversed())
            // The third patient's instant, to the millisecond: ge finds it and the later two, lt the earlier two.
            let third = try #require(stamps.dropFirst(2).first)
            let ge = try await h.request(.get, "/fhir/Patient?name=sorter&_lastUpdated=ge\(third)&_sort=_lastUpdated", token: token)
            #expect(ge.json["total"] as? Int == 3 && Self.entries(ge).first?["id"] as? String == registered[2], "\(ge.body)")
            let lt = try await h.request(.get, "/fhir/Patient?name=sorter&_lastUpdated=lt\(third)", token: token)
            #expect(lt.json["total"] as? Int == 2)
            let eq = try await h.request(.get, "/fhir/Patient?name=sorter&_lastUpdated=\(third)", token: token)
            #expect(eq.json["total"] as? Int == 1)
            let today = String(third.prefix(10))
            let day = try await h.request(.get, "/fhir/Patient?name=sorter&_lastUpdated=ge\(today)&_lastUpdated=le\(today)", token: token)
            #expect(day.json["total"] as? Int == 5, "a day spans the whole UTC day")
            let before = try await h.request(.get, "/fhir/Patient?name=sorter&_lastUpdated=lt\(today)", token: token)
            #expect(before.json["total"] as? Int == 0)
            let byBirth = try await h.request(.get, "/fhir/Patient?name=sorter&_sort=birthdate", token: token)
            #expect(byBirth.status == .ok && Self.entries(byBirth).count == 5)
            // Refused, each as an OperationOutcome naming the parameter.
            let cursor = try #require(Self.nextPath(first))
            for path in ["/fhir/Patient?_sort=name", "/fhir/Patient?_sort=date", "/fhir/Patient?_sort=_lastUpdated,_id",
                         "/fhir/Patient?_lastUpdated=ge2026-13-01", "/fhir/Patient?_lastUpdated=ge2026-01-01T10:00:00",
                         cursor.replacingOccurrences(of: "_sort=-_lastUpdated", with: "_sort=_id")] {
                let r = try await h.request(.get, path, token: token)
                #expect(r.status == .badRequest && FHIRAPITests.isOutcome(r), "\(path): \(r.status)")
            }
        }
    }

    @Test func aPatientsRecordsSortByDateDescendingAcrossPagesAndFilterByLastUpdated() async throws {
        try await Harness.run { h in
            let c = try await FHIRAPITests.course(h)
            let token = c.setup.practitioner
            let everything = Self.entries(try await h.request(.get, "/fhir/Provenance?patient=\(c.setup.patient)", token: token))
            #expect(everything.count >= 2)
            let pages = try await Self.all(h, "/fhir/Provenance?patient=\(c.setup.patient)&_sort=-recorded&_count=1", token: token)
            let recorded = pages.compactMap { $0["recorded"] as? String }
            #expect(pages.count == everything.count && Set(pages.compactMap { $0["id"] as? String }).count == pages.count)
            #expect(recorded == recorded.sorted().reversed(), "\(recorded)")
            let future = try await h.request(.get, "/fhir/Observation?patient=\(c.setup.patient)&_lastUpdated=gt2100-01-01", token: token)
            #expect(future.status == .ok && future.json["total"] as? Int == 0)
            let past = try await h.request(.get, "/fhir/Observation?patient=\(c.setup.patient)&_lastUpdated=gt2000", token: token)
            #expect((past.json["total"] as? Int ?? 0) > 0)
            let refused = try await h.request(.get, "/fhir/Observation?patient=\(c.setup.patient)&_sort=birthdate", token: token)
            #expect(refused.status == .badRequest && FHIRAPITests.isOutcome(refused))
        }
    }

    @Test func revincludeAddsTheAllowlistedResourcesThatPointAtTheMatchesAndRefusesOthers() async throws {
        try await Harness.run { h in
            let c = try await FHIRAPITests.course(h)
            let token = c.setup.practitioner
            let procedures = try await h.request(.get, "/fhir/Procedure?patient=\(c.setup.patient)&_revinclude=Provenance:target", token: token)
            #expect(procedures.status == .ok)
            let provenances = Self.entries(procedures, mode: "include")
            #expect(!provenances.isEmpty && provenances.allSatisfy { $0["resourceType"] as? String == "Provenance" })
            #expect(provenances.compactMap { $0["id"] as? String }.contains("\(c.session)-signed"))
            let selfLink = ((procedures.json["link"] as? [[String: Any]])?.first?["url"] as? String) ?? ""
            #expect(selfLink.contains("_revinclude=Provenance:target") || selfLink.contains("_revinclude=Provenance%3Atarget"), "\(selfLink)")

            let patient = try await h.request(.get, "/fhir/Patient/\(c.setup.patient)", token: token)
            let family = try #require(((patient.json["name"] as? [[String: Any]])?.first)?["family"] as? String)
            let before = try await SignSessionTests.auditHead(h.db)
            let patients = try await h.request(.get, "/fhir/Patient?name=\(family)&_revinclude=Procedure:patient&_revinclude=AdverseEvent:subject",
                                               token: token)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["fhir.search"], "one search, one audit entry")
            let included = Self.entries(patients, mode: "include")
            #expect(Set(included.compactMap { $0["resourceType"] as? String }) == ["Procedure", "AdverseEvent"])
            #expect(included.contains { $0["id"] as? String == c.session } && included.contains { $0["id"] as? String == c.adverseEvent })
            // The newer types: the intake's answers come back with the patient; photos and study enrolments are allowed.
            let answered = try await h.request(.get, "/fhir/Patient?name=\(family)&_revinclude=QuestionnaireResponse:patient"
                                                   + "&_revinclude=Media:patient&_revinclude=ResearchSubject:individual", token: token)
            #expect(answered.status == .ok, "\(answered.body.prefix(300))")
            let responses = Self.entries(answered, mode: "include")
            #expect(!responses.isEmpty && responses.allSatisfy { $0["resourceType"] as? String == "QuestionnaireResponse" },
                    "\(responses.compactMap { $0["resourceType"] as? String })")
            for path in ["/fhir/Patient?_revinclude=Device:owner", "/fhir/Procedure?patient=\(c.setup.patient)&_revinclude=Procedure:patient",
                         "/fhir/Device?_revinclude=Procedure:device"] {
                let r = try await h.request(.get, path, token: token)
                #expect(r.status == .badRequest && FHIRAPITests.isOutcome(r), "\(path): \(r.status)")
            }
            let metadata = try await h.request(.get, "/fhir/metadata", token: token)
            let resources = try #require(((metadata.json["rest"] as? [[String: Any]])?.first)?["resource"] as? [[String: Any]])
            let patientCapability = try #require(resources.first { $0["type"] as? String == "Patient" })
            #expect((patientCapability["searchRevInclude"] as? [String])?.contains("Procedure:patient") == true)
            let names = (patientCapability["searchParam"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(names == ["name", "identifier", "birthdate", "_lastUpdated", "_sort"])
        }
    }
}
