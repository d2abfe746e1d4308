import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// The portal's between-visits pages over real HTTP: the patient comes from the portal session
/// only; a check-in with a reaction photo flags on the clinic's day home; an upload that is not
/// an image is refused beside its field; another patient's appointment answers as an unknown one.
@Suite("Portal: check-ins, problem reports, questions before a session")
struct PortalCheckInTests {
    static func multipart(_ caller: PortalCaller, fields: [(String, String)], photo: [UInt8]?) -> Multipart {
        var m = Multipart()
        m.fields = [("csrf", caller.csrf)] + fields
        if let photo { m.files = [("photos", "reaction.png", "image/png", photo)] }
        return m
    }

    static func post(_ h: Harness, _ path: String, _ m: Multipart, as caller: PortalCaller) async throws -> RawReply {
        try await h.send(.post, path, headers: [.cookie: caller.cookieHeader, .accept: "text/html"], body: m.body, contentType: m.contentType)
    }

    @Test func aCheckInWithAReactionPhotoFlagsOnTheDayHomeAndAWrongFileIsRefused() async throws {
        try await withPhotoHarness { h, _ in
            let s = try await ClinicFixtures.readyToChart(h)
            let draft = try await ClinicFixtures.draftSession(h, s)
            #expect(try await h.request(.post, "/api/v1/sessions/\(draft)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                        headers: [.ifMatch: "\"1\""]).status == .ok)
            let admin = try await h.token(.admin)
            let caller = try await h.portalSignIn(patientId: s.patient, email: "ivy.portal@example.org", staffToken: admin)

            let page = try await h.portal(.get, "/portal/after-your-session", as: caller, accept: "text/html")
            #expect(page.status == .ok)
            #expect(page.body.contains("day 0") && page.body.contains("What is normal, day by day") && page.body.contains("check-in-form"))

            let bad = try await Self.post(h, "/portal/check-ins", Self.multipart(caller, fields: [("redness", "mild"), ("swelling", "none"),
                                                                                                    ("pain", "mild"), ("unexpected", "no")],
                                                                                  photo: Array("%PDF-1.4 not a photo".utf8)), as: caller)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("must be a JPEG or PNG image"), "the message beside the photo field")

            let sent = try await Self.post(h, "/portal/check-ins", Self.multipart(caller, fields: [("redness", "mild"), ("swelling", "none"),
                                                                                                     ("pain", "mild"), ("signs", "rash"),
                                                                                                     ("unexpected", "no")],
                                                                                   photo: ImageFixtures.png(rgb: (230, 30, 30))), as: caller)
            #expect(sent.status == .seeOther)
            #expect(sent.headers[.location]?.contains("sent=beyond") == true)
            let home = try await ClinicDayTests.read(h, on: CalendarDate.utc(Date()).description)
            let flagged = try #require(home.suspectedAdverseEvents.first)
            #expect(flagged.patientId == s.patientUUID && flagged.day == 0 && flagged.photoIds.count == 1)
            #expect(try await h.auditActions(patientId: s.patientUUID).contains("check-in.create"))

            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let day = try await practitioner.get(h, "/")
            #expect(day.body.contains("Reported by patients") && day.body.contains("id=\"confirm-\(flagged.id.lower)\""))
        }
    }

    @Test func anotherPatientsAppointmentAnswersAsAnUnknownOne() async throws {
        try await Harness.run { h in
            let fixtures = try await MatrixFixtures.make(h)
            let admin = try await h.token(.admin)
            let caller = try await h.portalSignIn(patientId: fixtures.ownFirst.patient, email: "ada.q@example.org", staffToken: admin)
            var answers = CheckInRulesAnswers.allNo.map { ("answers.\($0.key)", $0.value) }
            answers.sort { $0.0 < $1.0 }
            func send(_ appointment: String) async throws -> Reply {
                try await h.portal(.post, "/portal/questions", as: caller, form: answers + [("appointmentId", appointment)], accept: "text/html")
            }
            let other = try await send(fixtures.ownSecond.appointment)
            let unknown = try await send(UUID().uuidString.lowercased())
            #expect(other.status == .notFound && unknown.status == .notFound)
            func scrub(_ text: String) -> String {
                text.replacingOccurrences(of: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", with: "ID",
                                          options: .regularExpression)
            }
            #expect(scrub(other.body) == scrub(unknown.body), "nothing tells another patient's appointment from one that does not exist")
            #expect(!other.body.contains(fixtures.ownSecond.family))
            let questions = try await h.portal(.get, "/portal/questions", as: caller, accept: "text/html")
            #expect(questions.status == .ok && !questions.body.contains(fixtures.ownSecond.family))
        }
    }

    /// The same reports as JSON, for a client app: a check-in beyond what is expected flags on the
    /// day home; a problem report flags at once; the questions before a session answer what each
    /// answer means; a missing answer is refused naming it (never read as no).
    @Test func theBetweenVisitReportsWorkAsJSON() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let draft = try await ClinicFixtures.draftSession(h, s)
            #expect(try await h.request(.post, "/api/v1/sessions/\(draft)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                        headers: [.ifMatch: "\"1\""]).status == .ok)
            let admin = try await h.token(.admin)
            let caller = try await h.portalSignIn(patientId: s.patient, email: "ivy.json@example.org", staffToken: admin)

            let missing = try await h.portal(.post, "/api/v1/portal/check-ins", as: caller, json: ["redness": "mild", "swelling": "none", "pain": "mild"])
            #expect(missing.status == .unprocessableContent && missing.problemFields.contains("unexpected"), "\(missing.body)")
            let typo = try await h.portal(.post, "/api/v1/portal/check-ins", as: caller, json: ["redness": "mild", "swelling": "none", "pain": "mild",
                                                                                                 "unexpected": "no", "rednes": "x"])
            #expect(typo.status == .unprocessableContent && typo.problemFields.contains("rednes"))
            let sent = try await h.portal(.post, "/api/v1/portal/check-ins", as: caller,
                                          json: ["redness": "mild", "swelling": "none", "pain": "mild", "signs": ["rash"], "unexpected": "no"])
            #expect(sent.status == .created, "\(sent.body)")
            #expect(sent.json["beyondExpected"] as? Bool == true && sent.json["day"] as? Int == 0)
            #expect(((sent.json["reasons"] as? [[String: Any]]) ?? []).contains { ($0["code"] as? String) == "sign.rash" })

            let report = try await h.portal(.post, "/api/v1/portal/problem-reports", as: caller,
                                            json: ["description": "The left cheek is itchy and has small bumps", "signs": ["lumps"]])
            #expect(report.status == .created, "\(report.body)")
            let home = try await ClinicDayTests.read(h, on: CalendarDate.utc(Date()).description)
            #expect(home.suspectedAdverseEvents.filter { $0.patientId == s.patientUUID }.count == 2, "the check-in and the report")

            // The questions before a session: an appointment that is not the patient's answers as unknown; no answers are refused.
            let appointment = UUID().uuidString.lowercased()
            let unknown = try await h.portal(.post, "/api/v1/portal/appointments/\(appointment)/pre-session-answers", as: caller,
                                             json: ["answers": CheckInRulesAnswers.allNo])
            #expect(unknown.status == .notFound)
            let none = try await h.portal(.post, "/api/v1/portal/appointments/\(appointment)/pre-session-answers", as: caller, json: [String: String]())
            #expect(none.status == .unprocessableContent && none.problemFields.contains("answers"))
            #expect(try await h.auditActions(patientId: s.patientUUID).contains("check-in.create"))
        }
    }
}
