import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// FHIR Bulk Data `$export` over real HTTP on a real database (both engines): kick-off, polling
/// (202 with progress, 429 too soon), the manifest, downloads that parse line by line and match
/// its counts, cancel, the clinic boundary, the lease on the database's clock, split files.
@Suite("FHIR Bulk Data export")
struct FHIRExportTests {
    static let prefer: HTTPFields = [HTTPField.Name("Prefer")!: "respond-async", .accept: "application/fhir+json"]

    static func configuration(partBytes: Int = 16 * 1024 * 1024, chunkBytes: Int = 256 * 1024) -> AppConfiguration {
        var c = Harness.configuration()
        c.fhirExport.pollSeconds = 1
        c.fhirExport.partBytes = partBytes
        c.fhirExport.chunkBytes = chunkBytes
        return c
    }

    /// Kicks off, then polls as a client would (waiting Retry-After) until the manifest comes.
    static func export(_ h: Harness, _ path: String, token: String) async throws -> (status: String, manifest: [String: Any]) {
        let kick = try await h.request(.get, path, token: token, headers: prefer)
        #expect(kick.status == .accepted, "\(path): \(kick.status) \(kick.body)")
        let status = try #require(kick.headers[.contentLocation], "no Content-Location")
        let statusPath = String(status[status.range(of: "/fhir/")!.lowerBound...])
        for _ in 0..<100 {
            let r = try await h.request(.get, statusPath, token: token)
            if r.status == .ok { return (statusPath, r.json) }
            #expect(r.status == .accepted || r.status == .tooManyRequests, "\(r.status) \(r.body)")
            #expect(r.headers[.retryAfter] == "1")
            if r.status == .accepted { #expect(r.headers[HTTPField.Name("X-Progress")!] != nil) }
            try await Task.sleep(for: .milliseconds(1050))
        }
        throw HarnessError("the export of \(path) did not finish")
    }

    /// Every file of the manifest, downloaded with the token: each line one resource of the file's type.
    static func download(_ h: Harness, _ manifest: [String: Any], token: String) async throws -> [[String: Any]] {
        var resources: [[String: Any]] = []
        for output in manifest["output"] as? [[String: Any]] ?? [] {
            let url = try #require(output["url"] as? String)
            let r = try await h.request(.get, String(url[url.range(of: "/fhir/")!.lowerBound...]), token: token)
            #expect(r.status == .ok && r.headers[.contentType] == "application/fhir+ndjson", "\(r.status) \(r.body)")
            let lines = r.body.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(r.body.hasSuffix("\n") && lines.count == output["count"] as? Int, "\(output): \(lines.count) lines")
            for line in lines {
                let resource = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "a line is not a JSON object")
                #expect(resource["resourceType"] as? String == output["type"] as? String)
                resources.append(resource)
            }
        }
        return resources
    }

    static func references(in value: Any, into found: inout Set<String>) {
        if let object = value as? [String: Any] {
            if let reference = object["reference"] as? String { found.insert(reference) }
            object.values.forEach { references(in: $0, into: &found) }
        } else if let array = value as? [Any] {
            array.forEach { references(in: $0, into: &found) }
        }
    }

