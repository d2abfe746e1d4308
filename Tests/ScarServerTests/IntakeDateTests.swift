import Foundation
import HTTPTypes
import ScarCore
import ScarTestSupport
import Testing

/// Issue 13, item 11: a stop date that has not come yet is refused, by the API with the field named
/// and by the intake form beside the field with what was typed, and no intake is recorded.
@Suite("intake dates")
struct IntakeDateTests {
    @Test func anIsotretinoinStopDateInTheFutureIsRefusedBesideTheField() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let tomorrow = CalendarDate.utc(Date()).adding(days: 2).description
            let api = try await h.request(.post, "/api/v1/patients/\(patient)/intakes",
                                          json: ["fitzpatrick": 2, "isotretinoin": ["status": "stopped", "stoppedOn": tomorrow]], token: token)
            #expect(api.status == .unprocessableContent && api.problemFields == ["isotretinoin.stoppedOn"], "\(api.body)")
            let page = try await PageSession.signIn(h, role: .practitioner)
            let form = try await page.post(h, "/patients/\(patient)/intake", [("fitzpatrick", "2"), ("fitzpatrickMethod", "clinician-assessed"),
                                                                              ("isotretinoinStatus", "stopped"), ("isotretinoinStoppedOn", tomorrow)])
            #expect(form.status == .unprocessableContent)
            #expect(form.body.contains("must not be in the future") && form.body.contains("value=\"\(tomorrow)\""), "the message beside the field, the date kept")
            let list = try await h.request(.get, "/api/v1/patients/\(patient)/intakes", token: token)
            #expect(!list.body.contains(tomorrow), "no intake was recorded")
            #expect(try await h.request(.post, "/api/v1/patients/\(patient)/intakes", json: [
                "fitzpatrick": 2, "isotretinoin": ["status": "stopped", "stoppedOn": CalendarDate.utc(Date()).adding(days: -200).description]],
                token: token).status == .created, "a date in the past is fine")
        }
    }
}
