import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 13, items 6 and 4: a follow-up visit on one page. The standard views go up in one batch
/// (views assigned in the order chosen, through the same checks as one photo), and "Mark the
/// follow-up done" (`CompleteFollowUpVisit`, one transaction) needs today's scar assessment and the
/// open adverse events reviewed; then the course timeline shows the visit done.
@Suite("follow-up visit")
struct FollowUpVisitTests {
    /// A session in ten days and its 1-month follow-up, the follow-up moved to now (a follow-up due today).
    static func followUpToday(_ h: Harness, _ s: ClinicFixtures.ChartingSetup) async throws -> String {
        let room = try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Follow-up room"], token: s.admin)
        let practitioner = h.staff[.practitioner]!.id.lower
        let hours = (1...7).map { ["weekday": $0, "start": "00:00", "end": "23:45"] as [String: Any] }
        #expect(try await h.request(.put, "/api/v1/schedule/practitioners/\(practitioner)/hours", json: ["hours": hours], token: s.admin).status
                == .noContent)
        let series = try await h.request(.post, "/api/v1/patients/\(s.patient)/appointment-series", json: [
            "modality": "microneedling", "count": 1, "intervalDays": 28, "minimumIntervalDays": 21, "start": "\(futureDay(10))T10:00",
            "practitionerId": practitioner, "roomId": try #require(room.json["id"] as? String), "followUpMonths": [1]], token: s.admin)
        #expect(series.status == .created, "\(series.body)")
        let list = try #require(series.json["appointments"] as? [[String: Any]])
        let followUp = try #require(list.first { $0["kind"] as? String == "follow-up" }?["id"] as? String)
        let now = Date()
        try await h.db.write { sql in
            try await sql.raw("UPDATE appointments SET starts_at = \(bind: now), ends_at = \(bind: now.addingTimeInterval(1800)) WHERE id = \(bind: UUID(uuidString: followUp)!)").run()
        }
        return followUp
    }

    static func multipartPost(_ h: Harness, _ page: PageSession, _ path: String, _ form: Multipart) async throws -> RawReply {
        var m = form
        m.fields.append(("csrf", page.csrf))
        return try await h.send(.post, path, headers: [.cookie: page.cookieHeader, .accept: "text/html"], body: m.body, contentType: m.contentType)
    }

    @Test func completingTheFollowUpNeedsTodaysAssessmentAndTheOpenEventsReviewedThenTheTimelineShowsItDone() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let visit = try await Self.followUpToday(h, s)
            let ae = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
                "term": "pih", "onsetOn": CalendarDate.utc(Date()).adding(days: -20).description, "grade": 1, "relatedness": "probable"],
                                         token: s.practitioner)
            #expect(ae.status == .created, "\(ae.body)")
            let page = try await PageSession.signIn(h, role: .practitioner)
            let shown = try await page.get(h, "/appointments/\(visit)/follow-up")
            #expect(shown.status == .ok)
            #expect(shown.body.contains("id=\"photo-batch-form\"") && shown.body.contains("Post-inflammatory hyperpigmentation"))
            let version = try #require(PageSession.hiddenValue("version", in: shown.body.components(separatedBy: "follow-up-complete-form").last ?? ""))

            let early = try await page.post(h, "/appointments/\(visit)/follow-up/complete", [("version", version), ("adverseEventsReviewed", "yes")])
            #expect(early.status == .unprocessableContent)
            #expect(early.body.contains("record today&#39;s scar assessment first") || early.body.contains("record today's scar assessment first"))

            var assessment = Harness.workedExampleAssessment
            assessment["assessedOn"] = CalendarDate.utc(Date()).description
            #expect(try await h.request(.post, "/api/v1/patients/\(s.patient)/assessments", json: assessment, token: s.practitioner).status == .created)
            let unreviewed = try await page.post(h, "/appointments/\(visit)/follow-up/complete", [("version", version)])
            #expect(unreviewed.status == .unprocessableContent && unreviewed.body.contains("Adverse events:"))

            let done = try await page.post(h, "/appointments/\(visit)/follow-up/complete", [("version", version), ("adverseEventsReviewed", "yes")])
            #expect(done.status == .seeOther)
            let appointments = try await h.request(.get, "/api/v1/patients/\(s.patient)/appointments", token: s.practitioner)
            let stored = try #require((appointments.json["appointments"] as? [[String: Any]])?.first { $0["id"] as? String == visit })
            #expect(stored["status"] as? String == "completed", "\(stored)")
            let patientPage = try await page.get(h, "/patients/\(s.patient)")
            let timeline = try #require(patientPage.body.components(separatedBy: "id=\"course-timeline\"").last)
            #expect(timeline.contains("1-month follow-up") && timeline.contains("<span class=\"tag\">done</span>"), "the timeline shows it done")
            let audited = try await h.db.read { sql in
                try await sql.raw("SELECT details FROM audit_log WHERE action = 'appointment.completed' AND record_id = \(bind: visit.uppercased())")
                    .all().map { try $0.decode(column: "details", as: String.self) }
            }
            #expect(audited.count == 1 && audited[0].contains("adverseEventsReviewed"), "\(audited)")
            let again = try await page.post(h, "/appointments/\(visit)/follow-up/complete", [("version", version), ("adverseEventsReviewed", "yes")])
            #expect(again.status == .conflict, "a second click does not complete it twice")
        }
    }

    @Test func aPhotoBatchTakesTheStandardViewsInOrderOrNothingAndOnlyThisPatientsAssessment() async throws {
        try await withPhotoHarness { h, _ in
            let s = try await ClinicFixtures.readyToChart(h)
            let visit = try await Self.followUpToday(h, s)
            let page = try await PageSession.signIn(h, role: .practitioner)
            var bad = Multipart()
            bad.files = [("photo", "frontal.png", "image/png", ImageFixtures.png(width: 4, height: 3)),
                         ("photo", "notes.txt", "image/png", Array("not an image".utf8))]
            let refused = try await Self.multipartPost(h, page, "/patients/\(s.patient)/photos/batch", bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Oblique left (notes.txt)"), "the refused file is named with its view")
            let none = try await h.request(.get, "/api/v1/patients/\(s.patient)/photos", token: s.practitioner)
            #expect((none.json["items"] as? [[String: Any]] ?? []).isEmpty, "nothing of a refused batch is stored")

            var five = Multipart()
            five.files = (0..<5).map { ("photo", "view\($0).png", "image/png", ImageFixtures.png(width: 4 + $0, height: 3)) }
            // Linked to another patient's assessment: refused as a whole, naming the link, nothing stored.
            let other = try #require(try await h.registerPatient(token: s.practitioner, given: "Other", family: "Patient").json["id"] as? String)
            let theirs = try #require(try await h.request(.post, "/api/v1/patients/\(other)/assessments", json: Harness.workedExampleAssessment,
                                                          token: s.practitioner).json["id"] as? String)
            five.fields = [("capturedOn", CalendarDate.utc(Date()).description), ("assessmentId", theirs)]
            let misLinked = try await Self.multipartPost(h, page, "/patients/\(s.patient)/photos/batch", five)
            #expect(misLinked.status == .unprocessableContent)
            #expect(misLinked.text.contains("must be one of this patient&#39;s assessments") || misLinked.text.contains("must be one of this patient's assessments"))
            let stillNone = try await h.request(.get, "/api/v1/patients/\(s.patient)/photos", token: s.practitioner)
            #expect((stillNone.json["items"] as? [[String: Any]] ?? []).isEmpty, "no photo of the mis-linked batch is stored")

            five.fields = [("next", "/appointments/\(visit)/follow-up"), ("capturedOn", CalendarDate.utc(Date()).description)]
            let saved = try await Self.multipartPost(h, page, "/patients/\(s.patient)/photos/batch", five)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/appointments/\(visit)/follow-up#assessment", "the batch comes back to the visit")
            let list = try await h.request(.get, "/api/v1/patients/\(s.patient)/photos", token: s.practitioner)
            let photos = list.json["items"] as? [[String: Any]] ?? []
            #expect(Set(photos.compactMap { $0["view"] as? String }) == ["frontal", "oblique-left", "oblique-right", "lateral-left", "lateral-right"])
            let byWidth = Dictionary(uniqueKeysWithValues: photos.compactMap { p in (p["width"] as? Int).map { ($0, p["view"] as? String ?? "") } })
            #expect(byWidth[4] == "frontal" && byWidth[8] == "lateral-right", "views follow the order the files were chosen: \(byWidth)")
            #expect(photos.allSatisfy { $0["capturedOn"] as? String == CalendarDate.utc(Date()).description })
            let steps = try await page.get(h, "/appointments/\(visit)/follow-up")
            #expect(steps.body.contains("5 of 5 standard views today"))
        }
    }
}
