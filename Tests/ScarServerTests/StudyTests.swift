import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Split-face studies")
struct StudyTests {
    static var design: [String: Any] { ["title": "PRP split-face", "protocol": "3 sessions, 4 weeks apart", "armA": "MN + PRP",
                                        "armB": "MN + saline", "outcomeScale": "gb-quantitative", "timePoints": ["baseline", "6 months"],
                                        "targetEnrolment": 3] }

    /// A patient who signed the clinic's research consent (the template is added once per clinic).
    static func consentedPatient(_ h: Harness, token: String) async throws -> String {
        let admin = try await h.token(.admin)
        let templates = try await h.request(.get, "/api/v1/consent-templates", token: admin)
        if !templates.body.contains("\"research\"") {
            let t = try await h.request(.post, "/api/v1/consent-templates", json: [
                "kind": "research", "title": "Consent to take part in a split-face study", "body": "What the study is.\n\nYou may withdraw."], token: admin)
            #expect(t.status == .created, "\(t.body)")
        }
        let pid = try await h.patientId(token: token)
        let c = try await h.request(.post, "/api/v1/patients/\(pid)/consents", json: ["kind": "research", "signerName": "Rita Rolling", "agreed": true],
                                    token: token)
        #expect(c.status == .created, "\(c.body)")
        return pid
    }

