import Foundation
import HTTPTypes
import ScarCore
import ScarTestSupport
import Testing

/// Issue 13: a new patient from arrival to a signed session in fewer clicks, every check kept. Each step
/// offers the next one: the saved assessment its photos, the new plan "Save and approve", the signed
/// consent today's session, the new chart "Sign session"; the booking page starts with the signed-in
/// practitioner.
@Suite("new patient in fewer clicks")
struct NewPatientClicksTests {
    @Test func signingFromTheNewChartSavesItAndRunsTheWholeChecklistFirst() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let form = try await page.get(h, "/patients/\(s.patient)/sessions/new")
            #expect(form.body.contains(#"formaction="/patients/\#(s.patient)/sessions?then=sign""#) && form.body.contains(#"id="session-sign""#))

            // A question not asked: the chart is kept as a draft, the checklist shown with the reason, nothing signed.
            var oneNotAsked = CheckInToSignatureTests.allNo
            oneNotAsked[5] = ("day.newMedications", "not-asked")
            let refused = try await page.post(h, "/patients/\(s.patient)/sessions?then=sign", CheckInToSignatureTests.chartFields(s, notes: "First") + oneNotAsked)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("not asked") && refused.body.contains(#"id="checklist-result""#))
            let drafts = try await h.request(.get, "/api/v1/patients/\(s.patient)/sessions", token: s.practitioner)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(drafts.body.utf8)) as? [[String: Any]])
            #expect(items.count == 1 && items.first?["status"] as? String == "draft", "\(items)")

            // Every question answered: saved and signed in the one click.
            let signed = try await page.post(h, "/patients/\(s.patient)/sessions?then=sign", CheckInToSignatureTests.chartFields(s, notes: "Second") + CheckInToSignatureTests.allNo)
            #expect(signed.status == .seeOther, "\(signed.body.prefix(300))")
            let location = try #require(signed.headers[.location])
            let session = try await h.request(.get, "/api/v1" + location, token: s.practitioner)
            #expect(session.json["status"] as? String == "signed")
            #expect((session.json["chart"] as? [String: Any])?["notes"] as? String == "Second")
        }
    }

    @Test func saveAndApproveRunsTheApprovalCheckAndARefusalLeavesTheDraft() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let eligible = try await PlanPageTests.patient(h)
            let form = try await s.get(h, eligible + "/plans/new")
            #expect(form.body.contains(#"formaction="\#(eligible)/plans?then=approve" id="plan-save-approve""#))
            let templateId = try #require(PageSession.hiddenValue("template", in: form.body))
            let fields = [("template", templateId), ("sessions", "3"), ("intervalDays", "28"), ("rationale", "Standard course.")]
            let approved = try await s.post(h, eligible + "/plans?then=approve", fields)
            #expect(approved.status == .seeOther)
            let page = try await s.get(h, try #require(approved.headers[.location]))
            #expect(page.body.contains("id=\"plan-status\">Approved"))

            let infected = try await PlanPageTests.patient(h, intake: ["fitzpatrick": 2, "localInfectionInArea": true])
            let refused = try await s.post(h, infected + "/plans?then=approve", fields)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("id=\"approval-blockers\"") || refused.body.contains("contraindicated"), "\(refused.body.prefix(500))")
            #expect(!refused.body.contains("id=\"plan-status\">Approved"))
        }
    }

    @Test func theSavedAssessmentLinksItsPhotosAndTheBookingStartsWithTheSignedInPractitioner() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await AssessmentPageTests.patientURL(h, s)
            let saved = try #require(try await s.post(h, patient + "/assessments", AssessmentPageTests.workedExampleForm).headers[.location])
            let id = String(saved.dropFirst("/assessments/".count))
            let page = try await s.get(h, saved)
            #expect(page.body.contains(#"id="add-photos" href="\#(patient)/photos/new?assessment=\#(id)""#))
            let photos = try await s.get(h, patient + "/photos/new?assessment=\(id)")
            #expect(photos.body.contains(#"<select id="batch-assessmentId" name="assessmentId"><option value="">— none —</option><option value="\#(id)" selected>"#),
                    "the batch upload is linked to the assessment")

            let me = h.staff[.practitioner]!.id.lower
            let book = try await s.get(h, patient + "/book")
            #expect(book.body.contains(#"<option value="\#(me)" selected>"#), "the signed-in practitioner is preselected")
        }
    }

    @Test func theSignedConsentOffersTodaysSessionCheckedInOntoItsChart() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let admin = try await h.token(.admin)
            let room = try #require(try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room 1"], token: admin).json["id"] as? String)
            let me = h.staff[.practitioner]!.id.lower
            let hours = (1...7).map { ["weekday": $0, "start": "00:00", "end": "23:45"] as [String: Any] }
            #expect(try await h.request(.put, "/api/v1/schedule/practitioners/\(me)/hours", json: ["hours": hours], token: admin).status == .noContent)
            let today = CalendarDate.utc(h.now)
            h.clock.pin(at: try #require(ISO8601DateFormatter().date(from: "\(today)T08:00:00Z")))
            let series = try await h.request(.post, "/api/v1/patients/\(s.patient)/appointment-series", json: [
                "modality": "microneedling", "count": 1, "intervalDays": 28, "minimumIntervalDays": 21, "start": "\(today)T12:00",
                "practitionerId": me, "roomId": room, "followUpMonths": [Int]()], token: s.practitioner)
            #expect(series.status == .created, "\(series.body)")
            let appointment = try #require((series.json["appointments"] as? [[String: Any]])?.first?["id"] as? String)

            let page = try await PageSession.signIn(h, role: .practitioner)
            let signed = try await page.post(h, "/patients/\(s.patient)/consents", [("kind", "microneedling"), ("signerName", "Ivy Boxcar"), ("agreed", "yes")])
            let consent = try await page.get(h, try #require(signed.headers[.location]))
            #expect(consent.body.contains(#"action="/appointments/\#(appointment)/status" class="card next-step-row" id="consent-next-step""#))
            #expect(consent.body.contains(#"id="check-in-and-chart">Check in for today's session at 12:00"#))
            let checkedIn = try await page.post(h, "/appointments/\(appointment)/status", [("version", "1"), ("action", "check-in"), ("next", "chart")])
            #expect(checkedIn.headers[.location] == "/patients/\(s.patient)/sessions/new?appointment=\(appointment)")
            #expect(!(try await page.get(h, try #require(signed.headers[.location]))).body.contains("check-in-and-chart"), "checked in: no longer offered")
        }
    }
}
