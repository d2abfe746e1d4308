import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Issue 13, admin set-up in fewer clicks: working hours given once for every day (a day with its own
/// hours keeps them), and the devices-and-lots forms open when there is nothing yet or right after a
/// lot was received.
@Suite("set-up shortcuts")
struct SetUpShortcutsTests {
    @Test func everyDayHoursFillEachDayLeftEmptyAndADaysOwnHoursWin() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let admin = try await PageSession.signIn(h, role: .admin)
            let page = try await admin.get(h, "/schedule/admin")
            let fingerprint = try #require(PageSession.hiddenValue("hoursVersion", in: page.body))
            let saved = try await admin.post(h, "/schedule/admin/hours", [("staffId", s.practitionerId), ("hoursVersion", fingerprint),
                                                                          ("startAll", "06:00"), ("endAll", "21:00"), ("start6", "09:00"), ("end6", "13:00")])
            #expect(saved.status == .seeOther)
            let shown = try await admin.get(h, "/schedule/admin").body
            for day in [1, 2, 3, 4, 5, 7] {
                #expect(shown.contains("id=\"start\(day)-\(s.practitionerId)\" name=\"start\(day)\" type=\"time\" value=\"06:00\""), "day \(day) starts at 06:00")
                #expect(shown.contains("id=\"end\(day)-\(s.practitionerId)\" name=\"end\(day)\" type=\"time\" value=\"21:00\""), "day \(day) ends at 21:00")
            }
            #expect(shown.contains("id=\"start6-\(s.practitionerId)\" name=\"start6\" type=\"time\" value=\"09:00\""), "Saturday keeps its own hours")
            let bad = try await admin.post(h, "/schedule/admin/hours", [("staffId", s.practitionerId), ("hoursVersion", fingerprint),
                                                                        ("startAll", "21:00"), ("endAll", "06:00")])
            #expect(bad.status == .unprocessableContent, "an every-day end before its start is refused like any day's")
        }
    }

    @Test func theDeviceAndLotFormsOpenWhenEmptyAndAfterALotIsReceived() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let empty = try await admin.get(h, "/devices").body
            #expect(empty.components(separatedBy: "<details class=\"edit\" open>").count == 3, "both forms open on an empty registry")
            let received = try await admin.post(h, "/lots", [("kind", "cartridge"), ("product", "36-pin cartridge"), ("lotNumber", "C-1"),
                                                             ("expiresOn", "2099-01-01"), ("quantity", "10"),
                                                             ("receivedOn", CalendarDate.utc(Date()).description)])
            #expect(received.status == .seeOther)
            #expect(received.headers[.location] == "/devices?received=1#lots")
            #expect(try await admin.get(h, "/devices?received=1").body.contains("<details class=\"edit\" open>\n    <summary>Receive a lot</summary>"))
            #expect(!(try await admin.get(h, "/devices").body.contains("<details class=\"edit\" open>\n    <summary>Receive a lot</summary>")),
                    "with lots on file and nothing just received, the lot form stays folded")
        }
    }
}