    @Test func enrolRateAndAnalyseWithConcealedAllocation() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let created = try await h.request(.post, "/api/v1/studies", json: Self.design, token: token)
            #expect(created.status == .created)
            #expect(created.json["seed"] == nil, "only admins see the seed")
            let id = try #require(created.json["id"] as? String)
            let noConsent = try await h.request(.post, "/api/v1/studies/\(id)/participants",
                                                json: ["patientId": try await h.patientId(token: token)], token: token)
            #expect(noConsent.status == .unprocessableContent)
            #expect(noConsent.problemFields.contains("researchConsent"))
            var codes: [String] = []
            for _ in 0..<3 {
                let pid = try await Self.consentedPatient(h, token: token)
                let p = try await h.request(.post, "/api/v1/studies/\(id)/participants", json: ["patientId": pid], token: token)
                #expect(p.status == .created)
                codes.append(try #require(p.json["code"] as? String))
            }
            let full = try await h.request(.post, "/api/v1/studies/\(id)/participants",
                                           json: ["patientId": try await Self.consentedPatient(h, token: token)], token: token)
            #expect(full.status == .conflict)
            for (i, code) in codes.enumerated() {
                for side in ["left", "right"] {
                    let r = try await h.request(.post, "/api/v1/studies/\(id)/ratings",
                                                json: ["participant": code, "timePoint": "6 months", "side": side, "value": 10 + i + (side == "left" ? 0 : 2)], token: token)
                    #expect(r.status == .created)
                }
            }
            let again = try await h.request(.post, "/api/v1/studies/\(id)/ratings",
                                            json: ["participant": codes[0], "timePoint": "6 months", "side": "left", "value": 1], token: token)
            #expect(again.status == .conflict, "a rating is never overwritten")
            let researcher = try await h.token(.researcher)
            let detail = try await h.request(.get, "/api/v1/studies/\(id)", token: researcher)
            #expect(detail.status == .ok)
            let participants = try #require(detail.json["participants"] as? [[String: Any]])
            #expect(participants.allSatisfy { $0["armASide"] == nil }, "researchers do not see allocations")
            let analysis = try #require(detail.json["analysis"] as? [[String: Any]])
            #expect(analysis.last?["n"] as? Int == 3)
            let admin = try await h.token(.admin)
            let audited = try await h.request(.get, "/api/v1/studies/\(id)", token: admin)
            let seed = try #require(UInt64((audited.json["study"] as? [String: Any])?["seed"] as? String ?? ""))
            let sides = SplitFaceRandomization.armASides(seed: seed, count: 3)
            let revealed = (audited.json["participants"] as? [[String: Any]] ?? []).compactMap { $0["armASide"] as? String }
            #expect(revealed == sides.map(\.rawValue), "an auditor reproduces every allocation from the seed")
        }
    }

    @Test func enrolmentRestsOnTheSignedResearchConsentAndWithdrawalStopsRating() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.request(.post, "/api/v1/studies", json: Self.design, token: token).json["id"] as? String)
            let pid = try await Self.consentedPatient(h, token: token)
            let consents = try JSONSerialization.jsonObject(with: Data(try await h.request(.get, "/api/v1/patients/\(pid)/consents", token: token).body.utf8))
            let consentId = try #require(((consents as? [[String: Any]])?.first { $0["kind"] as? String == "research" })?["id"] as? String)
            let stale = try await h.request(.post, "/api/v1/studies/\(id)/participants", json: ["patientId": pid, "researchConsent": "RC-1"], token: token)
            #expect(stale.status == .unprocessableContent, "a typed reference is no longer accepted: the signed consent is looked up")
            #expect(stale.problemFields.contains("researchConsent"))
            let p = try await h.request(.post, "/api/v1/studies/\(id)/participants", json: ["patientId": pid], token: token)
            #expect(p.status == .created)
            let code = try #require(p.json["code"] as? String)
            let stored = try await h.db.read { sql in
                try await sql.raw("SELECT research_consent FROM study_participants WHERE code = \(bind: code)").first()?
                    .decode(column: "research_consent", as: String.self)
            }
            #expect(stored == consentId, "the participant points at the signed consent document")
            let rated = try await h.request(.post, "/api/v1/studies/\(id)/ratings",
                                            json: ["participant": code, "timePoint": "baseline", "side": "left", "value": 12], token: token)
            #expect(rated.status == .created)
            let w = try await h.request(.post, "/api/v1/consents/\(consentId)/withdrawal", json: ["reason": "No longer wishes to take part"], token: token)
            #expect(w.status == .ok)
            let after = try await h.request(.post, "/api/v1/studies/\(id)/ratings",
                                            json: ["participant": code, "timePoint": "baseline", "side": "right", "value": 11], token: token)
            #expect(after.status == .conflict, "no new data after withdrawal")
            #expect(after.problemFields.contains("participant"))
            let page = try await PageSession.signIn(h, role: .practitioner).get(h, "/studies/\(id)")
            #expect(page.body.contains("research consent withdrawn"))
            // A patient whose only research consent was withdrawn cannot be enrolled in another study.
            let other = try #require(try await h.request(.post, "/api/v1/studies", json: Self.design, token: token).json["id"] as? String)
            let refused = try await h.request(.post, "/api/v1/studies/\(other)/participants", json: ["patientId": pid], token: token)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.problemFields.contains("researchConsent"))
        }
    }

    /// Issue 11 item 5: one submission, one transaction. With one cell already rated, a form that
    /// sends that cell and eleven new ones is refused whole (nothing saved, whatever the order the
    /// cells are read in), and comes back with the conflicting cell marked and the typed values kept.
    @Test func aRefusedRatingFormSavesNothingAndMarksTheConflictingCell() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.request(.post, "/api/v1/studies", json: Self.design, token: token).json["id"] as? String)
            var codes: [String] = []
            for _ in 0..<3 {
                let p = try await h.request(.post, "/api/v1/studies/\(id)/participants",
                                            json: ["patientId": try await Self.consentedPatient(h, token: token)], token: token)
                codes.append(try #require(p.json["code"] as? String))
            }
            let first = try await h.request(.post, "/api/v1/studies/\(id)/ratings",
                                            json: ["participant": codes[0], "timePoint": "baseline", "side": "left", "value": 12], token: token)
            #expect(first.status == .created)
            func ratings() async throws -> Int {
                try await h.db.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM study_measurements").first()!.decode(column: "n", as: Int.self)
                }
            }
            #expect(try await ratings() == 1)
            let conflicting = "r|\(codes[0])|baseline|left"
            var cells: [(String, String)] = [(conflicting, "5")]
            for (i, code) in codes.enumerated() {
                for point in ["baseline", "6 months"] {
                    for side in ["left", "right"] where "r|\(code)|\(point)|\(side)" != conflicting {
                        cells.append(("r|\(code)|\(point)|\(side)", String(20 + i)))
                    }
                }
            }
            #expect(cells.count == 12)
            let rater = try await PageSession.signIn(h, role: .practitioner)
            let refused = try await rater.post(h, "/studies/\(id)/ratings", cells)
            #expect(refused.status == .conflict)
            #expect(try await ratings() == 1, "a refused submission saves nothing")
            #expect(refused.body.contains("data-cell=\"\(conflicting)\""), "the conflicting cell is marked")
            #expect(refused.body.contains("already rated: your 5 was not saved"))
            #expect(refused.body.contains("name=\"r|\(codes[2])|6 months|right\" value=\"22\""), "the other typed values are kept")
            #expect(refused.body.contains("nothing of this submission was saved"))
            // The rater can redo the form: without the rated cell, every other cell is saved.
            let redo = try await rater.post(h, "/studies/\(id)/ratings", cells.filter { $0.0 != conflicting })
            #expect(redo.status == .seeOther)
            #expect(try await ratings() == 12)
            // The API (one rating per call) still refuses a rated cell with 409 naming `side`.
            let again = try await h.request(.post, "/api/v1/studies/\(id)/ratings",
                                            json: ["participant": codes[1], "timePoint": "baseline", "side": "left", "value": 1], token: token)
            #expect(again.status == .conflict && again.problemFields == ["side"])
            #expect(try await ratings() == 12)
        }
    }

    @Test func otherClinicsAndFrontDeskCannotUseTheStudy() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.request(.post, "/api/v1/studies", json: Self.design, token: token).json["id"] as? String)
            let theirs = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/api/v1/studies/\(id)", token: theirs).status == .notFound)
            #expect(try await h.request(.get, "/api/v1/studies", token: try await h.token(.frontDesk)).status == .forbidden)
        }
    }
}

