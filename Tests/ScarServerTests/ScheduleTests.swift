import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOConcurrencyHelpers
import Logging
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// A clinic set up for booking: one room, one RF device, the practitioner working every day
/// 08:00–20:00, and a patient.
struct ScheduleSetup {
    var admin: String
    var desk: String
    var practitionerId: String
    var roomId: String
    var deviceId: String
    var patientId: String

    static func make(_ h: Harness) async throws -> ScheduleSetup {
        let admin = try await h.token(.admin)
        let desk = try await h.token(.frontDesk)
        let room = try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room 1"], token: admin)
        #expect(room.status == .created)
        let device = try await h.request(.post, "/api/v1/schedule/devices", json: ["name": "RF unit", "modality": "rf-microneedling"], token: admin)
        #expect(device.status == .created)
        let practitioner = h.staff[.practitioner]!.id.uuidString.lowercased()
        let hours = (1...7).map { ["weekday": $0, "start": "08:00", "end": "20:00"] as [String: Any] }
        let set = try await h.request(.put, "/api/v1/schedule/practitioners/\(practitioner)/hours", json: ["hours": hours], token: admin)
        #expect(set.status == .noContent)
        let patient = try #require(try await h.registerPatient(token: desk).json["id"] as? String)
        return ScheduleSetup(admin: admin, desk: desk, practitionerId: practitioner, roomId: try #require(room.json["id"] as? String),
                             deviceId: try #require(device.json["id"] as? String), patientId: patient)
    }

    func series(start: String, count: Int = 3, interval: Int = 28, minimum: Int = 21, followUps: [Int] = [], rf: Bool = true) -> [String: Any] {
        var body: [String: Any] = ["modality": rf ? "rf-microneedling" : "microneedling", "count": count, "intervalDays": interval,
                                   "minimumIntervalDays": minimum, "start": start, "practitionerId": practitionerId, "roomId": roomId,
                                   "followUpMonths": followUps]
        if rf { body["deviceId"] = deviceId }
        return body
    }
}

/// Future dates keep the message rules meaningful whatever day the tests run.
func futureDay(_ days: Int) -> String { CalendarDate.utc(Date().addingTimeInterval(Double(days) * 86400)).description }

enum RawClient {
    static func post(port: Int, path: String, token: String, json data: Data) async throws -> (HTTPResponse.Status, String) {
        let body = ByteBuffer(bytes: data)
        return try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            headers[.contentType] = "application/json"
            let r = try await client.execute(TestClient.Request(path, method: .post, headers: headers, body: body))
            return (r.status, r.body.map { String(buffer: $0) } ?? "")
        }
    }
}

