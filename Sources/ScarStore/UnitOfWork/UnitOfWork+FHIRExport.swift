import Foundation
import ScarCore

/// What starting, cancelling and downloading a FHIR Bulk Data export read and write inside
/// their one transaction; each use case audits its intent once.
extension UnitOfWork {
    /// Not found unless the study (a Group) is one of this clinic's.
    public func requireStudy(_ studyId: UUID, clinicId: UUID) async throws {
        _ = try await StudyRepository.load(id: studyId, clinicId: clinicId, on: sql)
    }

    /// A waiting job; it and its files are deleted `keepSeconds` after it was made or finished.
    public func insert(exportJob request: FHIRExportRequest, id: UUID, clinicId: UUID, requestedBy: UUID, keepSeconds: Int) async throws {
        try await FHIRExportRepository.insert(request, id: id, clinicId: clinicId, requestedBy: requestedBy, keepSeconds: keepSeconds,
                                              engine: engine, on: sql)
    }

    /// A job of this clinic that has not expired (nil for another clinic's).
    public func exportJob(id: UUID, clinicId: UUID) async throws -> FHIRExportJob? {
        try await FHIRExportRepository.load(id: id, clinicId: clinicId, engine: engine, on: sql)
    }

    public func cancel(exportJob id: UUID) async throws {
        try await FHIRExportRepository.cancel(id: id, on: sql)
    }

    /// A file of a complete export of this clinic (its NDJSON is read chunk by chunk afterwards).
    public func exportFile(id: UUID, clinicId: UUID) async throws -> FHIRExportFile? {
        try await FHIRExportRepository.file(id: id, clinicId: clinicId, engine: engine, on: sql)
    }
}
