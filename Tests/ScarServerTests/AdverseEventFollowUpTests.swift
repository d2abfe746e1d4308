import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Issue 13, item 7: an adverse event's life cycle on its page. Resolving it (date and outcome)
/// and following it up (a note, the session it followed) go through `UpdateAdverseEvent`: one
/// audited change each, a refused form re-shown with the message beside the field and nothing
/// written, and the course report shows the event as it stands.
@Suite("adverse-event follow-up")
struct AdverseEventFollowUpTests {
    static func openEvent(_ h: Harness, _ s: ClinicFixtures.ChartingSetup) async throws -> String {
        let ae = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
            "term": "hypersensitivity", "onsetOn": CalendarDate.utc(Date()).adding(days: -2).description, "grade": 2,
            "relatedness": "possible"], token: s.practitioner)
        #expect(ae.status == .created, "\(ae.body)")
        return try #require(ae.json["id"] as? String)
    }

    static func updates(_ h: Harness, _ id: String) async throws -> [String] {
        try await h.db.read { sql in
            try await sql.raw("SELECT details FROM audit_log WHERE action = 'adverse-event.update' AND record_id = \(bind: id.uppercased()) ORDER BY seq")
                .all().map { try $0.decode(column: "details", as: String.self) }
        }
    }

    @Test func resolvingThroughThePageRecordsTheDateOutcomeNoteAndSessionOnceAndTheReportShowsIt() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let session = try await ClinicFixtures.draftSession(h, s)
            let id = try await Self.openEvent(h, s)
            let page = try await PageSession.signIn(h, role: .practitioner)

            let shown = try await page.get(h, "/adverse-events/\(id)")
            #expect(shown.status == .ok)
            #expect(shown.body.contains("id=\"ae-resolve-form\"") && shown.body.contains("Hypersensitivity"))
            #expect(shown.body.contains("Ongoing") && !shown.body.contains(">ongoing<"), "the outcome in words, not its code")

            // Resolved without a date: refused, the message beside the field, the note kept, nothing written.
            let refused = try await page.post(h, "/adverse-events/\(id)", [("version", "1"), ("part", "resolve"), ("outcome", "resolved"),
                                                                          ("resolvedOn", ""), ("followUpNote", "Settled with the steroid.")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("id=\"r-resolvedOn-error\"") && refused.body.contains("is required when the event has resolved"))
            #expect(refused.body.contains("Settled with the steroid."), "the typed note is kept")
            #expect(try await Self.updates(h, id).isEmpty)

            let today = CalendarDate.utc(Date()).description
            let resolved = try await page.post(h, "/adverse-events/\(id)", [("version", "1"), ("part", "resolve"), ("outcome", "resolved-with-sequelae"),
                                                                           ("resolvedOn", today), ("followUpNote", "Settled with the steroid.")])
            #expect(resolved.status == .seeOther)
            // A follow-up on the resolved event: linked to the session it followed, with a second note.
            let linked = try await page.post(h, "/adverse-events/\(id)", [("version", "2"), ("part", "update"), ("grade", "2"),
                                                                         ("relatedness", "probable"), ("outcome", "resolved-with-sequelae"),
                                                                         ("resolvedOn", today), ("sessionId", session), ("actionTaken", "Topical steroid"),
                                                                         ("followUpNote", "Faint redness left at review.")])
            #expect(linked.status == .seeOther)
            let stale = try await page.post(h, "/adverse-events/\(id)", [("version", "2"), ("part", "update"), ("grade", "3"),
                                                                        ("relatedness", "probable"), ("outcome", "ongoing")])
            #expect(stale.status == .conflict, "a second clinician's stale form does not overwrite the first")

            let event = try await h.request(.get, "/api/v1/patients/\(s.patient)/adverse-events", token: s.practitioner)
            let list = (try? JSONSerialization.jsonObject(with: Data(event.body.utf8))) as? [[String: Any]] ?? event.json["items"] as? [[String: Any]] ?? []
            let stored = try #require(list.first, "\(event.body)")
            #expect(stored["outcome"] as? String == "resolved-with-sequelae" && stored["resolvedOn"] as? String == today)
            #expect((stored["sessionId"] as? String)?.lowercased() == session.lowercased() && stored["relatedness"] as? String == "probable")
            let audit = try await Self.updates(h, id)
            #expect(audit.count == 2, "one audit entry per saved change: \(audit)")
            #expect(audit.first?.contains("followUpNote") == true && audit.last?.contains("sessionId") == true, "\(audit)")

            let after = try await page.get(h, "/adverse-events/\(id)")
            #expect(!after.body.contains("id=\"ae-resolve-form\""), "a resolved event offers no resolve form")
            #expect(after.body.contains("Settled with the steroid.") && after.body.contains("Faint redness left at review."))
            #expect(after.body.contains("Resolved with lasting effects") && after.body.contains("href=\"/sessions/\(session)\""))
            #expect(!(try await page.get(h, "/adverse-events")).body.contains("/adverse-events/\(id)"), "no longer listed as open")
            let report = try await page.get(h, "/patients/\(s.patient)/report")
            #expect(report.body.contains("Resolved with lasting effects"), "the course report shows the event's current state")
        }
    }

    @Test func aSessionOfAnotherPatientCannotBeLinked() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try await Self.openEvent(h, s)
            let other = try #require(try await h.registerPatient(token: s.practitioner, given: "Oda", family: "Other").json["id"] as? String)
            var theirs = s
            theirs.patient = other
            _ = try await h.request(.post, "/api/v1/patients/\(other)/intakes", json: ["fitzpatrick": 2], token: s.practitioner)
            let foreign = try await ClinicFixtures.draftSession(h, theirs)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let refused = try await page.post(h, "/adverse-events/\(id)", [("version", "1"), ("part", "update"), ("grade", "2"),
                                                                          ("relatedness", "possible"), ("outcome", "ongoing"), ("sessionId", foreign)])
            #expect(refused.status == .notFound)
            #expect(try await Self.updates(h, id).isEmpty)
        }
    }
}