@Suite("Blinded rating")
struct BlindedRatingTests {
    @Test func ratersSeeSidePhotosOnlyOfParticipantsWithPhotoUseConsent() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let admin = try await h.token(.admin)
            _ = try await h.request(.post, "/api/v1/consent-templates", json: [
                "kind": "photo-use", "title": "Use of clinical photographs", "body": "Photos may be used for research grading."], token: admin)
            let id = try #require(try await h.request(.post, "/api/v1/studies", json: StudyTests.design, token: token).json["id"] as? String)
            var photos: [String] = []
            var codes: [String] = []
            for (i, photoConsent) in [true, false].enumerated() {
                let pid = try await StudyTests.consentedPatient(h, token: token)
                if photoConsent {
                    let c = try await h.request(.post, "/api/v1/patients/\(pid)/consents", json: ["kind": "photo-use", "signerName": "Rita Rolling",
                                                                                                 "agreed": true], token: token)
                    #expect(c.status == .created, "\(c.body)")
                }
                let upload = try await h.upload(Multipart.photo(ImageFixtures.png(rgb: (UInt8(40 + i), 9, 9)), view: "oblique-left",
                                                                capturedOn: CalendarDate.utc(Date()).description), patient: pid, token: token)
                photos.append(try #require(upload.json["id"] as? String))
                let p = try await h.request(.post, "/api/v1/studies/\(id)/participants", json: ["patientId": pid], token: token)
                codes.append(try #require(p.json["code"] as? String))
            }
            let rater = try await PageSession.signIn(h, role: .blindedRater)
            let page = try await rater.get(h, "/studies/\(id)")
            #expect(page.status == .ok)
            #expect(page.body.contains("/studies/\(id)/rating-photos/\(photos[0])"), "the consented participant's side photo is offered")
            #expect(!page.body.contains(photos[1]), "no photo of a participant without photo-use consent")
            #expect(page.body.contains("Photos withheld: no photo-use consent"))
            #expect(page.body.contains("Oblique left, day 0"), "dated in days from enrolment")
            #expect(!page.body.contains("Rita"), "the rater never sees a name")

            let image = try await rater.get(h, "/studies/\(id)/rating-photos/\(photos[0])")
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/png")
            let refused = try await rater.get(h, "/studies/\(id)/rating-photos/\(photos[1])")
            #expect(refused.status == .notFound, "without photo-use consent the photo is not used for research")
            // The rater cannot reach the care route for the same photo.
            #expect(try await rater.get(h, "/photos/\(photos[0])/image").status == .forbidden)
            let viewed = photos[0].uppercased()
            let purposes = try await h.db.read { sql in
                try await sql.raw("SELECT details FROM audit_log WHERE action = 'photo.view' AND record_id = \(bind: viewed)")
                    .all().map { try $0.decode(column: "details", as: String.self) }
            }
            #expect(purposes.count == 1 && purposes[0].contains("\"purpose\":\"research\""), "\(purposes)")
        }
    }

    @Test func blindedRaterRatesSidesWithoutSeeingArmsOrAnalysis() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.request(.post, "/api/v1/studies", json: StudyTests.design, token: token).json["id"] as? String)
            let p = try await h.request(.post, "/api/v1/studies/\(id)/participants",
                                        json: ["patientId": try await StudyTests.consentedPatient(h, token: token)], token: token)
            let code = try #require(p.json["code"] as? String)
            let rater = try await h.token(.blindedRater)
            let rated = try await h.request(.post, "/api/v1/studies/\(id)/ratings",
                                            json: ["participant": code, "timePoint": "baseline", "side": "left", "value": 14], token: rater)
            #expect(rated.status == .created)
            let seen = try await h.request(.get, "/api/v1/studies/\(id)", token: rater)
            #expect((seen.json["participants"] as? [[String: Any]])?.allSatisfy { $0["armASide"] == nil } == true)
            #expect((seen.json["analysis"] as? [Any])?.isEmpty == true)
            let s = try await PageSession.signIn(h, role: .blindedRater)
            let page = try await s.get(h, "/studies/\(id)")
            #expect(page.status == .ok)
            #expect(!page.body.contains("MN + PRP</td>"), "no arm label next to a side")
            #expect(!page.body.contains("id=\"analysis\""))
        }
    }
}
