import Foundation
import ScarCore
import SQLKit

/// One device registry for charting and booking. A device is registered once, with its label
/// details (`devices`: model, maximum depth, serial number, service dates); that registration is
/// also its booking entry (`bookable_devices` row with `device_id` = the device, the same id when
/// it was registered after migration `0033`), so it is bookable and chartable at once. An entry
/// made on the booking page only (a name and a modality) stays bookable and becomes the device's
/// when a device of that name and modality is registered; until then the booking page shows that
/// the chart cannot offer it.
enum DeviceRegistry {
    /// Makes a newly registered device bookable, inside the registering transaction: a booking-only
    /// entry of the same name and modality is linked to it; otherwise a booking entry with the
    /// device's own id is added (named after the model, or "model (serial)" when the name is taken).
    static func registerForBooking(_ device: Device, clinicId: UUID, now: Date, on sql: any SQLDatabase) async throws {
        let d = device.details
        let modality = d.type.modality.rawValue
        if let row = try await sql.raw("""
            SELECT id FROM bookable_devices
            WHERE clinic_id = \(bind: clinicId) AND name = \(bind: d.model) AND modality = \(bind: modality) AND device_id IS NULL
            """).first() {
            let id = try row.decode(column: "id", as: UUID.self)
            try await sql.raw("UPDATE bookable_devices SET device_id = \(bind: device.id), version = version + 1 WHERE id = \(bind: id)").run()
            return
        }
        let taken = try await sql.raw("SELECT 1 AS x FROM bookable_devices WHERE clinic_id = \(bind: clinicId) AND name = \(bind: d.model)").first() != nil
        let name = taken ? "\(d.model) (\(d.serialNumber))" : d.model
        try await sql.raw("""
            INSERT INTO bookable_devices (id, clinic_id, name, modality, active, created_at, device_id)
            VALUES (\(bind: device.id), \(bind: clinicId), \(bind: name), \(bind: modality), \(bind: d.active), \(bind: now), \(bind: device.id))
            ON CONFLICT DO NOTHING
            """).run()
    }

    /// A change to a registered device that booking must follow: retired or back in use, or a new
    /// type (and so modality). A name given on the booking page is kept.
    static func followChange(from before: DeviceDetails, to after: DeviceDetails, deviceId: UUID, on sql: any SQLDatabase) async throws {
        guard before.active != after.active || before.type.modality != after.type.modality else { return }
        try await sql.raw("""
            UPDATE bookable_devices SET active = \(bind: after.active), modality = \(bind: after.type.modality.rawValue), version = version + 1
            WHERE device_id = \(bind: deviceId)
            """).run()
    }

    /// Migration `0033`: every device registered before has its booking entry. A booking-only entry
    /// named exactly as the model of one device of the same modality is linked to it; every other
    /// device gets an entry of its own (its id, named after the model, or "model (serial)" when
    /// that name is taken). Nothing is deleted; booking-only entries that match no device stay.
    static let backfill: [String] = [
        """
        UPDATE bookable_devices SET device_id = (
            SELECT d.id FROM devices d WHERE d.clinic_id = bookable_devices.clinic_id AND d.model = bookable_devices.name
              AND (CASE WHEN d.device_type = 'rf-microneedling' THEN 'rf-microneedling' ELSE 'microneedling' END) = bookable_devices.modality)
        WHERE device_id IS NULL AND (
            SELECT COUNT(*) FROM devices d WHERE d.clinic_id = bookable_devices.clinic_id AND d.model = bookable_devices.name
              AND (CASE WHEN d.device_type = 'rf-microneedling' THEN 'rf-microneedling' ELSE 'microneedling' END) = bookable_devices.modality) = 1
        """,
        """
        INSERT INTO bookable_devices (id, clinic_id, name, modality, active, created_at, version, device_id)
        SELECT d.id, d.clinic_id,
               CASE WHEN EXISTS (SELECT 1 FROM bookable_devices b WHERE b.clinic_id = d.clinic_id AND b.name = d.model)
                      OR (SELECT COUNT(*) FROM devices d2 WHERE d2.clinic_id = d.clinic_id AND d2.model = d.model) > 1
                    THEN d.model || ' (' || d.serial_number || ')' ELSE d.model END,
               CASE WHEN d.device_type = 'rf-microneedling' THEN 'rf-microneedling' ELSE 'microneedling' END,
               d.active, d.created_at, 1, d.id
        FROM devices d
        WHERE NOT EXISTS (SELECT 1 FROM bookable_devices b WHERE b.device_id = d.id)
          AND NOT EXISTS (SELECT 1 FROM bookable_devices b WHERE b.clinic_id = d.clinic_id AND b.name = d.model || ' (' || d.serial_number || ')')
        """,
    ]
}