@Suite("Schedule: booking, conflicts, changes, feeds")
struct ScheduleTests {
    @Test func concurrentBookingsOfTheSameSlotExactlyOneSucceeds() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            var patients: [String] = []
            for i in 0..<8 {
                patients.append(try #require(try await h.registerPatient(token: s.desk, given: "P\(i)", family: "Slot").json["id"] as? String))
            }
            let port = try #require(h.client.port)
            let body = try JSONSerialization.data(withJSONObject: s.series(start: "\(futureDay(30))T10:00", count: 1))
            let results = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for p in patients {
                    group.addTask { try await RawClient.post(port: port, path: "/api/v1/patients/\(p)/appointment-series", token: s.desk, json: body) }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, String)]()) { $0.append($1) }
            }
            #expect(results.filter { $0.0 == .created }.count == 1)
            let conflicts = results.filter { $0.0 == .conflict }
            #expect(conflicts.count == 7)
            for c in conflicts {
                #expect(c.1.contains("practitioner") && c.1.contains("already booked"), "\(c.1)")
            }
        }
    }

    @Test func roomAndDeviceConflictsAreNamed() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let start = "\(futureDay(30))T10:00"
            #expect(try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: s.series(start: start, count: 1), token: s.desk).status == .created)
            // Another practitioner (the admin, given hours) in the same room at the same time: the room clashes.
            let adminId = h.staff[.admin]!.id.uuidString.lowercased()
            let hours = (1...7).map { ["weekday": $0, "start": "08:00", "end": "20:00"] as [String: Any] }
            _ = try await h.request(.put, "/api/v1/schedule/practitioners/\(adminId)/hours", json: ["hours": hours], token: s.admin)
            var body = s.series(start: start, count: 1)
            body["practitionerId"] = adminId
            let room = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: body, token: s.desk)
            #expect(room.status == .conflict)
            #expect(room.problemFields == ["roomId"])
            // A different room but the same RF device: the device clashes.
            let room2 = try #require(try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room 2"], token: s.admin).json["id"] as? String)
            body["roomId"] = room2
            let device = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: body, token: s.desk)
            #expect(device.status == .conflict)
            #expect(device.problemFields == ["deviceId"])
            #expect((device.json["detail"] as? String)?.contains("RF unit") == true)
        }
    }

    @Test func seriesWithFollowUpsIsBookedInOneGoWithItsMessages() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let _ = try await h.request(.post, "/api/v1/patients/\(s.patientId)/intakes", json: ["herpesHistory": true, "fitzpatrick": 3], token: s.desk)
            let preview = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series/preview",
                                              json: s.series(start: "\(futureDay(20))T10:00", followUps: [1, 3, 6, 12]), token: s.desk)
            #expect(preview.status == .ok)
            #expect(preview.json["placed"] as? Bool == true)
            #expect((preview.json["appointments"] as? [Any])?.count == 7)
            #expect(try await ScheduleRepository(h.db).patientAppointments(patientId: UUID(uuidString: s.patientId)!, clinicId: h.clinic.id,
                                                                            by: .commandLine()).isEmpty)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(20))T10:00", followUps: [1, 3, 6, 12]), token: s.desk)
            #expect(r.status == .created)
            let list = try #require(r.json["appointments"] as? [[String: Any]])
            #expect(list.map { $0["kind"] as? String } == ["session", "session", "session", "follow-up", "follow-up", "follow-up", "follow-up"])
            #expect(list.compactMap { $0["number"] as? Int } == [1, 2, 3, 1, 3, 6, 12])
            let first = try #require(UUID(uuidString: list[0]["id"] as! String))
            let kinds = Set(try await OutboxRepository(h.db).messages(appointmentId: first).map(\.kind))
            #expect(kinds == ["confirmation", "reminder-24h", "retinoid-pause", "antiviral-prophylaxis", "post-care-check-in"])
            let followUp = try #require(UUID(uuidString: list[3]["id"] as! String))
            #expect(Set(try await OutboxRepository(h.db).messages(appointmentId: followUp).map(\.kind)) == ["confirmation", "reminder-24h"])
        }
    }

    @Test func invalidSeriesNamesEachField() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: ["modality": "laser", "count": 0, "intervalDays": "x", "start": "tomorrow", "roomId": "nope", "extra": 1],
                                        token: s.desk)
            #expect(r.status == .unprocessableContent)
            #expect(Set(r.problemFields).isSuperset(of: ["modality", "count", "intervalDays", "start", "practitionerId", "roomId", "extra"]))
            var rf = s.series(start: "\(futureDay(5))T10:00")
            rf.removeValue(forKey: "deviceId")
            let noDevice = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: rf, token: s.desk)
            #expect(noDevice.problemFields == ["deviceId"])
        }
    }

    @Test func rescheduleMovesLaterSessionsAndReplacesTheirMessages() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(10))T10:00", followUps: [1]), token: s.desk)
            let list = try #require(r.json["appointments"] as? [[String: Any]])
            let second = list[1]["id"] as! String
            let third = UUID(uuidString: list[2]["id"] as! String)!
            let oldThird = try await OutboxRepository(h.db).messages(appointmentId: third)
            // Session 2 moves 14 days later: session 3 is now 14 days after it, below the 21-day minimum.
            let moved = try await h.request(.post, "/api/v1/appointments/\(second)/reschedule", json: ["start": "\(futureDay(52))T11:00"],
                                            token: s.desk, headers: [.ifMatch: "\"1\""])
            #expect(moved.status == .ok, "\(moved.body)")
            let items = try #require(moved.json["moved"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } .first == second)
            #expect(items.count == 3)  // session 2, session 3, the follow-up
            #expect(items.allSatisfy { $0["sequence"] as? Int == 1 })
            let after = try await OutboxRepository(h.db).messages(appointmentId: third)
            #expect(after.filter { $0.status == "withdrawn" }.count == oldThird.filter { $0.status == "pending" }.count)
            #expect(after.contains { $0.kind == "rescheduled" && $0.status == "pending" })
            // Stale version: 412; no If-Match: 428.
            #expect(try await h.request(.post, "/api/v1/appointments/\(second)/reschedule", json: ["start": "\(futureDay(53))T11:00"],
                                        token: s.desk, headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await h.request(.post, "/api/v1/appointments/\(second)/reschedule", json: ["start": "\(futureDay(53))T11:00"],
                                        token: s.desk).status == .preconditionRequired)
            // Earlier than the minimum after session 1: refused, nothing moves.
            let before = try await h.request(.get, "/api/v1/patients/\(s.patientId)/appointments", token: s.desk).body
            let early = try await h.request(.post, "/api/v1/appointments/\(second)/reschedule", json: ["start": "\(futureDay(12))T11:00"],
                                            token: s.desk, headers: [.ifMatch: "\"2\""])
            #expect(early.status == .conflict)
            #expect(try await h.request(.get, "/api/v1/patients/\(s.patientId)/appointments", token: s.desk).body == before,
                    "every appointment keeps its time and version")
        }
    }

    @Test func cancelWithdrawsMessagesAndNoShowAndCheckIn() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(10))T10:00", count: 2), token: s.desk)
            let list = try #require(r.json["appointments"] as? [[String: Any]])
            let first = list[0]["id"] as! String
            let cancel = try await h.request(.post, "/api/v1/appointments/\(first)/cancel", token: s.desk, headers: [.ifMatch: "\"1\""])
            #expect(cancel.status == .ok)
            #expect(cancel.json["status"] as? String == "cancelled")
            let messages = try await OutboxRepository(h.db).messages(appointmentId: UUID(uuidString: first)!)
            #expect(!messages.contains { $0.status == "pending" && $0.kind != "cancelled" })
            #expect(messages.contains { $0.kind == "cancelled" && $0.status == "pending" })
            // The freed slot can be booked again.
            #expect(try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(10))T10:00", count: 1), token: s.desk).status == .created)
            let second = list[1]["id"] as! String
            let checkIn = try await h.request(.post, "/api/v1/appointments/\(second)/check-in", token: s.desk, headers: [.ifMatch: "\"1\""])
            #expect(checkIn.status == .ok)
            #expect(checkIn.json["status"] as? String == "checked-in")
            #expect(try await h.request(.post, "/api/v1/appointments/\(second)/no-show", token: s.desk, headers: [.ifMatch: "\"2\""]).status == .conflict)
        }
    }

    @Test func checkInIsRefusedWhileScreeningDefers() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(3))T10:00", count: 1), token: s.desk)
            let id = try #require((r.json["appointments"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await h.request(.post, "/api/v1/patients/\(s.patientId)/intakes", json: ["activeAcneInArea": true, "fitzpatrick": 3], token: s.desk)
            let refused = try await h.request(.post, "/api/v1/appointments/\(id)/check-in", token: s.desk, headers: [.ifMatch: "\"1\""])
            #expect(refused.status == .conflict)
            #expect(refused.isProblem)
            let detail = refused.json["detail"] as? String ?? ""
            #expect(detail.contains("defer"))
            #expect(detail.contains("source:"))
            #expect(try await ScheduleRepository(h.db).appointment(id: UUID(uuidString: id)!, clinicId: h.clinic.id, by: .commandLine()).status == .booked)

            // The page keeps the desk on the appointment, with the reason, not on an error page.
            let desk = try await PageSession.signIn(h, role: .frontDesk)
            let page = try await desk.post(h, "/appointments/\(id)/status", [("version", "1"), ("action", "check-in")])
            #expect(page.status == .conflict)
            #expect(page.body.contains("id=\"check-in\""), "the appointment page with its actions, not an error page")
            #expect(page.body.contains("is defer"), "the reason beside it")
        }
    }

    /// Issue 11, item 12: the 201 answer of booking is what a later GET returns for the same
    /// appointments, practitioner and room names included.
    @Test func bookingAnswersWhatALaterReadReturns() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(15))T10:00", count: 2, followUps: [1]), token: s.desk)
            #expect(r.status == .created, "\(r.body)")
            let booked = try #require(r.json["appointments"] as? [[String: Any]])
            #expect(booked.count == 3)
            for a in booked {
                #expect(a["practitionerName"] as? String == h.staff[.practitioner]!.displayName)
                #expect(a["roomName"] as? String == "Room 1")
            }
            #expect(booked.compactMap { $0["deviceName"] as? String } == ["RF unit", "RF unit"])
            let read = try await h.request(.get, "/api/v1/patients/\(s.patientId)/appointments", token: s.desk)
            let listed = try #require(read.json["appointments"] as? [[String: Any]])
            #expect(NSArray(array: booked).isEqual(to: listed), "201: \(r.body)\nGET: \(read.body)")
        }
    }

    @Test func patientFeedIsRFC5545AndRevocable() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(10))T10:00", count: 2), token: s.desk)
            let list = try #require(r.json["appointments"] as? [[String: Any]])
            let repo = ScheduleRepository(h.db)
            let token = try await repo.createFeedToken(patientId: UUID(uuidString: s.patientId)!, clinicId: h.clinic.id, by: .commandLine(clinicId: h.clinic.id))
            #expect(token.count == 43)
            _ = try await h.request(.post, "/api/v1/appointments/\(list[0]["id"] as! String)/cancel", token: s.desk, headers: [.ifMatch: "\"1\""])
            let feed = try await h.request(.get, "/ical/patient/\(token).ics")
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(feed.body.contains("\r\nUID:\(list[0]["id"] as! String)@scartrack\r\n"))
            #expect(feed.body.contains("STATUS:CANCELLED\r\nSUMMARY:Appointment at Harbour Skin Clinic"))
            #expect(feed.body.contains("SEQUENCE:1\r\n"))
            #expect(!feed.body.lowercased().contains("microneedling"))
            #expect(!feed.body.contains("Boxcar"))
            #expect(try await h.request(.get, "/ical/patient/\(token.dropLast())x.ics").status == .notFound)
            #expect(try await repo.revokeFeedTokens(patientId: UUID(uuidString: s.patientId)!, clinicId: h.clinic.id, by: .commandLine()) == 1)
            #expect(try await h.request(.get, "/ical/patient/\(token).ics").status == .notFound)
            let practitioner = try await h.request(.get, "/api/v1/schedule/practitioners/\(s.practitionerId)/calendar.ics", token: s.desk)
            #expect(practitioner.status == .ok)
            #expect(practitioner.body.contains("Session 2: Ivy Boxcar"))
        }
    }

    /// Issue 11, item 14: the calendar-feed link through the API, with the page form's roles
    /// and audit entries: issued (URL shown once), used, revoked (then 404).
    @Test func calendarFeedLinkIsIssuedUsedAndRevokedThroughTheAPI() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(10))T10:00", count: 1), token: s.desk)
            let appointment = try #require((r.json["appointments"] as? [[String: Any]])?.first?["id"] as? String)
            let issued = try await h.request(.post, "/api/v1/patients/\(s.patientId)/calendar-feed", token: s.desk)
            #expect(issued.status == .created, "\(issued.body)")
            let path = try #require(issued.json["path"] as? String)
            #expect(path.hasPrefix("/ical/patient/") && path.hasSuffix(".ics") && path.count == "/ical/patient/".count + 43 + 4)
            #expect((issued.json["url"] as? String)?.hasSuffix(path) == true)
            let feed = try await h.request(.get, path)
            #expect(feed.status == .ok)
            #expect(feed.body.contains("\r\nUID:\(appointment)@scartrack\r\n"))
            // The same roles as the page form; another clinic's admin finds no such patient.
            let pages = try #require(h.routes.routes.first { $0.method == .post && $0.path == "/patients/:id/calendar-link" })
            let revokePage = try #require(h.routes.routes.first { $0.method == .post && $0.path == "/patients/:id/calendar-link/revoke" })
            for (method, page) in [(HTTPRequest.Method.post, pages), (.delete, revokePage)] {
                let api = try #require(h.routes.routes.first { $0.method == method && $0.path == "/api/v1/patients/:id/calendar-feed" })
                #expect(api.policy == page.policy)
            }
            #expect(try await h.request(.post, "/api/v1/patients/\(s.patientId)/calendar-feed", token: try await h.token(.researcher)).status == .forbidden)
            let outsider = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.post, "/api/v1/patients/\(s.patientId)/calendar-feed", token: outsider).status == .notFound)
            #expect(try await h.request(.delete, "/api/v1/patients/\(s.patientId)/calendar-feed", token: outsider).status == .notFound)
            #expect(try await h.request(.get, path).status == .ok)
            // Revoked: the feed is gone.
            let revoked = try await h.request(.delete, "/api/v1/patients/\(s.patientId)/calendar-feed", token: s.desk)
            #expect(revoked.status == .noContent, "\(revoked.body)")
            #expect(try await h.request(.get, path).status == .notFound)
            #expect(try await ScheduleRepository(h.db).activeFeedTokens(patientId: UUID(uuidString: s.patientId)!, clinicId: h.clinic.id) == 0)
            // Audited as the page action is, by the member of staff who did it.
            let entries = try await AuditRepository(h.db).entries(patientId: UUID(uuidString: s.patientId)!, limit: 200)
            let created = entries.filter { $0.action == "ical.token.create" }
            let revokes = entries.filter { $0.action == "ical.token.revoke" }
            #expect(created.count == 1 && created.first?.actorId == h.staff[.frontDesk]!.id)
            #expect(revokes.count == 1 && revokes.first?.actorId == h.staff[.frontDesk]!.id)
            #expect(revokes.first?.details.contains("\"revoked\":\"1\"") == true, "\(revokes.first?.details ?? "")")
        }
    }

    @Test func anotherClinicSeesNothing() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(10))T10:00", count: 1), token: s.desk)
            let id = try #require((r.json["appointments"] as? [[String: Any]])?.first?["id"] as? String)
            let other = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.post, "/api/v1/appointments/\(id)/cancel", token: other, headers: [.ifMatch: "\"1\""]).status == .notFound)
            #expect(try await h.request(.get, "/api/v1/patients/\(s.patientId)/appointments", token: other).status == .notFound)
        }
    }

    @Test func pagesShowTheDayWeekBookingAndCourse() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let page = try await PageSession.signIn(h, role: .frontDesk)
            let day = futureDay(14)
            let form: [(String, String)] = [("modality", "rf-microneedling"), ("count", "2"), ("intervalDays", "28"), ("minimumIntervalDays", "21"),
                                            ("windowDays", "7"), ("date", day), ("time", "10:00"), ("practitionerId", s.practitionerId),
                                            ("roomId", s.roomId), ("deviceId", s.deviceId), ("followUpMonths", "1, 3")]
            let preview = try await page.post(h, "/patients/\(s.patientId)/book/preview", form)
            #expect(preview.status == .ok)
            #expect(preview.body.contains("id=\"proposal-list\""))
            #expect(preview.body.contains("1-month follow-up"))
            let items = preview.body.components(separatedBy: "name=\"item\" value=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(items.count == 4)
            let booked = try await page.post(h, "/patients/\(s.patientId)/book", form + items.map { ("item", $0) })
            #expect(booked.status == .seeOther)
            let patient = try await page.get(h, "/patients/\(s.patientId)")
            #expect(patient.body.contains("id=\"course-timeline\""))
            #expect(patient.body.contains("0 of 2 sessions done"))
            let dayView = try await page.get(h, "/schedule?date=\(day)")
            #expect(dayView.status == .ok && dayView.body.contains("Ivy Boxcar"))
            #expect(try await page.get(h, "/schedule?date=\(day)&by=room").body.contains("Room 1"))
            #expect(try await page.get(h, "/schedule/week?date=\(day)").body.contains("Ivy Boxcar"))
            // Booking the same slots again conflicts and books nothing.
            let again = try await page.post(h, "/patients/\(s.patientId)/book", form + items.map { ("item", $0) })
            #expect(again.status == .conflict)
            #expect(again.body.contains("Nothing was booked"))
            let admin = try await PageSession.signIn(h, role: .admin)
            #expect(try await admin.get(h, "/schedule/admin").body.contains("RF unit"))
            #expect(try await admin.get(h, "/schedule/outbox").body.contains("Appointment booked"))
            #expect(try await page.get(h, "/schedule/admin").status == .forbidden)
        }
    }
}

