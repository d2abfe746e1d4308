import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// Issue 14, the follow-ups, over real HTTP on either engine: the outcome questions at a follow-up
/// (recorded as entered by the patient and shown to the clinic), the patient's photos side by side
/// (only when the clinic allows, only their own), and a request to change or cancel an
/// appointment that waits on the day home until front desk answers it.
@Suite("Portal: follow-up questions, photos side by side, change requests")
struct PortalFollowUpTests {
    static let items: [[String: String]] = [["id": "scar-1", "text": "Wording of item 1 from the clinic's licensed copy"],
                                            ["id": "scar-2", "text": "Wording of item 2 from the clinic's licensed copy"]]

    static func settings(_ h: Harness, token: String, photos: Bool = false, notice: Int = 48, items: [[String: String]] = items) async throws -> Reply {
        try await h.request(.put, "/api/v1/portal-settings", json: ["showPhotos": photos, "changeNoticeHours": notice,
                                                                     "outcomeVersion": items.isEmpty ? "" : "1.0", "outcomeItems": items], token: token)
    }

    @Test func outcomeQuestionsAtAFollowUpAreRecordedOnceAsEnteredByThePatientAndShownToTheClinic() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let visit = try await FollowUpVisitTests.followUpToday(h, s)
            let admin = try await h.token(.admin)
            let caller = try await h.portalSignIn(patientId: s.patient, email: "ivy.follow@example.org", staffToken: admin)
            let off = try await h.portal(.get, "/portal/follow-up", as: caller, accept: "text/html")
            #expect(off.status == .ok && off.body.contains("follow-up-closed") && !off.body.contains("follow-up-form"), "no questionnaire set up: nothing to answer")
            #expect(try await Self.settings(h, token: admin).status == .ok)

