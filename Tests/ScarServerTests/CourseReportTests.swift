import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// The printable course report gathers the plan, sessions, scores and adverse events of one
/// patient, for this clinic only, and its printing is audited.
@Suite("Course report")
struct CourseReportTests {
    @Test func reportShowsSessionsScoresAndAdverseEventsAndIsAudited() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let session = try await ClinicFixtures.draftSession(h, s)
            let signed = try await h.request(.post, "/api/v1/sessions/\(session)/sign", json: ClinicFixtures.cleanDay,
                                             token: s.practitioner, headers: [.ifMatch: "\"1\""])
            #expect(signed.status == .ok, "\(signed.body)")
            _ = try await h.request(.post, "/api/v1/patients/\(s.patient)/assessments", json: Harness.workedExampleAssessment, token: s.practitioner)
            _ = try await h.request(.post, "/api/v1/patients/\(s.patient)/assessments", json: OutcomeTests.followUp, token: s.practitioner)
            let ae = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
                "term": "pih", "onsetOn": "2026-09-10", "grade": 2, "relatedness": "probable"], token: s.practitioner)
            #expect(ae.status == .created, "\(ae.body)")

            let page = try await PageSession.signIn(h, role: .practitioner)
            let report = try await page.get(h, "/patients/\(s.patient)/report")
            #expect(report.status == .ok)
            let body = report.body
            #expect(body.contains("<dd id=\"report-patient\">Ivy Boxcar</dd>"))
            #expect(body.contains("Post-inflammatory hyperpigmentation"))
            #expect(body.contains("<td>2 Moderate</td>"), "the CTCAE grade is shown")
            #expect(body.contains("<strong>responder</strong>"), "the follow-up meets the responder rule")
            #expect(body.contains("<svg"), "scores are charted")
            #expect(body.contains("Signed by"))
            #expect(body.contains("1.50 mm"), "the session's depth is shown")
            #expect(report.headers[.cacheControl] == "no-store", "a page with patient data is never cached")

            let audited = try await h.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'report.read' AND patient_id = \(bind: UUID(uuidString: s.patient)!)")
                    .first()!.decode(column: "n", as: Int.self)
            }
            #expect(audited == 1)
        }
    }

    @Test func anotherClinicsPatientHasNoReport() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try await h.patientId(token: token)
            let theirs = try await h.token(email: h.otherClinicAdmin.email)
            let r = try await h.request(.get, "/patients/\(id)/report", token: theirs, headers: [.accept: "text/html"])
            #expect(r.status == .notFound)
            #expect(!r.body.contains("Course report"))
        }
    }
}
