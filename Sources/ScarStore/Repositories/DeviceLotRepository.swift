import Foundation
import ScarCore
import SQLKit

/// The clinic's device registry, consumable lots and charting settings. Not patient data, so
/// reads are not audited; every change is (with the field names it changed).
public struct DeviceLotRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }


    static let deviceColumns = """
        id, clinic_id, model, manufacturer, device_type, max_depth_mm, needle_geometry, needle_count, puncture_rate, serial_number,
        last_service_on, next_service_due, active, created_at, version
        """

    static func device(_ row: any SQLRow) throws -> Device {
        func date(_ c: String) throws -> CalendarDate? { try row.decode(column: c, as: String?.self).flatMap(CalendarDate.init) }
        guard let type = DeviceType(rawValue: try row.decode(column: "device_type", as: String.self)) else {
            throw StoreError.configuration("Unknown device type in storage")
        }
        let details = DeviceDetails(
            model: try row.decode(column: "model", as: String.self), manufacturer: try row.decode(column: "manufacturer", as: String.self),
            type: type, maxDepthMm: try row.decode(column: "max_depth_mm", as: Double.self),
            needleGeometry: try row.decode(column: "needle_geometry", as: String.self),
            needleCount: try row.decode(column: "needle_count", as: Int.self), punctureRate: try row.decode(column: "puncture_rate", as: String?.self),
            serialNumber: try row.decode(column: "serial_number", as: String.self), lastServiceOn: try date("last_service_on"),
            nextServiceDue: try date("next_service_due"), active: try row.decode(column: "active", as: Bool.self))
        return Device(id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                      details: details, createdAt: try row.decode(column: "created_at", as: Date.self),
                      version: try row.decode(column: "version", as: Int.self))
    }

    public func addDevice(_ d: DeviceDetails, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> Device {
        let engine = db.engine
        let at = now.wholeMilliseconds
        return try await db.write { sql in
            let device = try await Self.insert(device: d, clinicId: clinicId, at: at, on: sql)
            try await AuditTrail.append(AuditEvent(action: "device.create", recordType: "device", recordId: device.id.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
            return device
        }
    }

    /// Registers a device (its serial number unique in the clinic) inside the caller's transaction.
    static func insert(device d: DeviceDetails, clinicId: UUID, at: Date, on sql: any SQLDatabase) async throws -> Device {
        if try await sql.raw("SELECT 1 AS x FROM devices WHERE clinic_id = \(bind: clinicId) AND serial_number = \(bind: d.serialNumber)").first() != nil {
            throw StoreError.duplicate(field: "serialNumber")
        }
        let device = Device(id: UUID(), clinicId: clinicId, details: d, createdAt: at, version: 1)
        try await sql.raw("""
            INSERT INTO devices (id, clinic_id, model, manufacturer, device_type, max_depth_mm, needle_geometry, needle_count, puncture_rate,
                                 serial_number, last_service_on, next_service_due, active, created_at, updated_at, version)
            VALUES (\(bind: device.id), \(bind: clinicId), \(bind: d.model), \(bind: d.manufacturer), \(bind: d.type.rawValue),
                    \(bind: d.maxDepthMm), \(bind: d.needleGeometry), \(bind: d.needleCount), \(bind: d.punctureRate), \(bind: d.serialNumber),
                    \(bind: d.lastServiceOn?.description), \(bind: d.nextServiceDue?.description), \(bind: d.active), \(bind: at), \(bind: at), 1)
            """).run()
        // One registry: registered once, the device is bookable at once too.
        try await DeviceRegistry.registerForBooking(device, clinicId: clinicId, now: at, on: sql)
        return device
    }

    public func updateDevice(id: UUID, clinicId: UUID, expectedVersion: Int, by actor: AuditActor, now: Date = Date(),
                             change: @escaping @Sendable (Device) throws -> DeviceDetails) async throws -> Device {
        let engine = db.engine
        let at = now.wholeMilliseconds
        return try await db.write { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.deviceColumns) FROM devices WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            let before = try Self.device(row)
            guard before.version == expectedVersion else { throw StoreError.versionConflict(current: before.version) }
            let d = try change(before)
            let updated = try await sql.raw("""
                UPDATE devices SET model = \(bind: d.model), manufacturer = \(bind: d.manufacturer), device_type = \(bind: d.type.rawValue),
                    max_depth_mm = \(bind: d.maxDepthMm), needle_geometry = \(bind: d.needleGeometry), needle_count = \(bind: d.needleCount),
                    puncture_rate = \(bind: d.punctureRate), serial_number = \(bind: d.serialNumber),
                    last_service_on = \(bind: d.lastServiceOn?.description), next_service_due = \(bind: d.nextServiceDue?.description),
                    active = \(bind: d.active), updated_at = \(bind: at), version = \(bind: expectedVersion + 1)
                WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId) AND version = \(bind: expectedVersion) RETURNING version
                """).first()
            guard updated != nil else { throw StoreError.versionConflict(current: expectedVersion + 1) }
            try await DeviceRegistry.followChange(from: before.details, to: d, deviceId: id, on: sql)
            try await AuditTrail.append(AuditEvent(action: "device.update", recordType: "device", recordId: id.uuidString,
                                                   details: ["version": String(expectedVersion + 1)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return Device(id: id, clinicId: clinicId, details: d, createdAt: before.createdAt, version: expectedVersion + 1)
        }
    }

    public func devices(clinicId: UUID) async throws -> [Device] {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.deviceColumns) FROM devices WHERE clinic_id = \(bind: clinicId) ORDER BY model, serial_number")
                .all().map(Self.device)
        }
    }

    static let lotColumns = "id, clinic_id, kind, product, lot_number, expires_on, quantity, received_on, created_at, version"

    static func lot(_ row: any SQLRow) throws -> Lot {
        guard let kind = ConsumableKind(rawValue: try row.decode(column: "kind", as: String.self)),
              let expires = CalendarDate(try row.decode(column: "expires_on", as: String.self)),
              let received = CalendarDate(try row.decode(column: "received_on", as: String.self))
        else { throw StoreError.configuration("Bad lot row in storage") }
        return Lot(id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                   details: LotDetails(kind: kind, product: try row.decode(column: "product", as: String.self),
                                       lotNumber: try row.decode(column: "lot_number", as: String.self), expiresOn: expires,
                                       quantity: try row.decode(column: "quantity", as: Int.self), receivedOn: received),
                   createdAt: try row.decode(column: "created_at", as: Date.self), version: try row.decode(column: "version", as: Int.self))
    }

    public func addLot(_ d: LotDetails, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> Lot {
        let engine = db.engine
        let at = now.wholeMilliseconds
        return try await db.write { sql in
            let lot = try await Self.insert(lot: d, clinicId: clinicId, at: at, on: sql)
            try await AuditTrail.append(AuditEvent(action: "lot.create", recordType: "lot", recordId: lot.id.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
            return lot
        }
    }

    /// Receives a lot (kind, product and lot number unique in the clinic) inside the caller's transaction.
    static func insert(lot d: LotDetails, clinicId: UUID, at: Date, on sql: any SQLDatabase) async throws -> Lot {
        if try await sql.raw("""
            SELECT 1 AS x FROM consumable_lots WHERE clinic_id = \(bind: clinicId) AND kind = \(bind: d.kind.rawValue)
            AND product = \(bind: d.product) AND lot_number = \(bind: d.lotNumber)
            """).first() != nil { throw StoreError.duplicate(field: "lotNumber") }
        let lot = Lot(id: UUID(), clinicId: clinicId, details: d, createdAt: at, version: 1)
        try await sql.raw("""
            INSERT INTO consumable_lots (id, clinic_id, kind, product, lot_number, expires_on, quantity, received_on, created_at, updated_at, version)
            VALUES (\(bind: lot.id), \(bind: clinicId), \(bind: d.kind.rawValue), \(bind: d.product), \(bind: d.lotNumber),
                    \(bind: d.expiresOn.description), \(bind: d.quantity), \(bind: d.receivedOn.description), \(bind: at), \(bind: at), 1)
            """).run()
        return lot
    }

    public func updateLotQuantity(id: UUID, clinicId: UUID, expectedVersion: Int, quantity: Int, by actor: AuditActor,
                                  now: Date = Date()) async throws -> Lot {
        let engine = db.engine
        let at = now.wholeMilliseconds
        return try await db.write { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.lotColumns) FROM consumable_lots WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            var lot = try Self.lot(row)
            guard lot.version == expectedVersion else { throw StoreError.versionConflict(current: lot.version) }
            try await sql.raw("""
                UPDATE consumable_lots SET quantity = \(bind: quantity), updated_at = \(bind: at), version = \(bind: expectedVersion + 1)
                WHERE id = \(bind: id) AND version = \(bind: expectedVersion)
                """).run()
            try await AuditTrail.append(AuditEvent(action: "lot.update", recordType: "lot", recordId: id.uuidString, details: ["fields": "quantity"]),
                                        by: actor, engine: engine, on: sql, now: now)
            lot.details.quantity = quantity
            lot.version += 1
            return lot
        }
    }

    public func lots(clinicId: UUID) async throws -> [Lot] {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.lotColumns) FROM consumable_lots WHERE clinic_id = \(bind: clinicId) ORDER BY kind, product, expires_on")
                .all().map(Self.lot)
        }
    }

    /// The clinic's charting settings; defaults when none are saved (no clinic depth maximum,
    /// Decision 4; before-photo views of §5.2; 72 h thresholds of Decision 6).
    public func settings(clinicId: UUID) async throws -> ChartingSettings {
        try await db.read { sql in try await Self.settings(clinicId: clinicId, on: sql) }
    }

    static func settings(clinicId: UUID, on sql: any SQLDatabase) async throws -> ChartingSettings {
        guard let row = try await sql.raw("SELECT * FROM charting_settings WHERE clinic_id = \(bind: clinicId)").first() else {
            return ChartingSettings()
        }
        // Version 1 is the shipped defaults (never stored); the first save stores version 2.
        let views = try row.decode(column: "before_photo_views", as: String.self).split(separator: ",").compactMap { PhotoView(rawValue: String($0)) }
        return ChartingSettings(maxDepthMm: try row.decode(column: "max_depth_mm", as: Double?.self),
                                beforePhotos: BeforePhotoRequirement(count: try row.decode(column: "before_photo_count", as: Int.self), views: views),
                                thresholds: SequelaThresholds(erythemaHours: try row.decode(column: "erythema_hours", as: Int.self),
                                                              edemaHours: try row.decode(column: "edema_hours", as: Int.self)),
                                checkInDays: (try? CheckInDays.parse(try row.decode(column: "check_in_days", as: String.self)).get()) ?? .default,
                                version: try row.decode(column: "version", as: Int.self))
    }
}
