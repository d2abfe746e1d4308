import Foundation
import ScarCore
import SQLKit

/// A new clinic's first-run set-up: a room, a device, lots and consent templates in one transaction.
extension UnitOfWork {
    public func roomNameTaken(_ name: String, clinicId: UUID) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM rooms WHERE clinic_id = \(bind: clinicId) AND name = \(bind: name)").first() != nil
    }

    public func insert(room name: String, clinicId: UUID, now: Date) async throws -> Room {
        try await ScheduleRepository.insert(room: name, clinicId: clinicId, now: now, on: sql)
    }

    /// Throws `StoreError.duplicate(field: "serialNumber")` for a serial number the clinic already has.
    public func insert(device d: DeviceDetails, clinicId: UUID, now: Date) async throws -> Device {
        try await DeviceLotRepository.insert(device: d, clinicId: clinicId, at: now.wholeMilliseconds, on: sql)
    }

    /// Throws `StoreError.duplicate(field: "lotNumber")` for a lot the clinic already received.
    public func insert(lot d: LotDetails, clinicId: UUID, now: Date) async throws -> Lot {
        try await DeviceLotRepository.insert(lot: d, clinicId: clinicId, at: now.wholeMilliseconds, on: sql)
    }

    public func insert(consentTemplate d: ConsentTemplateDetails, clinicId: UUID, authorId: UUID, now: Date) async throws -> ConsentRepository.Template {
        try await ConsentRepository.insert(template: d, clinicId: clinicId, authorId: authorId, at: now.wholeMilliseconds, on: sql)
    }
}
