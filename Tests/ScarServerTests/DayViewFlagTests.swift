import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Day view flags")
struct DayViewFlagTests {
    @Test func patientsWithASeriousAdverseEventAreFlaggedOnTheDayView() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let other = try #require(try await h.registerPatient(token: s.desk, given: "Quinn", family: "Quiet").json["id"] as? String)
            let day = futureDay(12)
            for (patient, time) in [(s.patientId, "10:00"), (other, "14:00")] {
                let r = try await h.request(.post, "/api/v1/patients/\(patient)/appointment-series", json: s.series(start: "\(day)T\(time)", count: 1),
                                            token: s.desk)
                #expect(r.status == .created, "\(r.body)")
            }
            let practitioner = try await h.token(.practitioner)
            let ae = try await h.request(.post, "/api/v1/patients/\(s.patientId)/adverse-events", json: [
                "term": "infection", "onsetOn": CalendarDate.utc(Date()).description, "grade": 3, "serious": true, "relatedness": "probable"],
                                         token: practitioner)
            #expect(ae.status == .created, "\(ae.body)")
            let page = try await PageSession.signIn(h, role: .frontDesk).get(h, "/schedule?date=\(day)")
            #expect(page.status == .ok)
            #expect(page.body.components(separatedBy: "Serious AE</span>").count - 1 == 1, "exactly one patient is flagged")
            let flagged = try #require(page.body.range(of: "Serious AE</span>"))
            let before = page.body[..<flagged.lowerBound]
            #expect(before.range(of: "Ivy Boxcar", options: .backwards) != nil && before.range(of: "Quinn Quiet") == nil,
                    "the flag sits on the patient with the serious event")
        }
    }
}

@Suite("Appointment filters")
struct AppointmentFilterTests {
    @Test func practitionerAndRoomFiltersCombine() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let room2 = try #require(try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room 2"], token: s.admin).json["id"] as? String)
            let day = futureDay(14)
            var second = s.series(start: "\(day)T14:00", count: 1)
            second["roomId"] = room2
            for body in [s.series(start: "\(day)T10:00", count: 1), second] {
                let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: body, token: s.desk)
                #expect(r.status == .created, "\(r.body)")
            }
            func count(_ query: String) async throws -> Int {
                let r = try await h.request(.get, "/api/v1/appointments?from=\(day)T00:00:00Z&to=\(futureDay(15))T00:00:00Z&\(query)", token: s.desk)
                #expect(r.status == .ok, "\(r.body)")
                return (r.json["appointments"] as? [Any])?.count ?? -1
            }
            #expect(try await count("practitionerId=\(s.practitionerId)") == 2)
            #expect(try await count("roomId=\(room2)") == 1)
            #expect(try await count("practitionerId=\(s.practitionerId)&roomId=\(room2)") == 1)
            #expect(try await count("practitionerId=\(UUID().uuidString.lowercased())&roomId=\(room2)") == 0,
                    "the room filter does not replace the practitioner filter")
        }
    }
}
