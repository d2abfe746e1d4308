import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Issue 16: the patient page is one audited look (`ReadPatientPage`): one read transaction, one
/// commit carrying its one audit entry, about 20 statements, whatever the patient's history.
@Suite("Patient page cost")
struct PatientPageCostTests {
    /// The most statements a view of the busiest patient may cost (auth included; the read
    /// transaction's BEGIN and COMMIT are two of them, and PostgreSQL's audit append takes its
    /// clinic's chain lock in one more).
    static func statementBudget(_ engine: Engine) -> Int { engine == .postgres ? 23 : 22 }

    @Test func aBusyPatientsPageIsOneTransactionOfAboutTwentyStatementsAndOneAuditEntry() async throws {
        try await Harness.run { h in
            let clinic = try await SnapshotClinic.make(h)
            let s = try await PageSession.signIn(h, role: .practitioner)
            #expect(try await s.get(h, "/patients/\(clinic.patient)").status == .ok, "warm-up view (stores today's screening)")
            let head = try await SignSessionTests.auditHead(h.db)
            let before = h.db.counts
            let page = try await s.get(h, "/patients/\(clinic.patient)")
            let cost = h.db.counts - before
            #expect(page.status == .ok)
            #expect(page.body.contains("Screening today") && page.body.contains("Scar assessments") && page.body.contains("session-list"))
            print("patient page (\(h.db.engine)): \(cost.statements) statements, \(cost.checkouts) checkouts, \(cost.commits) commits")
            #expect(cost.statements <= Self.statementBudget(h.db.engine), "\(cost.statements) statements")
            #expect(cost.commits == 1, "one transaction: \(cost.commits) commits")
            #expect(try await SignSessionTests.auditActions(h.db, after: head) == ["patient.read"], "one intent-level entry per view")
            #expect(page.body.contains("<strong>Viewed</strong>"), "the access log shows this view")
        }
    }

    @Test func theCostDoesNotGrowWithTheSessionsAndThePageListsTheNewestTen() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            var ids: [String] = []
            for _ in 0..<12 { ids.append(try await ClinicFixtures.draftSession(h, s)) }
            let page = try await PageSession.signIn(h, role: .practitioner)
            _ = try await page.get(h, "/patients/\(s.patient)")
            let before = h.db.counts
            let view = try await page.get(h, "/patients/\(s.patient)")
            let cost = h.db.counts - before
            #expect(view.status == .ok)
            #expect(cost.statements <= Self.statementBudget(h.db.engine), "\(cost.statements) statements with 12 sessions")
            let rows = view.body.components(separatedBy: "/sessions/").count - 1
            let shown = ids.filter { view.body.contains("/sessions/\($0)") }
            #expect(shown.count == 10, "the newest ten of twelve: \(shown.count) shown, \(rows) session links")
            #expect(!ids.prefix(2).contains { view.body.contains("/sessions/\($0)") }, "the two oldest are on the paged list")
            #expect(view.body.contains("12 sessions"), "the page says how many there are")
        }
    }
}