    static func auditCount(_ h: Harness, _ action: String) async throws -> Int {
        try await h.db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action)").first()!.decode(column: "n", as: Int.self)
        }
    }

    @Test func aSystemExportGoesFromKickOffToAManifestWhoseFilesParseMatchItsCountsAndAreClosed() async throws {
        try await Harness.run(configuration: Self.configuration()) { h in
            let c = try await FHIRAPITests.course(h)
            let token = c.setup.practitioner
            let (_, manifest) = try await Self.export(h, "/fhir/$export", token: token)
            #expect(manifest["requiresAccessToken"] as? Bool == true)
            #expect((manifest["request"] as? String)?.hasSuffix("/fhir/$export") == true)
            #expect((manifest["transactionTime"] as? String)?.hasSuffix("Z") == true)
            #expect((manifest["error"] as? [Any])?.isEmpty == true)
            let output = try #require(manifest["output"] as? [[String: Any]])
            let types = output.compactMap { $0["type"] as? String }
            #expect(Set(types).isSuperset(of: ["Patient", "Organization", "Practitioner", "Device", "Condition", "Observation", "Procedure",
                                               "Consent", "AdverseEvent", "CarePlan", "Provenance"]), "\(types)")
            #expect(types.count == Set(types).count, "one file per type when small")
            let resources = try await Self.download(h, manifest, token: token)
            #expect(resources.contains { $0["resourceType"] as? String == "Procedure" && $0["id"] as? String == c.session })
            #expect(resources.contains { $0["resourceType"] as? String == "AdverseEvent" && $0["id"] as? String == c.adverseEvent })
            #expect(resources.contains { $0["resourceType"] as? String == "Provenance" && $0["id"] as? String == c.session + "-signed" })
            let held = Set(resources.map { "\($0["resourceType"]!)/\($0["id"]!)" })
            #expect(held.count == resources.count, "each resource once")
            var found = Set<String>()
            for r in resources { Self.references(in: r, into: &found) }
            #expect(found.subtracting(held).isEmpty, "references outside the set: \(found.subtracting(held))")
            #expect(try await Self.auditCount(h, "fhir.export-start") == 1)
            #expect(try await Self.auditCount(h, "fhir.export-download") == output.count)
        }
    }

    @Test func pollingFasterThanRetryAfterIs429AndAnotherClinicsJobAndFilesAreUnknown() async throws {
        try await Harness.run(configuration: Self.configuration()) { h in
            let admin = try await h.token(.admin)
            // A job nobody runs yet: it stays waiting while it is polled.
            let clinician = Clinician(user: h.staff[.admin]!, today: CalendarDate.utc(Date()))
            let actor = AuditActor(clinicId: h.clinic.id, userId: h.staff[.admin]!.id, label: "test", clientAddress: "127.0.0.1")
            let waiting = try await StartFHIRExport(h.db)(FHIRExportRequest(level: .system, url: "http://localhost/fhir/$export"), keepSeconds: 3600,
                                                          by: clinician, actor: actor)
            let first = try await h.request(.get, "/fhir/$export-status/\(waiting.lower)", token: admin)
            #expect(first.status == .accepted && first.headers[HTTPField.Name("X-Progress")!] == "waiting to start", "\(first.body)")
            let second = try await h.request(.get, "/fhir/$export-status/\(waiting.lower)", token: admin)
            #expect(second.status == .tooManyRequests && second.headers[.retryAfter] == "1" && FHIRAPITests.isOutcome(second), "\(second.body)")
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await h.request(.get, "/fhir/$export-status/\(waiting.lower)", token: admin).status == .accepted)

            let (status, manifest) = try await Self.export(h, "/fhir/Patient/$export", token: admin)
            let file = try #require((manifest["output"] as? [[String: Any]])?.first?["url"] as? String)
            let filePath = String(file[file.range(of: "/fhir/")!.lowerBound...])
            let other = try await h.token(email: h.otherClinicAdmin.email)
            for (method, path) in [(HTTPRequest.Method.get, status), (.get, filePath), (.delete, status)] {
                let r = try await h.request(method, path, token: other)
                #expect(r.status == .notFound && FHIRAPITests.isOutcome(r), "\(method) \(path) by another clinic: \(r.status)")
            }
            let researcher = try await h.request(.get, "/fhir/$export", token: try await h.token(.researcher), headers: Self.prefer)
            #expect(researcher.status == .forbidden)
            #expect(try await h.request(.get, filePath, token: try await h.token(.researcher)).status == .forbidden)
            #expect(try await h.request(.get, filePath).status == .unauthorized, "a file needs the token")

            // Cancel: 202, then the status and the files are gone; audited.
            #expect(try await h.request(.delete, status, token: admin).status == .accepted)
            #expect(try await h.request(.get, status, token: admin).status == .notFound)
            #expect(try await h.request(.get, filePath, token: admin).status == .notFound)
            #expect(try await Self.auditCount(h, "fhir.export-cancel") == 1)
        }
    }

    @Test func unsupportedKickOffsAre400OperationOutcomesAndParametersNarrowTheExport() async throws {
        try await Harness.run(configuration: Self.configuration()) { h in
            let admin = try await h.token(.admin)
            _ = try await h.registerPatient(token: admin)
            let noPrefer = try await h.request(.get, "/fhir/$export", token: admin)
            #expect(noPrefer.status == .badRequest && FHIRAPITests.isOutcome(noPrefer))
            for query in ["_typeFilter=Patient%3Factive%3Dtrue", "_outputFormat=text/csv", "_type=Basic", "_since=yesterday", "_elements=id", "color=blue"] {
                let r = try await h.request(.get, "/fhir/$export?\(query)", token: admin, headers: Self.prefer)
                #expect(r.status == .badRequest && FHIRAPITests.isOutcome(r), "\(query): \(r.status) \(r.body)")
            }
            let group = try await h.request(.get, "/fhir/Group/\(UUID().uuidString.lowercased())/$export", token: admin, headers: Self.prefer)
            #expect(group.status == .notFound && FHIRAPITests.isOutcome(group))
            #expect(try await Self.auditCount(h, "fhir.export-start") == 0, "nothing refused was started")

            // POST with a Parameters body: only Patient, in NDJSON.
            let body: [String: Any] = ["resourceType": "Parameters", "parameter": [
                ["name": "_type", "valueString": "Patient"], ["name": "_outputFormat", "valueString": "application/fhir+ndjson"]]]
            let kick = try await h.request(.post, "/fhir/$export", json: body, token: admin, headers: Self.prefer, contentType: "application/fhir+json")
            #expect(kick.status == .accepted, "\(kick.body)")
            let (_, manifest) = try await Self.export(h, "/fhir/$export?_type=Patient,Organization&_since=2000-01-01T00:00:00Z", token: admin)
            #expect(Set((manifest["output"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }) == ["Patient", "Organization"])
            let (_, future) = try await Self.export(h, "/fhir/$export?_since=2999-01-01T00:00:00Z", token: admin)
            #expect((future["output"] as? [Any])?.isEmpty == true, "nothing changed since then")
        }
    }

    /// Files are split at `partBytes` and stored in chunks of whole lines as they are written;
    /// a download streams the chunks in order: the whole file, its length and SHA-256 as recorded.
    @Test func aLargeTypeIsSplitIntoSeveralFilesStoredInChunksThatDownloadWhole() async throws {
        try await Harness.run(configuration: Self.configuration(partBytes: 700, chunkBytes: 200)) { h in
            let admin = try await h.token(.admin)
            for i in 0..<6 { _ = try await h.registerPatient(token: admin, given: "Split\(i)") }
            let (_, manifest) = try await Self.export(h, "/fhir/Patient/$export?_type=Patient", token: admin)
            let output = try #require(manifest["output"] as? [[String: Any]])
            #expect(output.count > 1, "\(output)")
            #expect(output.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 6)
            let resources = try await Self.download(h, manifest, token: admin)
            #expect(Set(resources.compactMap { $0["id"] as? String }).count == 6)
            let rows = try await h.db.read { sql in
                try await sql.raw("SELECT id, byte_count, sha256, chunks FROM fhir_export_files").all().map {
                    (id: try $0.decode(column: "id", as: UUID.self), bytes: try $0.decode(column: "byte_count", as: Int.self),
                     sha256: try $0.decode(column: "sha256", as: String.self), chunks: try $0.decode(column: "chunks", as: Int.self))
                }
            }
            #expect(rows.count == output.count)
            #expect(rows.contains { $0.chunks > 1 }, "a file of several chunks: \(rows.map { $0.chunks })")
            for row in rows {
                let r = try await h.request(.get, "/fhir/$export-file/\(row.id.lower)", token: admin)
                #expect(r.status == .ok && r.headers[.contentLength] == String(row.bytes), "\(r.status) \(r.headers)")
                #expect(r.body.utf8.count == row.bytes && PhotoStore.sha256Hex(Array(r.body.utf8)) == row.sha256)
            }
        }
    }

    /// The lease is the database's: a second runner cannot take a job while the lease lasts, takes
    /// it once it has run out, and the first runner's renewal then fails (it must stop).
    @Test func aJobsLeaseRunsOnTheDatabaseClockAndALostLeaseStopsTheFirstRunner() async throws {
        try await Harness.run(configuration: Self.configuration()) { h in
            let clinician = Clinician(user: h.staff[.admin]!, today: CalendarDate.utc(Date()))
            let actor = AuditActor(clinicId: h.clinic.id, userId: h.staff[.admin]!.id, label: "test", clientAddress: "127.0.0.1")
            let id = try await StartFHIRExport(h.db)(FHIRExportRequest(level: .system, url: "http://localhost/fhir/$export"), keepSeconds: 3600,
                                                     by: clinician, actor: actor)
            let jobs = FHIRExportRepository(h.db)
            let first = try #require(try await jobs.claim(worker: "server-a", lease: 1))
            #expect(first.id == id && first.attempts == 1)
            #expect(try await jobs.claim(worker: "server-b", lease: 60) == nil, "the lease still holds")
            try await Task.sleep(for: .milliseconds(1300))
            let second = try #require(try await jobs.claim(worker: "server-b", lease: 60), "the lease ran out")
            #expect(second.attempts == 2)
            let progress = FHIRExportRepository.Progress(patientsTotal: 0, patientsDone: 0, resourcesDone: 0)
            #expect(try await jobs.store([], jobId: id, clinicId: h.clinic.id, worker: "server-a", lease: 60, progress: progress) == false)
            #expect(try await jobs.store([], jobId: id, clinicId: h.clinic.id, worker: "server-a", lease: 60) == false)
            let completion = FHIRExportRepository.Completion(transactionTime: Date(), resources: 0, keepSeconds: 3600)
            #expect(try await jobs.store([], jobId: id, clinicId: h.clinic.id, worker: "server-b", lease: 60, completion: completion))
            // Expired jobs are deleted with their files.
            #expect(try await jobs.store([], jobId: id, clinicId: h.clinic.id, worker: "server-b", lease: 60, completion: completion) == false)
            try await h.db.write { sql in try await sql.raw("UPDATE fhir_export_jobs SET expires_at = created_at").run() }
            #expect(try await jobs.removeExpired() == 1)
        }
    }
}
