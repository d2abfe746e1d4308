import Foundation
import ScarCore

/// What a CSV import batch reads and writes inside its one transaction (`ImportPatients`,
/// `ImportAppointments`); the use case audits the batch once.
extension UnitOfWork {
    /// Records already imported from these source ids (source id → record id).
    public func importedRecords(_ kind: ImportKind, sourceIds: [String], clinicId: UUID) async throws -> [String: UUID] {
        try await ImportRepository.importedRecords(kind, sourceIds: sourceIds, clinicId: clinicId, on: sql)
    }

    /// The clinic's patients born on any of these days (for the likely-duplicate check).
    public func patientsBorn(on days: [CalendarDate], clinicId: UUID) async throws -> [ImportMatch] {
        try await ImportRepository.patientsBorn(on: days, clinicId: clinicId, on: sql)
    }

    /// The clinic's patients with these record numbers (record number → id).
    public func patientIds(recordNumbers: [String], clinicId: UUID) async throws -> [String: UUID] {
        try await ImportRepository.patientIds(recordNumbers: recordNumbers, clinicId: clinicId, on: sql)
    }

    /// Active staff (by display name) and rooms (by name), names lower-cased.
    public func importResources(clinicId: UUID) async throws -> (staff: [String: UUID], rooms: [String: UUID]) {
        try await ImportRepository.resources(clinicId: clinicId, on: sql)
    }

    /// Stores an imported appointment (reminders only for a booked one still ahead).
    public func insert(imported a: ImportedAppointment, patientId: UUID, practitionerId: UUID, roomId: UUID, clinicId: UUID, createdBy: UUID,
                       now: Date) async throws -> UUID {
        let interval = try await ScheduleRepository.settings(clinicId: clinicId, on: sql).minimumIntervalDays
        return try await ImportRepository.insert(a, patientId: patientId, practitionerId: practitionerId, roomId: roomId, clinicId: clinicId,
                                                 createdBy: createdBy, minimumIntervalDays: interval, now: now, on: sql)
    }

    /// The batch's row in `import_batches` and its source ids in the map.
    public func record(importBatch batch: ImportBatchRecord, id: UUID, clinicId: UUID, actor: AuditActor, sources: [(String, UUID)], now: Date) async throws {
        try await ImportRepository.record(batch, id: id, clinicId: clinicId, actor: actor, sources: sources, now: now, on: sql)
    }
}