            let page = try await h.portal(.get, "/portal/follow-up", as: caller, accept: "text/html")
            #expect(page.body.contains("follow-up-form") && page.body.contains("1-month follow-up"))
            #expect(page.body.contains("Wording of item 1 from the clinic&#39;s licensed copy") || page.body.contains("Wording of item 1 from the clinic's licensed copy"))
            for option in ["not at all", "a little", "quite a bit", "very much"] { #expect(page.body.contains("value=\"\(option)\"")) }
            #expect(page.body.components(separatedBy: "type=\"radio\"").count - 1 == 8, "four labelled choices per item")

            let partial = try await h.portal(.post, "/portal/follow-up", as: caller, form: [("appointmentId", visit), ("answers.scar-1", "a little")],
                                             accept: "text/html")
            #expect(partial.status == .unprocessableContent)
            #expect(partial.body.contains("please choose an answer") && partial.body.contains("value=\"a little\" required checked"), "the answer given is kept")
            #expect(try await ConsentAndAdverseEventUseCaseTests.count(h, "patient_reported_outcomes") == 0, "a refused form writes nothing")
            let sent = try await h.portal(.post, "/portal/follow-up", as: caller,
                                          form: [("appointmentId", visit), ("answers.scar-1", "a little"), ("answers.scar-2", "very much")], accept: "text/html")
            #expect(sent.status == .seeOther && sent.headers[.location] == "/portal/follow-up?sent=1")
            let again = try await h.portal(.post, "/api/v1/portal/appointments/\(visit)/outcome-answers", as: caller,
                                           json: ["answers": ["scar-1": "a little", "scar-2": "a little"]])
            #expect(again.status == .conflict, "once per follow-up visit: \(again.body)")

            let stored = try #require((try await h.request(.get, "/api/v1/patients/\(s.patient)/reported-outcomes", token: admin).json["items"]
                                       as? [[String: Any]])?.first)
            #expect(stored["instrument"] as? String == "ACNE-Q" && stored["instrumentVersion"] as? String == "1.0")
            #expect(stored["responses"] as? [String: String] == ["scar-1": "a little", "scar-2": "very much"])
            let actions = try await h.auditActions(patientId: s.patientUUID)
            #expect(actions.contains("pro.create") && actions.contains("follow-up-questions.read"))
            let actor = try await h.db.read { sql in
                try await sql.raw("SELECT actor FROM audit_log WHERE action = 'pro.create' AND patient_id = \(bind: s.patientUUID)").first()?
                    .decode(column: "actor", as: String.self)
            }
            #expect(actor == "patient", "audited as the patient's action")

            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let progress = try await practitioner.get(h, "/patients/\(s.patient)/progress")
            #expect(progress.body.contains("the patient (portal)") && progress.body.contains("scar-2 = very much"))
            let report = try await practitioner.get(h, "/patients/\(s.patient)/report")
            #expect(report.body.contains("report-reported-outcomes") && report.body.contains("the patient (portal)"))
            let json = try await h.portal(.get, "/api/v1/portal/follow-up-questions", as: caller)
            let followUps = try #require(json.json["followUps"] as? [[String: Any]])
            #expect(followUps.count == 1 && followUps.first?["answered"] as? Bool == true)
        }
    }

    @Test func outcomeAnswersOutsideTheOptionsAreRefusedAndOtherVisitsAnswerAsUnknown() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let visit = try await FollowUpVisitTests.followUpToday(h, s)
            let admin = try await h.token(.admin)
            #expect(try await Self.settings(h, token: admin).status == .ok)
            let caller = try await h.portalSignIn(patientId: s.patient, email: "ivy.refused@example.org", staffToken: admin)
            let path = "/api/v1/portal/appointments/\(visit)/outcome-answers"
            let invented = try await h.portal(.post, path, as: caller, json: ["answers": ["scar-1": "somewhat", "scar-2": "a little"]])
            #expect(invented.status == .unprocessableContent && invented.problemFields == ["answers.scar-1"])
            let unknownItem = try await h.portal(.post, path, as: caller, json: ["answers": ["scar-1": "a little", "scar-2": "a little", "x": "a little"]])
            #expect(unknownItem.status == .unprocessableContent && unknownItem.problemFields == ["answers.x"])
            let missing = try await h.portal(.post, path, as: caller, json: [String: String]())
            #expect(missing.status == .unprocessableContent && missing.problemFields == ["answers"])
            let appointments = try await h.request(.get, "/api/v1/patients/\(s.patient)/appointments", token: admin)
            let session = try #require((appointments.json["appointments"] as? [[String: Any]])?.first { $0["kind"] as? String == "session" }?["id"] as? String)
            let good = ["answers": ["scar-1": "a little", "scar-2": "a little"]]
            let onSession = try await h.portal(.post, "/api/v1/portal/appointments/\(session)/outcome-answers", as: caller, json: good)
            let unknown = try await h.portal(.post, "/api/v1/portal/appointments/\(UUID().lower)/outcome-answers", as: caller, json: good)
            #expect(onSession.status == .notFound && unknown.status == .notFound, "a session is not a follow-up: as unknown")
            let other = try await h.newPatient(admin)
            let otherCaller = try await h.portalSignIn(patientId: other, email: "other.follow@example.org", staffToken: admin)
            let notTheirs = try await h.portal(.post, path, as: otherCaller, json: good)
            #expect(notTheirs.status == .notFound, "another patient's follow-up answers as an unknown one")
            #expect(try await ConsentAndAdverseEventUseCaseTests.count(h, "patient_reported_outcomes") == 0, "nothing half-written")
        }
    }

    @Test func photosSideBySideOnlyWhenTheClinicAllowsAndOnlyThePatientsOwn() async throws {
        try await withPhotoHarness { h, _ in
            let admin = try await h.token(.admin)
            let patient = try await h.newPatient(admin)
            let other = try await h.newPatient(admin)
            var ids: [String] = []
            for (date, rgb) in [("2026-01-15", UInt8(10)), ("2026-06-15", UInt8(200))] {
                let r = try await h.upload(.photo(ImageFixtures.png(rgb: (rgb, 90, 90)), capturedOn: date), patient: patient, token: admin)
                ids.append(try #require(r.json["id"] as? String))
            }
            let otherPhoto = try #require(try await h.upload(.photo(ImageFixtures.png(rgb: (5, 5, 5))), patient: other, token: admin).json["id"] as? String)
            let caller = try await h.portalSignIn(patientId: patient, email: "ivy.photos@example.org", staffToken: admin)
            let off = try await h.portal(.get, "/portal/photos", as: caller, accept: "text/html")
            #expect(off.body.contains("photos-not-shown") && !off.body.contains("<img"))
            #expect(try await h.portal(.get, "/portal/photos/\(ids[0])/image", as: caller, accept: "image/*").status == .notFound, "off: no photo is served")

            #expect(try await Self.settings(h, token: admin, photos: true).status == .ok)
            let on = try await h.portal(.get, "/portal/photos", as: caller, accept: "text/html")
            #expect(on.body.contains("/portal/photos/\(ids[0])/image") && on.body.contains("/portal/photos/\(ids[1])/image"))
            #expect(on.body.contains("First · 2026-01-15") && on.body.contains("Latest · 2026-06-15"))
            let image = try await h.send(.get, "/portal/photos/\(ids[1])/image", headers: [.cookie: caller.cookieHeader])
            #expect(image.status == .ok && image.headers[.contentType] == "image/png" && image.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let notTheirs = try await h.portal(.get, "/portal/photos/\(otherPhoto)/image", as: caller, accept: "image/*")
            let unknown = try await h.portal(.get, "/portal/photos/\(UUID().lower)/image", as: caller, accept: "image/*")
            #expect(notTheirs.status == .notFound && unknown.status == .notFound)
            #expect(try await h.auditActions(patientId: try #require(UUID(uuidString: patient))).contains("portal.photos"))
            #expect(try await Self.settings(h, token: admin, photos: false).status == .ok)
        }
    }

    @Test func aChangeRequestWaitsOnTheDayHomeUntilFrontDeskAnswersIt() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let visit = try await FollowUpVisitTests.followUpToday(h, s)
            let admin = try await h.token(.admin)
            let appointments = try await h.request(.get, "/api/v1/patients/\(s.patient)/appointments", token: admin)
            let session = try #require((appointments.json["appointments"] as? [[String: Any]])?.first { $0["kind"] as? String == "session" }?["id"] as? String)
            let caller = try await h.portalSignIn(patientId: s.patient, email: "ivy.change@example.org", staffToken: admin)
            let home = try await h.portal(.get, "/portal", as: caller, accept: "text/html")
            #expect(home.body.contains("/portal/appointments/\(session)/change") && !home.body.contains("/portal/appointments/\(visit)/change"),
                    "the follow-up today is inside the 48-hour notice: call the clinic")
            let late = try await h.portal(.post, "/api/v1/portal/appointments/\(visit)/change-requests", as: caller, json: ["kind": "cancel"])
            #expect(late.status == .conflict)
            let bad = try await h.portal(.post, "/portal/appointments/\(session)/change", as: caller, form: [("kind", "postpone"), ("reason", "Away")],
                                         accept: "text/html")
            #expect(bad.status == .unprocessableContent && bad.body.contains("must be change or cancel") && bad.body.contains(">Away</textarea>"))

            // A change, declined with a message.
            let asked = try await h.portal(.post, "/api/v1/portal/appointments/\(session)/change-requests", as: caller,
                                           json: ["kind": "change", "reason": "I am away that week"])
            #expect(asked.status == .created && asked.json["status"] as? String == "open", "\(asked.body)")
            let twice = try await h.portal(.post, "/api/v1/portal/appointments/\(session)/change-requests", as: caller, json: ["kind": "cancel"])
            #expect(twice.status == .conflict, "one open request at a time")
            let requestId = try #require(asked.json["id"] as? String)
            let desk = try await h.token(.frontDesk)
            let listed = try await h.request(.get, "/api/v1/change-requests", token: desk)
            #expect((listed.json["items"] as? [[String: Any]])?.first?["patientName"] as? String != nil)
            let noReply = try await h.request(.post, "/api/v1/change-requests/\(requestId)/decline", json: ["reply": " "], token: desk)
            #expect(noReply.status == .unprocessableContent && noReply.problemFields == ["reply"])
            #expect(try await h.request(.post, "/api/v1/change-requests/\(requestId)/decline", json: ["reply": "That week is full; please call us."],
                                        token: desk).status == .noContent)
            let declined = try await h.portal(.get, "/portal", as: caller, accept: "text/html")
            #expect(declined.body.contains("Declined") && declined.body.contains("That week is full; please call us."))

            // A cancellation, accepted on the day home by front desk: the appointment is cancelled through the schedule.
            let cancel = try await h.portal(.post, "/portal/appointments/\(session)/change", as: caller, form: [("kind", "cancel"), ("reason", "")],
                                            accept: "text/html")
            #expect(cancel.status == .seeOther)
            let page = try await PageSession.signIn(h, role: .frontDesk)
            let day = try await page.get(h, "/")
            let open = try #require((try await h.request(.get, "/api/v1/change-requests", token: desk).json["items"] as? [[String: Any]])?.first?["id"]
                                    as? String)
            #expect(day.body.contains("Requests from patients") && day.body.contains("id=\"accept-\(open)\"") && day.body.contains("asks to cancel"))
            #expect(try await Self.status(h, s.patient, session, token: desk) == "booked", "the request alone changes nothing")
            let accepted = try await page.post(h, "/change-requests/\(open)/accept", [])
            #expect(accepted.status == .seeOther)
            #expect(try await Self.status(h, s.patient, session, token: desk) == "cancelled")
            let again = try await page.post(h, "/change-requests/\(open)/accept", [])
            #expect(again.status == .conflict, "answered once")
            let actions = try await h.auditActions(patientId: s.patientUUID)
            #expect(actions.filter { $0 == "change-request.create" }.count == 2 && actions.contains("change-request.decline")
                    && actions.contains("appointment.cancelled"))
        }
    }

    @Test func checkInRemindersGoOutOnceOnTheClinicsCheckInDays() async throws {
        try await Harness.run { h in
            let c = try await CheckInUseCaseTests.course(h)
            let admin = try await h.token(.admin)
            _ = try await h.portalSignIn(patientId: c.setup.patient, email: "ivy.remind@example.org", staffToken: admin)
            let plan = PlanCheckInReminders(h.db)
            let day1 = CheckInUseCaseTests.noon(c, day: 1)
            #expect(try await plan(portalURL: "https://portal.clinic.example", now: day1) == 1)
            #expect(try await plan(portalURL: "https://portal.clinic.example", now: day1.addingTimeInterval(600)) == 1, "planned again")
            #expect(try await plan(portalURL: nil, now: CheckInUseCaseTests.noon(c, day: 4)) == 0, "day 4 is not a check-in day")
            _ = try await RecordCheckIn(h.db, photos: c.photos)(CheckInUseCaseTests.checkIn(redness: "mild"), for: CheckInUseCaseTests.on(c, day: 2),
                                                               actor: c.actor, now: h.now)
            #expect(try await plan(portalURL: nil, now: CheckInUseCaseTests.noon(c, day: 2)) == 0, "already checked in today")
            let reminders = try await h.outbox(patientId: c.patient.patientId).filter { $0.kind == "check-in-reminder" }
            #expect(reminders.count == 1, "never sent twice")
            #expect(reminders.first?.recipient == "ivy.remind@example.org" && reminders.first?.body.contains("Today is day 1 after your session") == true)
            #expect(reminders.first?.body.contains("https://portal.clinic.example/portal/after-your-session") == true)
        }
    }
}

extension PortalFollowUpTests {
    static func status(_ h: Harness, _ patient: String, _ appointment: String, token: String) async throws -> String? {
        let list = try await h.request(.get, "/api/v1/patients/\(patient)/appointments", token: token).json["appointments"] as? [[String: Any]]
        return list?.first { $0["id"] as? String == appointment }?["status"] as? String
    }
}

extension CheckInUseCaseTests {
    /// Noon UTC of the course's day N (the harness clinic's day).
    static func noon(_ c: Course, day: Int) -> Date {
        let d = c.patient.today.adding(days: day)
        return Availability(timeZone: TimeZone(identifier: "UTC")!, weeklyHours: [:]).instant(d, minutes: 12 * 60)
    }
}
