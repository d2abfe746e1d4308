import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Session charting over real HTTP on either engine: devices and lots, consent, the checklist,
/// signing, immutability (API and database), amendments, recall, adverse events.
@Suite("Session charting")
struct SessionChartingTests {
    @Test func signingWithoutConsentIsRefusedThenSignedSessionsAreImmutable() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h, consent: false)
            let id = try await ClinicFixtures.draftSession(h, s)
            let refused = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner, headers: [.ifMatch: "\"1\""])
            #expect(refused.status == .conflict)
            #expect(refused.isProblem)
            #expect(refused.problemFields == ["checklist.consent"])

            let consent = try await h.request(.post, "/api/v1/patients/\(s.patient)/consents", json: ["kind": "microneedling", "signerName": "Ivy Boxcar",
                                                                                                    "agreed": true], token: s.practitioner)
            #expect(consent.status == .created)
            #expect((consent.json["sha256"] as? String)?.count == 64)
            #expect((consent.json["renderedHtml"] as? String)?.contains("Ivy Boxcar") == true)

            let signed = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner, headers: [.ifMatch: "\"1\""])
            #expect(signed.status == .ok, "\(signed.body)")
            #expect(signed.json["status"] as? String == "signed")
            #expect(signed.json["postCareVersion"] as? String == "postcare-microneedling@1")

            // The API refuses edits after signing…
            let edit = try await h.request(.put, "/api/v1/sessions/\(id)", json: ClinicFixtures.chart(s, notes: "changed"), token: s.practitioner,
                                           headers: [.ifMatch: "\"2\""])
            #expect(edit.status == .conflict)
            #expect(edit.isProblem)
            let again = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner, headers: [.ifMatch: "\"2\""])
            #expect(again.status == .conflict)

            // …and so does the database, whoever asks.
            let sessionId = try #require(UUID(uuidString: id))
            await #expect(throws: (any Error).self) {
                try await h.db.write { sql in
                    try await sql.raw("UPDATE treatment_sessions SET chart = '{}' WHERE id = \(bind: sessionId)").run()
                }
            }
            await #expect(throws: (any Error).self) {
                try await h.db.write { sql in try await sql.raw("DELETE FROM treatment_sessions WHERE id = \(bind: sessionId)").run() }
            }
            await #expect(throws: (any Error).self) {
                try await h.db.write { sql in try await sql.raw("DELETE FROM session_lots WHERE session_id = \(bind: sessionId)").run() }
            }
            let read = try await h.request(.get, "/api/v1/sessions/\(id)", token: s.practitioner)
            #expect((read.json["chart"] as? [String: Any])?["notes"] as? String == "Tolerated well")
        }
    }

    @Test func amendmentsKeepTheOriginalAndRecordWhoWhenWhyAndWhat() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try await ClinicFixtures.draftSession(h, s)
            let signed = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner, headers: [.ifMatch: "\"1\""])
            #expect(signed.status == .ok, "\(signed.body)")

            let noReason = try await h.request(.post, "/api/v1/sessions/\(id)/amendments", json: ["reason": "typo", "chart": ClinicFixtures.chart(s, notes: "x")],
                                               token: s.practitioner)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.problemFields == ["reason"])

            var otherDevice = ClinicFixtures.chart(s, notes: "Tolerated well")
            otherDevice["cartridgeLotId"] = s.serum
            let lotChange = try await h.request(.post, "/api/v1/sessions/\(id)/amendments",
                                                json: ["reason": "Wrong lot typed at the time", "chart": otherDevice], token: s.practitioner)
            #expect(lotChange.status == .unprocessableContent)

            let amended = try await h.request(.post, "/api/v1/sessions/\(id)/amendments",
                                              json: ["reason": "Pain score was recorded after the session", "chart": ClinicFixtures.chart(s, notes: "Pain settled by 20 min")],
                                              token: s.practitioner)
            #expect(amended.status == .created, "\(amended.body)")
            #expect((amended.json["chart"] as? [String: Any])?["notes"] as? String == "Tolerated well")
            #expect((amended.json["currentChart"] as? [String: Any])?["notes"] as? String == "Pain settled by 20 min")
            let amendments = try #require(amended.json["amendments"] as? [[String: Any]])
            #expect(amendments.count == 1)
            #expect(amendments[0]["changedFields"] as? [String] == ["notes"])
            #expect(amendments[0]["reason"] as? String == "Pain score was recorded after the session")
            #expect(amendments[0]["author"] as? String != nil)

            // Amendments are append-only in the database too.
            await #expect(throws: (any Error).self) {
                try await h.db.write { sql in try await sql.raw("UPDATE session_amendments SET reason = 'x'").run() }
            }
            // The page shows both.
            let page = try await PageSession.signIn(h, role: .practitioner).get(h, "/sessions/\(id)")
            #expect(page.status == .ok)
            #expect(page.body.contains("Original, as signed"))
            #expect(page.body.contains("Pain score was recorded after the session"))
        }
    }

    @Test func expiredLotsAndDepthsAboveTheDeviceMaximumAreRefused() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let expired = try await h.request(.post, "/api/v1/patients/\(s.patient)/sessions", json: ["chart": ClinicFixtures.chart(s, lot: s.expired)],
                                              token: s.practitioner)
            #expect(expired.status == .unprocessableContent)
            #expect(expired.problemFields == ["cartridgeLotId"])
            let deep = try await h.request(.post, "/api/v1/patients/\(s.patient)/sessions", json: ["chart": ClinicFixtures.chart(s, depth: 2.5)], token: s.practitioner)
            #expect(deep.status == .unprocessableContent)
            #expect(deep.problemFields == ["zones[0].depthMm"])
            let wrongType = try await h.request(.post, "/api/v1/patients/\(s.patient)/sessions",
                                                json: ["chart": ["deviceId": s.device, "zones": [["zone": "nose", "depthMm": "deep"]]]], token: s.practitioner)
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.problemFields == ["chart.zones[0].depthMm"])
            // Nothing was written.
            let list = try await h.request(.get, "/api/v1/patients/\(s.patient)/sessions", token: s.practitioner)
            #expect((try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [Any])?.isEmpty == true)
        }
    }

    @Test func aFailedSameDayRescreeningStopsTheSessionWithItsReason() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try await ClinicFixtures.draftSession(h, s)
            var day = ClinicFixtures.cleanDay["dayAnswers"] as! [String: Any]
            day["activeHerpesLabialis"] = true
            let check = try await h.request(.post, "/api/v1/sessions/\(id)/checklist", json: ["dayAnswers": day], token: s.practitioner)
            #expect(check.status == .ok)
            #expect(check.json["passed"] as? Bool == false)
            let refused = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ["dayAnswers": day], token: s.practitioner,
                                              headers: [.ifMatch: "\"1\""])
            #expect(refused.status == .conflict)
            #expect(refused.problemFields.contains("checklist.rescreening"))
            // Without today's answers the checklist cannot pass either.
            let unanswered = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: [String: Any](), token: s.practitioner,
                                                 headers: [.ifMatch: "\"1\""])
            #expect(unanswered.status == .conflict)
            let read = try await h.request(.get, "/api/v1/sessions/\(id)", token: s.practitioner)
            #expect(read.json["status"] as? String == "draft")
        }
    }

    @Test func recallFindsPatientsByLotAndByDeviceSerialAsJSONAndCSV() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try await ClinicFixtures.draftSession(h, s)
            _ = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner, headers: [.ifMatch: "\"1\""])
            let byLot = try await h.request(.get, "/api/v1/recall?lot=HA-1", token: s.practitioner)
            #expect(byLot.status == .ok)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(byLot.body.utf8)) as? [[String: Any]])
            #expect(rows.count == 1)
            #expect(rows.first?["patientId"] as? String == s.patient)
            #expect(rows.first?["role"] as? String == "topical")
            #expect(rows.first?["status"] as? String == "signed")
            let bySerial = try await h.request(.get, "/api/v1/recall?serial=SN-100", token: s.practitioner)
            #expect((try JSONSerialization.jsonObject(with: Data(bySerial.body.utf8)) as? [Any])?.count == 1)
            let none = try await h.request(.get, "/api/v1/recall?lot=NOPE", token: s.practitioner)
            #expect(none.body == "[]")
            let missing = try await h.request(.get, "/api/v1/recall", token: s.practitioner)
            #expect(missing.status == .unprocessableContent)
            // Another clinic sees nothing.
            let other = try await h.token(email: h.otherClinicAdmin.email)
            let otherRows = try await h.request(.get, "/api/v1/recall?lot=HA-1", token: other)
            #expect(otherRows.body == "[]")
            let page = try await PageSession.signIn(h, role: .practitioner)
            let csv = try await page.get(h, "/recall.csv?lot=CART-7")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.split(separator: "\r\n").count == 2)
            #expect(csv.body.contains(",Ivy Boxcar,"), "the patient's name is its own field")
        }
    }

    /// Issue 11 item 8: a lot number that is a formula in spreadsheets splitting on `;` comes out
    /// of recall.csv quoted, with every segment neutralised.
    @Test func recallCSVNeutralisesFormulasSeparatedBySemicolons() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let hostile = "L;=1+2;@SUM(1)"
            let lot = try await h.request(.post, "/api/v1/lots", json: ["kind": "cartridge", "product": "36-pin cartridge", "lotNumber": hostile,
                                                                       "expiresOn": "2099-01-01", "quantity": 20, "receivedOn": "2025-01-02"],
                                          token: s.admin)
            #expect(lot.status == .created, "\(lot.body)")
            let r = try await h.request(.post, "/api/v1/patients/\(s.patient)/sessions",
                                        json: ["chart": ClinicFixtures.chart(s, lot: try #require(lot.json["id"] as? String))], token: s.practitioner)
            #expect(r.status == .created, "\(r.body)")
            let id = try #require(r.json["id"] as? String)
            let signed = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner, headers: [.ifMatch: "\"1\""])
            #expect(signed.status == .ok, "\(signed.body)")
            let page = try await PageSession.signIn(h, role: .practitioner)
            let csv = try await page.get(h, "/recall.csv?lot=\(PageSession.formEncode(hostile))")
            #expect(csv.status == .ok)
            let lines = csv.body.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 2, "\(lines)")
            #expect(lines.last?.contains(",\"L;'=1+2;'@SUM(1)\",") == true, "\(lines)")
            #expect(!csv.body.contains(";=") && !csv.body.contains(";@"), "no segment starts a formula")
        }
    }

    @Test func expectedSequelaeBecomeAdverseEventsOnlyPastTheThreshold() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let today = CalendarDate.utc(Date()).description
            let early = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
                "term": "erythema", "onsetOn": today, "grade": 1, "relatedness": "definite", "durationHours": 48], token: s.practitioner)
            #expect(early.status == .unprocessableContent)
            #expect(early.problemFields == ["term"])
            let late = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
                "term": "erythema", "onsetOn": today, "grade": 1, "relatedness": "definite", "durationHours": 80], token: s.practitioner)
            #expect(late.status == .created, "\(late.body)")
            let serious = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
                "term": "granuloma", "onsetOn": today, "grade": 3, "serious": true, "relatedness": "probable", "lotIds": [s.serum],
                "actionTaken": "Referred to dermatology"], token: s.practitioner)
            #expect(serious.status == .created, "\(serious.body)")
            let open = try await h.request(.get, "/api/v1/adverse-events?open=true", token: s.practitioner)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(open.body.utf8)) as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.first?["serious"] as? Bool == true)
            let id = try #require(late.json["id"] as? String)
            let resolved = try await h.request(.patch, "/api/v1/adverse-events/\(id)", json: ["outcome": "resolved", "resolvedOn": today],
                                               token: s.practitioner, headers: [.ifMatch: "\"1\""])
            #expect(resolved.status == .ok, "\(resolved.body)")
            #expect(resolved.json["open"] as? Bool == false)
            let page = try await PageSession.signIn(h, role: .practitioner).get(h, "/patients/\(s.patient)")
            #expect(page.body.contains("id=\"serious-ae-flag\""))
        }
    }

    @Test func consentWithdrawalIsRecordedAndNeverDeletes() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let list = try await h.request(.get, "/api/v1/patients/\(s.patient)/consents", token: s.practitioner)
            let consents = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]])
            let id = try #require(consents.first?["id"] as? String)
            let w = try await h.request(.post, "/api/v1/consents/\(id)/withdrawal", json: ["reason": "Patient changed her mind"], token: s.practitioner)
            #expect(w.status == .ok)
            #expect(w.json["valid"] as? Bool == false)
            #expect(w.json["withdrawalReason"] as? String == "Patient changed her mind")
            let twice = try await h.request(.post, "/api/v1/consents/\(id)/withdrawal", json: ["reason": "again"], token: s.practitioner)
            #expect(twice.status == .conflict)
            await #expect(throws: (any Error).self) {
                try await h.db.write { sql in try await sql.raw("DELETE FROM consents").run() }
            }
            // A session can no longer be signed on it.
            let session = try await ClinicFixtures.draftSession(h, s)
            let refused = try await h.request(.post, "/api/v1/sessions/\(session)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                              headers: [.ifMatch: "\"1\""])
            #expect(refused.problemFields == ["checklist.consent"])
        }
    }

    @Test func draftsUseVersionsAndOnlyCliniciansChart() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try await ClinicFixtures.draftSession(h, s)
            let noVersion = try await h.request(.put, "/api/v1/sessions/\(id)", json: ClinicFixtures.chart(s), token: s.practitioner)
            #expect(noVersion.status == .preconditionRequired)
            let saved = try await h.request(.put, "/api/v1/sessions/\(id)", json: ClinicFixtures.chart(s, notes: "Second save"), token: s.practitioner,
                                            headers: [.ifMatch: "\"1\""])
            #expect(saved.status == .ok)
            #expect(saved.headers[.eTag] == "\"2\"")
            let stale = try await h.request(.put, "/api/v1/sessions/\(id)", json: ClinicFixtures.chart(s), token: s.practitioner, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            let desk = try await h.token(.frontDesk)
            let forbidden = try await h.request(.post, "/api/v1/patients/\(s.patient)/sessions", json: ["chart": ClinicFixtures.chart(s)], token: desk)
            #expect(forbidden.status == .forbidden)
            let device = try await h.request(.post, "/api/v1/devices", json: ["model": "x"], token: s.practitioner)
            #expect(device.status == .forbidden)
        }
    }
}
