import Foundation
import HTTPTypes
import ScarCore
import ScarTestSupport
import SQLKit
import Testing

/// `/fhir/Group` (a split-face study's participants, the Groups Group-level `$export` takes) and
/// `_typeFilter` on `$export`, over real HTTP on a real database.
@Suite("FHIR Groups and export type filters")
struct FHIRGroupAndTypeFilterTests {
    @Test func aStudyIsAGroupOfPatientReferencesWithoutArmsAndDeidentifiedRolesGetNothing() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let study = try #require(try await h.request(.post, "/api/v1/studies", json: StudyTests.design, token: token).json["id"] as? String)
            var enrolled: [String] = []
            for _ in 0..<2 {
                let pid = try await StudyTests.consentedPatient(h, token: token)
                let p = try await h.request(.post, "/api/v1/studies/\(study)/participants", json: ["patientId": pid], token: token)
                #expect(p.status == .created, "\(p.body)")
                enrolled.append(pid)
            }
            let before = try await SignSessionTests.auditHead(h.db)
            let read = try await h.request(.get, "/fhir/Group/\(study)", token: token)
            #expect(read.status == .ok && read.headers[.contentType] == "application/fhir+json", "\(read.body)")
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["fhir.read"])
            #expect(read.json["resourceType"] as? String == "Group" && read.json["id"] as? String == study)
            #expect(read.json["type"] as? String == "person" && read.json["actual"] as? Bool == true && read.json["quantity"] as? Int == 2)
            #expect(read.headers[.eTag] == "W/\"\(((read.json["meta"] as? [String: Any])?["versionId"] as? String) ?? "?")\"")
            let members = (read.json["member"] as? [[String: Any]] ?? []).compactMap { ($0["entity"] as? [String: Any])?["reference"] as? String }
            #expect(members == enrolled.map { "Patient/\($0)" })
            for hidden in ["armASide", "left", "right", "Arm", "code\":\"P"] { #expect(!read.body.contains(hidden), "\(hidden)") }

            let search = try await h.request(.get, "/fhir/Group?_count=1", token: token)
            #expect(search.status == .ok && search.json["type"] as? String == "searchset" && search.json["total"] as? Int == 1)
            #expect(FHIRSearchParameterTests.entries(search, mode: "match").first?["id"] as? String == study)
            let other = try await h.token(email: h.otherClinicAdmin.email)
            let foreign = try await h.request(.get, "/fhir/Group/\(study)", token: other)
            #expect(foreign.status == .notFound && FHIRAPITests.isOutcome(foreign))
            #expect(try await h.request(.get, "/fhir/Group", token: other).json["total"] as? Int == 0)
            for role in Role.deidentified {
                for path in ["/fhir/Group/\(study)", "/fhir/Group"] {
                    let r = try await h.request(.get, path, token: try await h.token(role))
                    #expect(r.status == .forbidden && FHIRAPITests.isOutcome(r), "\(role) \(path)")
                }
            }
            let metadata = try await h.request(.get, "/fhir/metadata", token: token)
            let resources = ((metadata.json["rest"] as? [[String: Any]])?.first)?["resource"] as? [[String: Any]] ?? []
            #expect(resources.contains { $0["type"] as? String == "Group" })
        }
    }

    @Test func typeFilterNarrowsAnExportByTheSearchParametersAndAnythingElseIsRefusedAtKickOff() async throws {
        try await Harness.run(configuration: FHIRExportTests.configuration()) { h in
            let c = try await FHIRAPITests.course(h)
            let token = c.setup.practitioner
            for filter in ["Patient%3Fname%3Dx", "Procedure%3Fpatient%3DPatient/\(c.setup.patient)", "Procedure%3Fdate%3Dge2026-01-01%26status%3Dcompleted",
                           "Basic%3Fstatus%3Dx", "Consent%3Fcode%3Dx", "Procedure"] {
                let r = try await h.request(.get, "/fhir/$export?_typeFilter=\(filter)", token: token, headers: FHIRExportTests.prefer)
                #expect(r.status == .badRequest && FHIRAPITests.isOutcome(r) && r.body.contains("_typeFilter"), "\(filter): \(r.status) \(r.body)")
            }
            #expect(try await FHIRExportTests.auditCount(h, "fhir.export-start") == 0)
            let body: [String: Any] = ["resourceType": "Parameters", "parameter": [["name": "_typeFilter", "valueString": "Appointment?status=booked"]]]
            let kick = try await h.request(.post, "/fhir/$export", json: body, token: token, headers: FHIRExportTests.prefer, contentType: "application/fhir+json")
            #expect(kick.status == .accepted, "\(kick.body)")
            let (_, manifest) = try await FHIRExportTests.export(
                h, "/fhir/$export?_type=Observation,Procedure,Patient&_typeFilter=Observation%3Fcode%3Decca&_typeFilter=Procedure%3Fdate%3Dge2999-01-01",
                token: token)
            let exported = try await FHIRExportTests.download(h, manifest, token: token)
            let observations = exported.filter { $0["resourceType"] as? String == "Observation" }
            #expect(!observations.isEmpty)
            #expect(observations.allSatisfy { (($0["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == "ecca" })
            #expect(!exported.contains { $0["resourceType"] as? String == "Procedure" }, "no procedure is dated 2999")
            #expect(exported.contains { $0["resourceType"] as? String == "Patient" }, "an unfiltered type is whole")
            // Both jobs done before the server stops.
            for _ in 0..<50 {
                let running = try await h.db.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM fhir_export_jobs WHERE status IN ('pending', 'running')").first()!.decode(column: "n", as: Int.self)
                }
                if running == 0 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
