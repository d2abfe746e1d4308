import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// A database that cannot take writes (full disk, read-only) answers 503 problem+json with
/// `Retry-After`, stores nothing of the refused request, keeps the audit chain intact, shows
/// browsers a friendly page, and takes writes again as soon as the condition clears, without
/// a restart. The engine itself refuses the write with its real error code:
/// SQLite `PRAGMA query_only` (SQLITE_READONLY) and `PRAGMA max_page_count` at the current size
/// (SQLITE_FULL, exactly what a full disk returns); PostgreSQL read-only sessions (SQLSTATE 25006).
@Suite("writes refused by the database")
struct WriteRefusalTests {
    static let title = "The database cannot accept writes right now"

    static func snapshot(_ h: Harness) async throws -> (patients: Int, audit: AuditRepository.Verification) {
        (try await h.patientCount(), try await AuditRepository(h.db).verify())
    }

    @Test func aReadOnlyDatabaseAnswers503WritesNothingAndRecoversWithoutARestart() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let before = try await Self.snapshot(h)
            #expect(before.audit.intact)

            try await h.db.refuseWrites(.readOnly)
            let refused = try await h.registerPatient(token: token, family: "Readonly")
            #expect(refused.status == .serviceUnavailable, "\(refused.body)")
            #expect(refused.isProblem)
            #expect(refused.json["title"] as? String == Self.title)
            #expect((refused.json["detail"] as? String ?? "").contains("read-only"))
            #expect(refused.headers[.retryAfter] == "30")

            // The same for a browser form: a friendly page, not a stack trace.
            let form = try await page.post(h, "/patients", [("givenName", "Rhea"), ("familyName", "Readonly"), ("dateOfBirth", "1990-01-02"),
                                                            ("sex", "female")])
            #expect(form.status == .serviceUnavailable)
            #expect(form.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(form.body.contains(Self.title))
            #expect(!form.body.contains("SQLiteError") && !form.body.contains("PSQLError"))

            try await h.db.refuseWrites(.none)
            let after = try await Self.snapshot(h)
            #expect(after.patients == before.patients, "nothing of the refused requests was stored")
            #expect(after.audit.intact)
            #expect(after.audit.entries == before.audit.entries && after.audit.headHash == before.audit.headHash)

            let recovered = try await h.registerPatient(token: token, family: "Recovered")
            #expect(recovered.status == .created, "\(recovered.body)")
            #expect(try await Self.snapshot(h).audit.intact)
        }
    }

    /// Audited reads read on a reader and send only their audit entry to the writer (issue 16); a
    /// read whose entry cannot be written shows nothing: the patient's JSON, page and lists are 503.
    @Test func anAuditedReadShowsNothingWhenItsAuditEntryCannotBeWritten() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let patient = try #require(try await h.registerPatient(token: token, family: "Lookedat").json["id"] as? String)
            #expect(try await h.request(.get, "/api/v1/patients/\(patient)", token: token).status == .ok)
            let before = try await Self.snapshot(h)

            try await h.db.refuseWrites(.readOnly)
            let json = try await h.request(.get, "/api/v1/patients/\(patient)", token: token)
            #expect(json.status == .serviceUnavailable && json.isProblem, "\(json.status) \(json.body)")
            #expect(!json.body.contains("Lookedat"))
            let list = try await h.request(.get, "/api/v1/patients/\(patient)/sessions", token: token)
            #expect(list.status == .serviceUnavailable, "\(list.status)")
            let view = try await page.get(h, "/patients/\(patient)")
            #expect(view.status == .serviceUnavailable, "\(view.status)")
            #expect(!view.body.contains("Lookedat"))

            try await h.db.refuseWrites(.none)
            let after = try await Self.snapshot(h)
            #expect(after.audit.intact && after.audit.entries == before.audit.entries, "no entry for what was not shown")
            #expect(try await h.request(.get, "/api/v1/patients/\(patient)", token: token).status == .ok)
        }
    }

    @Test(.enabled(if: TestDatabase.engine == .sqlite, "max_page_count is SQLite's; PostgreSQL is covered by the read-only test"))
    func aFullDiskAnswers503WritesNothingAndRecoversWhenSpaceReturns() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            try await h.db.refuseWrites(.noRoomToGrow)
            // The file may still have room in its last pages; write until SQLite needs a new page.
            var refused: Reply?
            var stored = 0
            for i in 1...400 {
                let before = try await Self.snapshot(h)
                let r = try await h.registerPatient(token: token, family: "Fill-\(i)")
                if r.status == .created { stored += 1; continue }
                refused = r
                let after = try await Self.snapshot(h)
                #expect(after.patients == before.patients, "the refused registration left nothing behind")
                #expect(after.audit.entries == before.audit.entries && after.audit.headHash == before.audit.headHash)
                #expect(after.audit.intact)
                break
            }
            let full = try #require(refused, "SQLite never ran out of pages after \(stored) writes")
            #expect(full.status == .serviceUnavailable, "\(full.body)")
            #expect(full.isProblem)
            #expect(full.json["title"] as? String == Self.title)
            #expect((full.json["detail"] as? String ?? "").contains("full"))
            #expect(full.headers[.retryAfter] != nil)
            // Still full: refused again, consistently.
            #expect(try await h.registerPatient(token: token, family: "StillFull").status == .serviceUnavailable)

            try await h.db.refuseWrites(.none)  // space returns
            let recovered = try await h.registerPatient(token: token, family: "AfterSpaceReturns")
            #expect(recovered.status == .created, "\(recovered.body)")
            let audit = try await AuditRepository(h.db).verify()
            #expect(audit.intact)
        }
    }
}
