import Foundation
import ScarTestSupport
import Testing

/// The harness's clock is the server's clock: a pinned instant is every request's now, so a
/// test can stand on any day without waiting or editing stored dates.
@Suite struct HarnessClockTests {
    @Test func aPinnedClockIsTheServersNowAndMovingItMovesTheClinicsToday() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let pinned = try #require(ISO8601DateFormatter().date(from: "2040-03-01T10:00:00Z"))
            h.clock.pin(at: pinned)
            // On the system clock this birth date lies years ahead and would be refused.
            let born = try await h.registerPatient(token: token, dob: "2040-03-01")
            #expect(born.status == .created, "\(born.body)")
            #expect((born.json["createdAt"] as? String)?.hasPrefix("2040-03-01T10:00:00") == true, "\(born.body)")
            let tomorrow = try await h.registerPatient(token: token, given: "Ada", dob: "2040-03-02")
            #expect(tomorrow.status == .unprocessableContent && tomorrow.problemFields == ["dateOfBirth"], "\(tomorrow.body)")
            h.clock.advance(by: 24 * 60 * 60)
            let nextDay = try await h.registerPatient(token: token, given: "Ada", dob: "2040-03-02")
            #expect(nextDay.status == .created, "\(nextDay.body)")
            #expect(h.now == pinned.addingTimeInterval(24 * 60 * 60))
        }
    }
}
