import Foundation
import HTTPTypes
import ScarCore
@testable import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 13, item 13: one device registry serves booking and charting. A device registered once (with
/// its label details) is bookable and chartable; a booking-only entry becomes the registered device
/// of the same name and modality; devices registered before the registry became one are migrated
/// (migration 0033) without losing a booking entry or an appointment.
@Suite("one device registry")
struct DeviceRegistryTests {
    static func register(_ h: Harness, admin: String, model: String, serial: String, type: String = "rf-microneedling") async throws -> String {
        let r = try await h.request(.post, "/api/v1/devices", json: [
            "model": model, "manufacturer": "Acme", "type": type, "maxDepthMm": 2.0, "needleGeometry": "24-pin insulated",
            "needleCount": 24, "serialNumber": serial], token: admin)
        #expect(r.status == .created, "\(r.body)")
        return try #require(r.json["id"] as? String)
    }

    static func bookable(_ h: Harness, token: String) async throws -> [[String: Any]] {
        try #require(try await h.request(.get, "/api/v1/schedule/resources", token: token).json["devices"] as? [[String: Any]])
    }

    @Test func aDeviceRegisteredOnceIsBookableAndChartableAndRetiringItEndsItsBookings() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let id = try await Self.register(h, admin: s.admin, model: "Pulse RF", serial: "PRF-1")
            let entry = try #require(try await Self.bookable(h, token: s.desk).first { $0["id"] as? String == id }, "bookable under the same id")
            #expect(entry["deviceId"] as? String == id && entry["name"] as? String == "Pulse RF" && entry["modality"] as? String == "rf-microneedling")
            let list = try await h.request(.get, "/api/v1/devices", token: s.admin)
            let charted = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]])
            #expect(charted.contains { $0["id"] as? String == id }, "the chart offers it")
            var body = s.series(start: "\(futureDay(30))T10:00", count: 1)
            body["deviceId"] = id
            let booked = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: body, token: s.desk)
            #expect(booked.status == .created, "\(booked.body)")

            let retired = try await h.request(.patch, "/api/v1/devices/\(id)", json: ["active": false], token: s.admin,
                                              headers: [.ifMatch: "\"1\""], contentType: "application/merge-patch+json")
            #expect(retired.status == .ok, "\(retired.body)")
            #expect(try await Self.bookable(h, token: s.desk).first { $0["id"] as? String == id }?["active"] as? Bool == false)
            body["start"] = "\(futureDay(40))T10:00"
            let refused = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: body, token: s.desk)
            #expect(refused.status.code >= 400 && refused.status.code < 500 && refused.problemFields == ["deviceId"], "\(refused.body)")
        }
    }

    @Test func aBookingOnlyEntryBecomesTheRegisteredDeviceOfTheSameNameAndModality() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)   // books "RF unit" for booking only
            #expect(try await Self.bookable(h, token: s.desk).first { $0["id"] as? String == s.deviceId }?["deviceId"] is NSNull)
            let admin = try await PageSession.signIn(h, role: .admin)
            #expect(try await admin.get(h, "/schedule/admin").body.contains("id=\"device-booking-only-\(s.deviceId)\""))
            let id = try await Self.register(h, admin: s.admin, model: "RF unit", serial: "RF-77")
            let entries = try await Self.bookable(h, token: s.desk)
            #expect(entries.count == 1, "registered once: one booking entry, \(entries)")
            #expect(entries.first?["id"] as? String == s.deviceId && entries.first?["deviceId"] as? String == id, "the booking entry keeps its id")
            #expect(try await admin.get(h, "/schedule/admin").body.contains("id=\"device-chartable-\(s.deviceId)\""))
            // Another device of the same model gets an entry of its own, named with its serial number.
            let second = try await Self.register(h, admin: s.admin, model: "RF unit", serial: "RF-78")
            #expect(try await Self.bookable(h, token: s.desk).contains { $0["id"] as? String == second && $0["name"] as? String == "RF unit (RF-78)" })
        }
    }

    @Test func theFirstRunSetUpsDeviceIsBookableAtOnce() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            #expect(try await admin.post(h, "/admin/clinic/set-up", ClinicSetUpTests.fields).status == .seeOther)
            let entries = try await Self.bookable(h, token: try await h.token(.frontDesk))
            #expect(entries.count == 1 && entries.first?["name"] as? String == "Demo Pen 2" && entries.first?["deviceId"] as? String == entries.first?["id"] as? String,
                    "\(entries)")
        }
    }

    /// What migration 0033 does to a clinic whose lists were kept apart: devices registered for charting
    /// only get a booking entry, a booking-only entry named as one device's model is linked to it (its
    /// appointments stay), and an entry that matches no device stays as it was. Running it again changes nothing.
    @Test func devicesRegisteredBeforeTheRegistryBecameOneAreMigratedWithoutLoss() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            var body = s.series(start: "\(futureDay(31))T10:00", count: 1)
            body["deviceId"] = s.deviceId
            let booked = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: body, token: s.desk)
            #expect(booked.status == .created, "\(booked.body)")
            let clinic = h.clinic.id
            let (linked, own, twinA, twinB) = (UUID(), UUID(), UUID(), UUID())
            try await h.db.write { sql in
                // As before the registry: charting devices without booking entries, and one booking-only entry.
                for (id, model, serial, type) in [(linked, "RF unit", "OLD-1", "rf-microneedling"), (own, "Pen Two", "OLD-2", "motorized-pen"),
                                                  (twinA, "Twin", "T-1", "roller"), (twinB, "Twin", "T-2", "roller")] {
                    try await sql.raw("""
                        INSERT INTO devices (id, clinic_id, model, manufacturer, device_type, max_depth_mm, needle_geometry, needle_count,
                                             serial_number, active, created_at, updated_at, version)
                        VALUES (\(bind: id), \(bind: clinic), \(bind: model), 'Acme', \(bind: type), 1.5, 'round', 12, \(bind: serial), \(bind: true),
                                \(bind: h.now), \(bind: h.now), 1)
                        """).run()
                }
                try await sql.raw("""
                    INSERT INTO bookable_devices (id, clinic_id, name, modality, active, created_at) VALUES
                    (\(bind: UUID()), \(bind: clinic), 'Old roller', 'microneedling', \(bind: true), \(bind: h.now))
                    """).run()
            }
            for _ in 0..<2 {
                try await h.db.write { sql in for statement in DeviceRegistry.backfill { try await sql.raw(SQLQueryString(statement)).run() } }
            }
            let entries = try await Self.bookable(h, token: s.desk)
            func entry(_ name: String) -> [String: Any]? { entries.first { $0["name"] as? String == name } }
            #expect(entry("RF unit")?["id"] as? String == s.deviceId && entry("RF unit")?["deviceId"] as? String == linked.lower,
                    "the booking entry named as the device's model is linked, keeping its id")
            #expect(entry("Pen Two")?["id"] as? String == own.lower && entry("Pen Two")?["modality"] as? String == "microneedling")
            #expect(entry("Twin (T-1)")?["deviceId"] as? String == twinA.lower && entry("Twin (T-2)")?["deviceId"] as? String == twinB.lower)
            #expect(entry("Old roller")?["deviceId"] is NSNull, "a booking-only entry that matches no device stays")
            #expect(entries.count == 5, "\(entries.map { $0["name"] ?? "" })")
            let appointments = try await h.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM appointments WHERE device_id = \(bind: UUID(uuidString: s.deviceId)!)").first()!
                    .decode(column: "n", as: Int.self)
            }
            #expect(appointments == 1, "the appointment still names its device")
        }
    }
}
