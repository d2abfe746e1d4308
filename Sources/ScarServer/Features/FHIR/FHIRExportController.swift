import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarClinic
import ScarFHIR
import ScarStore

/// FHIR Bulk Data Access (`$export`, Bulk Data IG v2) at system, Patient and Group level. A
/// kick-off (`Prefer: respond-async`) stores a job and answers 202 with its status URL; the
/// status answers 202 with `X-Progress` and `Retry-After` while it runs (429 when polled sooner),
/// then 200 with the manifest; `DELETE` cancels. Files need the same bearer token and clinic as
/// every `/fhir` read. Kick-off, cancel and each download are audited (ScarClinic use cases).
/// A Group is a split-face study's participants.
struct FHIRExportController {
    let services: AppServices
    var settings: FHIRExportSettings { services.configuration.fhirExport }

    static let statusPath = "/fhir/$export-status"
    static let filePath = "/fhir/$export-file"

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        for method in [HTTPRequest.Method.get, .post] {
            routes.api(method, "/fhir/$export", .clinicalStaff, "FHIR Bulk Data export of the whole clinic (kick-off)") { try await c.kickOff(.system, $0, $1) }
            routes.api(method, "/fhir/Patient/$export", .clinicalStaff, "FHIR Bulk Data export of every patient (kick-off)") { try await c.kickOff(.patient, $0, $1) }
            routes.api(method, "/fhir/Group/:id/$export", .clinicalStaff, "FHIR Bulk Data export of a study's participants (kick-off)") {
                try await c.kickOff(.group, $0, $1)
            }
        }
        routes.api(.get, "\(statusPath)/:id", .clinicalStaff, "Status of a FHIR Bulk Data export: progress, or the manifest", c.status)
        routes.api(.get, "\(filePath)/:id", .clinicalStaff, "One NDJSON file of a complete FHIR Bulk Data export", c.file)
        routes.api(.delete, "\(statusPath)/:id", .clinicalStaff, "Cancel a FHIR Bulk Data export and delete its files", c.cancel)
    }

    func kickOff(_ level: FHIRExportRequest.Level, _ request: Request, _ context: AppContext) async throws -> Response {
        var groupId: UUID?
        if level == .group {
            guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw AppError.notFound }
            groupId = id
        }
        try FHIRExportParameters.checkHeaders(request)
        let parameters = request.method == .post
            ? try await FHIRExportParameters(body: request, limit: services.configuration.maxJSONBodyBytes)
            : try FHIRExportParameters(query: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        let base = FHIRLinks.serverBase(request)
        let exportRequest = FHIRExportRequest(level: level, groupId: groupId, types: parameters.types, since: parameters.since,
                                              url: base + request.uri.description, typeFilters: parameters.typeFilters)
        let id = try await StartFHIRExport(services.database)(exportRequest, keepSeconds: settings.keepSeconds, by: context.clinician,
                                                              actor: context.auditActor)
        let runner = services.fhirExports
        Task.detached { await runner.runAvailable() }
        var headers = HTTPFields()
        headers[.contentLocation] = "\(base)\(Self.statusPath)/\(id.lower)"
        return Response(status: .accepted, headers: headers)
    }

    @Sendable func status(_ request: Request, _ context: AppContext) async throws -> Response {
        let jobId = try context.apiUUID()
        switch try await services.fhirExports.jobs.poll(id: jobId, clinicId: context.clinician.user.clinicId, interval: settings.pollSeconds) {
        case .unknown:
            throw AppError.notFound
        case .tooSoon:
            var headers = HTTPFields()
            headers[.retryAfter] = String(settings.pollSeconds)
            throw AppError(.tooManyRequests, "Polled too soon", detail: "Wait \(settings.pollSeconds) seconds between status requests.", headers: headers)
        case .job(let job, let files):
            switch job.status {
            case .pending, .running:
                var headers = HTTPFields()
                headers[.retryAfter] = String(settings.pollSeconds)
                headers[HTTPField.Name("X-Progress")!] = Self.progress(job)
                return Response(status: .accepted, headers: headers)
            case .complete:
                let manifest = FHIRExportManifest(job: job, files: files, base: FHIRLinks.serverBase(request), filePath: Self.filePath)
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try FHIRJSON.encode(manifest))))
            case .failed:
                throw AppError(.internalServerError, "Export failed", detail: job.error ?? "The export could not be completed; start a new one.")
            case .cancelled:
                throw AppError.notFound
            }
        }
    }

    static func progress(_ job: FHIRExportJob) -> String {
        guard job.status == .running, job.patientsTotal > 0 else { return job.status == .pending ? "waiting to start" : "reading the clinic" }
        let percent = job.patientsDone * 100 / job.patientsTotal
        return "\(percent)% (\(job.patientsDone) of \(job.patientsTotal) patients, \(job.resourcesDone) resources)"
    }

    @Sendable func file(_ request: Request, _ context: AppContext) async throws -> Response {
        let file = try await DownloadFHIRExportFile(services.database)(fileId: try context.apiUUID(), by: context.clinician, actor: context.auditActor)
        var headers = HTTPFields()
        headers[.contentType] = "application/fhir+ndjson"
        // Streamed a chunk at a time; a file gone meanwhile (expired, cancelled) ends the body short of its Content-Length.
        let jobs = services.fhirExports.jobs
        return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: file.byteCount) { writer in
            for seq in 0..<file.chunks {
                guard let bytes = try await jobs.chunk(fileId: file.id, seq: seq) else { throw AppError.notFound }
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            try await writer.finish(nil)
        })
    }

    @Sendable func cancel(_ request: Request, _ context: AppContext) async throws -> Response {
        try await CancelFHIRExport(services.database)(jobId: try context.apiUUID(), by: context.clinician, actor: context.auditActor)
        return Response(status: .accepted)
    }
}

/// The completion manifest of Bulk Data v2: what was exported, as of when, and where each file is.
struct FHIRExportManifest: Encodable {
    let transactionTime: String
    let request: String
    let requiresAccessToken = true
    let output: [Output]
    let deleted: [Output] = []
    let error: [Output] = []

    struct Output: Encodable {
        let type: String
        let url: String
        let count: Int
    }

    init(job: FHIRExportJob, files: [FHIRExportFile], base: String, filePath: String) {
        transactionTime = FHIRTime.instant(job.transactionTime ?? Date(timeIntervalSince1970: 0))
        request = job.request.url
        output = files.map { Output(type: $0.resourceType, url: "\(base)\(filePath)/\($0.id.lower)", count: $0.resourceCount) }
    }
}
