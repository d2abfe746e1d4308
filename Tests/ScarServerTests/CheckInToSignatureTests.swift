import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 13, item 3: a repeat session in few clicks. Checking in from the day opens the new chart;
/// the chart page takes the before-photos at once and comes back; today's questions sit in the chart
/// form; "Save and check" saves and runs the checklist; "Sign" saves what is on the screen with the
/// signature, in its one transaction, and still refuses while a question is not asked.
@Suite("visit flow: check-in to signature")
struct CheckInToSignatureTests {
    static let allNo = DayAnswers.fields.map { ("day.\($0)", "no") }

    /// The chart form's fields as the page posts them: one treated zone.
    static func chartFields(_ s: ClinicFixtures.ChartingSetup, notes: String) -> [(String, String)] {
        [("performedOn", CalendarDate.utc(Date()).description), ("deviceId", s.device), ("cartridgeLotId", s.cartridge),
         ("z.left-cheek.treated", "yes"), ("z.left-cheek.depthMm", "1.50"), ("z.left-cheek.passes", "3"),
         ("z.left-cheek.endpoint", "pinpoint-bleeding"), ("durationMinutes", "30"), ("notes", notes)]
    }

    @Test func checkingInFromTheDayOpensTheNewChartForAClinicianAndTheAppointmentForTheDesk() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(3))T10:00", count: 2, rf: false), token: s.desk)
            let ids = try #require((r.json["appointments"] as? [[String: Any]])?.compactMap { $0["id"] as? String })
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let charted = try await practitioner.post(h, "/appointments/\(ids[0])/status", [("version", "1"), ("action", "check-in"), ("next", "chart")])
            #expect(charted.status == .seeOther)
            #expect(charted.headers[.location] == "/patients/\(s.patientId)/sessions/new?appointment=\(ids[0])")
            let desk = try await PageSession.signIn(h, role: .frontDesk)
            let front = try await desk.post(h, "/appointments/\(ids[1])/status", [("version", "1"), ("action", "check-in"), ("next", "chart")])
            #expect(front.status == .seeOther)
            #expect(front.headers[.location] == "/appointments/\(ids[1])", "the front desk cannot chart: back to the appointment")
            let status = try await ScheduleRepository(h.db).appointment(id: UUID(uuidString: ids[1])!, clinicId: h.clinic.id, by: .commandLine()).status
            #expect(status == .checkedIn)
        }
    }

    @Test func saveAndCheckRunsTheChecklistAndSigningSavesTheScreenInItsTransactionButNeverSkipsAQuestion() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let form = try await page.get(h, "/patients/\(s.patient)/sessions/new")
            let chartForm = try #require(form.body.components(separatedBy: "id=\"session-form\"").last)
            #expect(chartForm.contains("id=\"day-questions\""), "today's questions are part of the chart form")
            #expect(form.body.contains("id=\"photo-batch-form\"") && form.body.contains("/patients/\(s.patient)/sessions/new"),
                    "the before-photos come back to this chart")

            let started = try await page.post(h, "/patients/\(s.patient)/sessions", Self.chartFields(s, notes: "First") + Self.allNo)
            #expect(started.status == .temporaryRedirect, "the browser posts the same answers on to the checklist")
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/sessions/") && location.hasSuffix("/checklist#checklist"))
            let id = String(location.dropFirst("/sessions/".count).prefix(36))
            let checked = try await page.post(h, "/sessions/\(id)/checklist", Self.chartFields(s, notes: "First") + Self.allNo)
            #expect(checked.status == .ok)
            #expect(checked.body.contains("id=\"checklist-passed\""), "all six answered no: the checklist passes")

            // One question not asked: signing is refused and nothing is saved, whatever the chart says;
            // the form comes back with the chart as it was typed.
            var oneNotAsked = Self.allNo
            oneNotAsked[5] = ("day.newMedications", "not-asked")
            let refused = try await page.post(h, "/sessions/\(id)/sign", [("version", "1")] + Self.chartFields(s, notes: "Typed, not yet saved") + oneNotAsked)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("not asked"))
            #expect(refused.body.contains("Typed, not yet saved"), "the typed chart is kept on the refused form")
            let draft = try await h.request(.get, "/api/v1/sessions/\(id)", token: s.practitioner)
            #expect(draft.json["status"] as? String == "draft")
            #expect(draft.headers[.eTag] == "\"1\"", "a refused signature saves nothing")
            #expect((draft.json["chart"] as? [String: Any])?["notes"] as? String == "First")

            // The notes changed on the screen: they are saved with the signature, in one transaction and one entry.
            let signed = try await page.post(h, "/sessions/\(id)/sign", [("version", "1")] + Self.chartFields(s, notes: "Changed before signing") + Self.allNo)
            #expect(signed.status == .seeOther, "\(signed.body.prefix(400))")
            let done = try await h.request(.get, "/api/v1/sessions/\(id)", token: s.practitioner)
            #expect(done.json["status"] as? String == "signed")
            #expect((done.json["chart"] as? [String: Any])?["notes"] as? String == "Changed before signing")
            let audited = try await h.db.read { sql in
                try await sql.raw("SELECT action, details FROM audit_log WHERE record_id = \(bind: id.uppercased()) OR record_id = \(bind: id) ORDER BY seq")
                    .all().map { (try $0.decode(column: "action", as: String.self), try $0.decode(column: "details", as: String.self)) }
                    .filter { !$0.0.hasSuffix(".read") }
            }
            // Starting the draft is one entry; the signature (with the edited notes) is the only other one.
            #expect(audited.map(\.0) == ["session.create", "session.sign"], "\(audited.map(\.0))")
            #expect(audited.last?.1.contains("notes") == true, "the signature's entry names the fields saved with it: \(audited.last?.1 ?? "")")
        }
    }

    @Test func theBeforePhotosComeBackToTheChartTheyWereTakenFrom() async throws {
        try await withPhotoHarness { h, _ in
            let s = try await ClinicFixtures.readyToChart(h)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let appointment = UUID().lower
            var five = Multipart()
            five.files = (0..<5).map { ("photo", "view\($0).png", "image/png", ImageFixtures.png(width: 4 + $0, height: 3)) }
            five.fields = [("next", "/patients/\(s.patient)/sessions/new?appointment=\(appointment)"), ("capturedOn", CalendarDate.utc(Date()).description)]
            let saved = try await FollowUpVisitTests.multipartPost(h, page, "/patients/\(s.patient)/photos/batch", five)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/patients/\(s.patient)/sessions/new?appointment=\(appointment)#day-questions")
            var elsewhere = Multipart()
            elsewhere.files = [("photo", "view.png", "image/png", ImageFixtures.png(width: 4, height: 3))]
            elsewhere.fields = [("next", "https://example.com/sessions/new")]
            let outside = try await FollowUpVisitTests.multipartPost(h, page, "/patients/\(s.patient)/photos/batch", elsewhere)
            #expect(outside.headers[.location] == "/patients/\(s.patient)#photos", "an address not ours is never followed")
        }
    }

    @Test func anOpenAdverseEventIsResolvedFromTheFollowUpVisitInOneClick() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let visit = try await FollowUpVisitTests.followUpToday(h, s)
            let ae = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
                "term": "pih", "onsetOn": CalendarDate.utc(Date()).adding(days: -20).description, "grade": 1, "relatedness": "probable"],
                                         token: s.practitioner)
            let id = try #require(ae.json["id"] as? String)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let shown = try await page.get(h, "/appointments/\(visit)/follow-up")
            #expect(shown.body.contains("id=\"ae-quick-\(id)\"") && shown.body.contains("id=\"ae-resolve-\(id)\""))
            let today = CalendarDate.utc(Date()).description
            let resolved = try await page.post(h, "/adverse-events/\(id)", [("version", "1"), ("part", "resolve"), ("resolvedOn", today),
                                                                           ("outcome", "resolved"), ("next", "/appointments/\(visit)/follow-up")])
            #expect(resolved.status == .seeOther)
            #expect(resolved.headers[.location] == "/appointments/\(visit)/follow-up#adverse-events-step")
            let list = try await h.request(.get, "/api/v1/patients/\(s.patient)/adverse-events", token: s.practitioner)
            let after = ((try? JSONSerialization.jsonObject(with: Data(list.body.utf8))) as? [[String: Any]] ?? []).first { $0["id"] as? String == id } ?? [:]
            #expect(after["outcome"] as? String == "resolved" && after["resolvedOn"] as? String == today, "\(list.body)")
            #expect(try await page.get(h, "/appointments/\(visit)/follow-up").body.contains("id=\"no-open-adverse-events\""))
        }
    }
}
