import Foundation
import ScarCore
import ScarStore

/// Starting a FHIR Bulk Data export (`$export` kick-off): one write transaction that checks a
/// Group's study is this clinic's, stores the waiting job and appends one `fhir.export-start`
/// entry naming the level, types and `_since`. Any app server's export runner then claims it.
public struct StartFHIRExport: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// Returns the new job's id; an unknown (or another clinic's) study is `StoreError.notFound`.
    public func callAsFunction(_ request: FHIRExportRequest, keepSeconds: Int, by clinician: Clinician, actor: AuditActor) async throws -> UUID {
        let id = UUID()
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.user.clinicId
            if let groupId = request.groupId { try await tx.requireStudy(groupId, clinicId: clinicId) }
            try await tx.insert(exportJob: request, id: id, clinicId: clinicId, requestedBy: clinician.user.id, keepSeconds: keepSeconds)
            var details = ["level": request.level.rawValue, "types": request.types?.joined(separator: ",") ?? "all"]
            if let since = request.since { details["since"] = ISO8601DateFormatter().string(from: since) }
            if let groupId = request.groupId { details["group"] = groupId.lower }
            try await tx.audit(AuditEvent(action: "fhir.export-start", recordType: "fhir-export", recordId: id.uuidString, details: details), by: actor)
        })
        return id
    }
}

/// Cancelling an export (`DELETE` on its status URL): the job stops at its next lease renewal,
/// its files are deleted, and one `fhir.export-cancel` entry is appended. Cancelling a job
/// already cancelled is accepted again (the client's intent is met); another clinic's is not found.
public struct CancelFHIRExport: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(jobId: UUID, by clinician: Clinician, actor: AuditActor) async throws {
        try await database.write(unitOfWork: { tx in
            guard let job = try await tx.exportJob(id: jobId, clinicId: clinician.user.clinicId) else {
                throw Refusal(.notFound, "Not found", detail: "There is no such export, or it is not yours to see.")
            }
            try await tx.cancel(exportJob: jobId)
            try await tx.audit(AuditEvent(action: "fhir.export-cancel", recordType: "fhir-export", recordId: jobId.uuidString,
                                          details: ["status": job.status.rawValue]), by: actor)
        })
    }
}

/// Downloading one NDJSON file of a complete export: found and audited (`fhir.export-download`,
/// with the type, part and how many resources) in one transaction, so no file leaves unaudited;
/// its content is then streamed chunk by chunk (`FHIRExportRepository.chunk`).
public struct DownloadFHIRExportFile: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(fileId: UUID, by clinician: Clinician, actor: AuditActor) async throws -> FHIRExportFile {
        try await database.write(unitOfWork: { tx in
            guard let file = try await tx.exportFile(id: fileId, clinicId: clinician.user.clinicId) else {
                throw Refusal(.notFound, "Not found", detail: "There is no such file, or it is not yours to see.")
            }
            try await tx.audit(AuditEvent(action: "fhir.export-download", recordType: "fhir-export", recordId: file.jobId.uuidString,
                                          details: ["file": file.id.lower, "type": file.resourceType, "part": String(file.part),
                                                    "resources": String(file.resourceCount), "sha256": file.sha256]), by: actor)
            return file
        })
    }
}