/// Records what it sent; slow on purpose, so two dispatchers overlap.
final class RecordingSender: MessageSender {
    let sent = NIOLockedValueBox<[String]>([])
    var name: String { "recording" }
    func send(_ message: OutboxMessage) async throws {
        try await Task.sleep(for: .milliseconds(5))
        sent.withLockedValue { $0.append(message.idempotencyKey) }
    }
}

@Suite("Outbox sending")
struct OutboxDispatchTests {
    @Test func twoConcurrentSendersNeverSendAMessageTwice() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            for i in 0..<3 {
                let p = try #require(try await h.registerPatient(token: s.desk, given: "Out\(i)").json["id"] as? String)
                var body = s.series(start: "\(futureDay(10 + i))T10:00", count: 2, followUps: [1])
                body["deviceId"] = s.deviceId
                #expect(try await h.request(.post, "/api/v1/patients/\(p)/appointment-series", json: body, token: s.desk).status == .created)
            }
            let sender = RecordingSender()
            let later = Date().addingTimeInterval(400 * 86400)  // everything is due
            let a = OutboxDispatcher(database: h.db, sender: sender, logger: TestDatabase.logger, worker: "a")
            let b = OutboxDispatcher(database: h.db, sender: sender, logger: TestDatabase.logger, worker: "b")
            async let ra = a.runOnce(now: later)
            async let rb = b.runOnce(now: later)
            let (x, y) = try await (ra, rb)
            let keys = sender.sent.withLockedValue { $0 }
            #expect(keys.count == Set(keys).count)
            #expect(x.sent + y.sent == keys.count)
            #expect(keys.count > 20)
            // A second pass finds nothing left to send.
            #expect(try await a.runOnce(now: later).sent == 0)
        }
    }

    /// The lease runs on the database's clock: a server whose clock is an hour ahead cannot take a
    /// message another server is still sending, and an expired lease can be taken over.
    @Test func aServerWithADriftingClockCannotStealALeasedMessage() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            _ = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: s.series(start: "\(futureDay(10))T10:00", count: 1),
                                    token: s.desk)
            let outbox = OutboxRepository(h.db)
            let now = Date()
            let held = try await outbox.claim(worker: "a", now: now, lease: 300)
            #expect(!held.isEmpty)
            let ahead = try await outbox.claim(worker: "drifting", now: now.addingTimeInterval(3600), lease: 300)
            #expect(ahead.filter { m in held.contains { $0.id == m.id } }.isEmpty, "the lease still holds by the database's clock")
            let short = try await outbox.claim(worker: "b", now: now, lease: 1)
            #expect(short.filter { m in held.contains { $0.id == m.id } }.isEmpty)
            // A lease that ran out on the database's clock is taken over.
            try await h.db.write { sql in try await sql.raw("UPDATE message_outbox SET lease_until = \(bind: Date(timeIntervalSince1970: 0)) WHERE claimed_by = 'a'").run() }
            let taken = try await outbox.claim(worker: "c", now: now, lease: 300)
            #expect(Set(taken.map(\.id)).isSuperset(of: held.map(\.id)))
            #expect(try await outbox.markSent(id: held[0].id, worker: "a", now: now) == false, "a worker whose lease ran out loses the message")
        }
    }

    @Test func failedSendsAreRetriedThenMarkedFailed() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            _ = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: s.series(start: "\(futureDay(10))T10:00", count: 1), token: s.desk)
            var d = OutboxDispatcher(database: h.db, sender: SMTPMessageSender(host: "localhost", port: 25, from: "x@y"), logger: TestDatabase.logger, worker: "w")
            d.maxAttempts = 2
            let now = Date()
            let first = try await d.runOnce(now: now)
            #expect(first.failed >= 1 && first.sent == 0)  // the confirmation (and pre-care reminders) are due now
            _ = try await d.runOnce(now: now.addingTimeInterval(3600))
            let messages = try await OutboxRepository(h.db).list(clinicId: h.clinic.id, by: .commandLine())
            let confirmation = try #require(messages.first { $0.kind == "confirmation" })
            #expect(confirmation.status == "failed")
            #expect(confirmation.lastError?.isEmpty == false)
        }
    }
}
