import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// Every id the API writes is lower case (issue 11, item 11), so clients can join ids from
/// different answers by plain string comparison.
@Suite("Ids: one canonical case")
struct IdCaseTests {
    /// Every string anywhere in a JSON value that looks like a UUID (either case), with its path.
    static func uuidLikeStrings(_ value: Any, path: String = "$") -> [(path: String, value: String)] {
        switch value {
        case let s as String:
            return s.range(of: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", options: .regularExpression) != nil
                ? [(path, s)] : []
        case let list as [Any]:
            return list.enumerated().flatMap { uuidLikeStrings($1, path: "\(path)[\($0)]") }
        case let object as [String: Any]:
            return object.keys.sorted().flatMap { uuidLikeStrings(object[$0]!, path: "\(path).\($0)") }
        default:
            return []
        }
    }

    static func expectLowerCaseIds(_ reply: Reply, _ what: String, atLeast: Int = 1) throws {
        #expect(reply.status.code < 300, "\(what): \(reply.status) \(reply.body)")
        let parsed = try JSONSerialization.jsonObject(with: Data(reply.body.utf8), options: [.fragmentsAllowed])
        let found = uuidLikeStrings(parsed)
        #expect(found.count >= atLeast, "\(what): expected ids in \(reply.body)")
        for (path, value) in found {
            #expect(value == value.lowercased(), "\(what): \(path) is \(value), not lower case")
        }
    }

    @Test func roomsDevicesAppointmentsChartsAndLotsWriteIdsInLowerCase() async throws {
        try await Harness.run { h in
            // Rooms, bookable devices and appointments.
            let s = try await ScheduleSetup.make(h)
            let room = try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room 9"], token: s.admin)
            try Self.expectLowerCaseIds(room, "POST /api/v1/schedule/rooms")
            let device = try await h.request(.post, "/api/v1/schedule/devices", json: ["name": "Pen", "modality": "microneedling"], token: s.admin)
            try Self.expectLowerCaseIds(device, "POST /api/v1/schedule/devices")
            try Self.expectLowerCaseIds(try await h.request(.get, "/api/v1/schedule/resources", token: s.desk), "GET /api/v1/schedule/resources", atLeast: 4)
            let booked = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                             json: s.series(start: "\(futureDay(12))T10:00", count: 2), token: s.desk)
            try Self.expectLowerCaseIds(booked, "POST appointment-series", atLeast: 10)
            try Self.expectLowerCaseIds(try await h.request(.get, "/api/v1/patients/\(s.patientId)/appointments", token: s.desk),
                                        "GET patient appointments", atLeast: 10)
            // Charting devices, lots and a session chart naming a device, a cartridge lot and a topical lot.
            let c = try await ClinicFixtures.readyToChart(h)
            try Self.expectLowerCaseIds(try await h.request(.get, "/api/v1/devices", token: c.practitioner), "GET /api/v1/devices")
            try Self.expectLowerCaseIds(try await h.request(.get, "/api/v1/lots", token: c.practitioner), "GET /api/v1/lots", atLeast: 3)
            // The chart is sent with the ids in upper case: the answer still writes them in lower case.
            var chart = ClinicFixtures.chart(c)
            chart["deviceId"] = c.device.uppercased()
            chart["cartridgeLotId"] = c.cartridge.uppercased()
            chart["topicals"] = [["lotId": c.serum.uppercased()]]
            let created = try await h.request(.post, "/api/v1/patients/\(c.patient)/sessions", json: ["chart": chart], token: c.practitioner)
            try Self.expectLowerCaseIds(created, "POST sessions", atLeast: 6)
            let id = try #require(created.json["id"] as? String)
            let read = try await h.request(.get, "/api/v1/sessions/\(id)", token: c.practitioner)
            try Self.expectLowerCaseIds(read, "GET session", atLeast: 6)
            #expect((read.json["chart"] as? [String: Any])?["deviceId"] as? String == c.device.lowercased())
            #expect((read.json["currentChart"] as? [String: Any])?["cartridgeLotId"] as? String == c.cartridge.lowercased())
            try Self.expectLowerCaseIds(try await h.request(.get, "/api/v1/patients/\(c.patient)/sessions", token: c.practitioner), "GET sessions")
        }
    }
}
