import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 14, part B, through the real database on either engine: what the patient reports
/// between visits reaches the clinic's day home, and a clinician confirms or dismisses it.
/// Each use case is one transaction with one audit entry; a refused call writes nothing.
@Suite("Check-ins, problem reports and suspected adverse events")
struct CheckInUseCaseTests {
    struct Course {
        var setup: ClinicFixtures.ChartingSetup
        var sessionId: UUID
        var patient: PortalPatient
        var photos: ReportedPhotoIntake
        var caller: ConsentAndAdverseEventUseCaseTests.Caller
        var actor: AuditActor
    }

    /// A patient with a signed session today, and the photo store of a throwaway data folder.
    static func course(_ h: Harness) async throws -> Course {
        let s = try await ClinicFixtures.readyToChart(h)
        let draft = try await ClinicFixtures.draftSession(h, s)
        let signed = try await h.request(.post, "/api/v1/sessions/\(draft)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                         headers: [.ifMatch: "\"1\""])
        #expect(signed.status == .ok, "\(signed.body)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkins-\(UUID().lower)").path
        let photos = ReportedPhotoIntake(files: PhotoStore(dataDirectory: folder), maxBytes: 1024 * 1024)
        return Course(setup: s, sessionId: try #require(UUID(uuidString: draft)),
                      patient: PortalPatient(patientId: s.patientUUID, clinicId: h.clinic.id, today: CalendarDate.utc(Date())),
                      photos: photos, caller: ConsentAndAdverseEventUseCaseTests.caller(h, s),
                      actor: .patient(clinicId: h.clinic.id, clientAddress: "203.0.113.9"))
    }

    static func on(_ c: Course, day: Int) -> PortalPatient {
        PortalPatient(patientId: c.patient.patientId, clinicId: c.patient.clinicId, today: c.patient.today.adding(days: day))
    }

    static func checkIn(redness: String, unexpected: String = "no", note: String? = nil, signs: [String] = []) -> CheckInAnswers.Input {
        .init(redness: redness, swelling: "none", pain: "mild", signs: signs, unexpected: unexpected, note: note)
    }

    static func actors(_ db: ScarDatabase, after seq: Int) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw("SELECT actor FROM audit_log WHERE seq > \(bind: seq) ORDER BY seq").all().map { try $0.decode(column: "actor", as: String.self) }
        }
    }

    @Test func aCheckInBeyondExpectedReachesTheDayHomeAndConfirmingItRecordsAnEventLinkedToTheSession() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let record = RecordCheckIn(h.db, photos: c.photos)
            for day in 1...3 {
                let before = try await SignSessionTests.auditHead(h.db)
                let r = try await record(Self.checkIn(redness: day == 3 ? "mild" : "moderate"), for: Self.on(c, day: day), actor: c.actor, now: h.now)
                #expect(r.day == day && !r.evaluation.beyondExpected && r.suspectedId == nil, "day \(day): redness within 72 h is expected")
                #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["check-in.create"])
                #expect(try await Self.actors(h.db, after: before) == ["patient"], "entered by the patient, not by staff")
            }
            await #expect(throws: Refusal.self, "one check-in a day") {
                _ = try await record(Self.checkIn(redness: "none"), for: Self.on(c, day: 3), actor: c.actor, now: h.now)
            }
            let day4 = try await record(Self.checkIn(redness: "mild"), photos: [ImageFixtures.png(rgb: (220, 40, 40))], for: Self.on(c, day: 4),
                                        actor: c.actor, now: h.now)
            #expect(day4.evaluation.reasons.map(\.code) == ["redness-duration"])
            #expect(day4.photoIds.count == 1)
            let suspectedId = try #require(day4.suspectedId)

            let home = try await ClinicDayTests.read(h, on: CalendarDate.utc(Date()).description)
            let listed = try #require(home.suspectedAdverseEvents.first { $0.id == suspectedId })
            #expect(home.suspectedAdverseEvents.count == 1)
            #expect(listed.day == 4 && listed.sessionId == c.sessionId && listed.suggestedTerm == "erythema")
            #expect(listed.photoIds == day4.photoIds && listed.reasons.first?.source == SequelaThresholds.source)

            let before = try await SignSessionTests.auditHead(h.db)
            let events = try await ConsentAndAdverseEventUseCaseTests.count(h, "adverse_events")
            let event = try await ConfirmSuspectedAdverseEvent(h.db)(
                suspectedId, details: .init(term: "erythema", onsetOn: CalendarDate.utc(Date()).description, grade: 1, relatedness: "probable",
                                            durationHours: 96),
                by: c.caller.clinician, actor: c.caller.actor, now: h.now)
            #expect(event.details.sessionId == c.sessionId, "linked to the session the patient reported about")
            #expect(event.details.grade == .mild && event.details.term == "erythema")
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["suspected-adverse-event.confirm"])
            #expect(try await ConsentAndAdverseEventUseCaseTests.count(h, "adverse_events") == events + 1)
            #expect(try await ClinicDayTests.read(h, on: CalendarDate.utc(Date()).description).suspectedAdverseEvents.isEmpty)
            await #expect(throws: Refusal.self, "a report is decided once") {
                _ = try await DismissSuspectedAdverseEvent(h.db)(suspectedId, reason: nil, by: c.caller.clinician, actor: c.caller.actor, now: h.now)
            }
        }
    }

    @Test func anExpectedSequelaWithinTheThresholdIsNotConfirmedAndNothingIsWritten() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let r = try await RecordCheckIn(h.db, photos: c.photos)(Self.checkIn(redness: "mild", unexpected: "yes", note: "It feels hot"),
                                                                  for: Self.on(c, day: 1), actor: c.actor, now: h.now)
            let suspectedId = try #require(r.suspectedId)
            let before = try await SignSessionTests.auditHead(h.db)
            do {
                _ = try await ConfirmSuspectedAdverseEvent(h.db)(
                    suspectedId, details: .init(term: "erythema", onsetOn: CalendarDate.utc(Date()).description, grade: 1, relatedness: "possible",
                                                durationHours: 24),
                    by: c.caller.clinician, actor: c.caller.actor, now: h.now)
                Issue.record("an expected sequela within 72 h was recorded as an adverse event")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .invalid && refusal.fields.map(\.field) == ["term"])
            }
            #expect(try await SignSessionTests.auditHead(h.db) == before)
            #expect(try await ClinicDayTests.read(h, on: CalendarDate.utc(Date()).description).suspectedAdverseEvents.map(\.id) == [suspectedId],
                    "still open")
        }
    }

    @Test func aProblemReportIsOnTheDayHomeAtOnceAndDismissingItIsAudited() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let reported = try await ReportProblem(h.db, photos: c.photos)(
                .init(description: "A rash on my left cheek", signs: ["rash"]),
                photos: [ImageFixtures.png(rgb: (1, 2, 3)), ImageFixtures.png(rgb: (4, 5, 6))], for: c.patient, actor: c.actor, now: h.now)
            #expect(reported.photoIds.count == 2)
            let home = try await ClinicDayTests.read(h, on: CalendarDate.utc(Date()).description)
            let listed = try #require(home.suspectedAdverseEvents.first)
            #expect(listed.problemReportId == reported.reportId && listed.sessionId == c.sessionId && listed.suggestedTerm == "hypersensitivity")
            #expect(listed.reasons.map(\.code) == ["problem-report", "sign.rash"])

            let before = try await SignSessionTests.auditHead(h.db)
            try await DismissSuspectedAdverseEvent(h.db)(reported.suspectedId, reason: "Seen by phone: heat rash", by: c.caller.clinician,
                                                         actor: c.caller.actor, now: h.now)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["suspected-adverse-event.dismiss"])
            let state = try await h.db.read { sql in
                try await sql.raw("SELECT state, dismiss_reason FROM suspected_adverse_events").first()!
            }
            #expect(try state.decode(column: "state", as: String.self) == "dismissed")
            #expect(try state.decode(column: "dismiss_reason", as: String.self) == "Seen by phone: heat rash")
            #expect(try await ClinicDayTests.read(h, on: CalendarDate.utc(Date()).description).suspectedAdverseEvents.isEmpty)
        }
    }

    @Test func staffOfTheClinicSeeAReportedPhotoAndTheConfirmPageOthersDoNot() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let photos = ReportedPhotoIntake(files: PhotoStore(dataDirectory: Harness.configuration().dataDirectory), maxBytes: 1024 * 1024)
            let reported = try await ReportProblem(h.db, photos: photos)(.init(description: "Swollen"), photos: [ImageFixtures.png(rgb: (9, 8, 7))],
                                                                         for: c.patient, actor: c.actor, now: h.now)
            let photo = try #require(reported.photoIds.first).lower
            let seen = try await h.request(.get, "/reported-photos/\(photo)/image", token: c.setup.practitioner, headers: [.accept: "image/*"])
            #expect(seen.status == .ok, "\(seen.body)")
            #expect(seen.headers[.contentType] == "image/png")
            let other = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/reported-photos/\(photo)/image", token: other).status == .notFound)
            let page = try await h.request(.get, "/suspected-adverse-events/\(reported.suspectedId.lower)", token: c.setup.practitioner,
                                           headers: [.accept: "text/html"])
            #expect(page.status == .ok && page.body.contains("Problem report") && page.body.contains("Swollen"))
            let desk = try await h.token(.frontDesk)
            #expect(try await h.request(.get, "/suspected-adverse-events/\(reported.suspectedId.lower)", token: desk,
                                        headers: [.accept: "text/html"]).status == .forbidden, "confirming is for clinicians")
        }
    }

    @Test func anUploadThatIsNotAnImageIsRefusedAndNothingIsWritten() async throws {
        try await Harness.run { h in
            let c = try await Self.course(h)
            let before = try await SignSessionTests.auditHead(h.db)
            for (bytes, message) in [(Array("<script>alert(1)</script>".utf8), "must be a JPEG or PNG image"),
                                     ([UInt8](repeating: 0xFF, count: 2 * 1024 * 1024), "is larger than 1 MiB")] {
                do {
                    _ = try await ReportProblem(h.db, photos: c.photos)(.init(description: "Look"), photos: [ImageFixtures.png(), bytes],
                                                                         for: c.patient, actor: c.actor, now: h.now)
                    Issue.record("accepted")
                } catch let refusal as Refusal {
                    #expect(refusal.fields == [FieldError("photos[1]", message)])
                }
                await #expect(throws: Refusal.self) {
                    _ = try await RecordCheckIn(h.db, photos: c.photos)(Self.checkIn(redness: "none"), photos: [bytes], for: Self.on(c, day: 1),
                                                                        actor: c.actor, now: h.now)
                }
            }
            #expect(try await SignSessionTests.auditHead(h.db) == before)
            for table in ["problem_reports", "check_ins", "reported_photos", "suspected_adverse_events"] {
                #expect(try await ConsentAndAdverseEventUseCaseTests.count(h, table) == 0, "\(table)")
            }
        }
    }

    @Test func preSessionAnswersThatDeferStopTheVisitOnTheDayHome() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let day = futureDay(10)
            let appointmentId = try #require(UUID(uuidString: try await ClinicDayTests.bookOne(h, patient: s.patient, day: day, admin: s.admin)))
            let visit = try #require(try await ClinicDayTests.read(h, on: day).visits.first { $0.appointment.id == appointmentId })
            let startsAt = visit.appointment.startsAt
            #expect(visit.readiness?.items.contains { $0.id == "pre-session" } == false, "nothing answered, nothing shown")
            let patient = PortalPatient(patientId: s.patientUUID, clinicId: h.clinic.id, today: CalendarDate.utc(Date()))
            let actor = AuditActor.patient(clinicId: h.clinic.id, clientAddress: "203.0.113.9")
            var answers = CheckInRulesAnswers.allNo
            answers["cold-sore"] = "yes"
            answers["new-medicines"] = "not-sure"
            await #expect(throws: Refusal.self, "not open four days before") {
                _ = try await AnswerPreSessionQuestions(h.db)(answers, appointmentId: appointmentId, for: patient, actor: actor,
                                                              now: startsAt.addingTimeInterval(-96 * 3600))
            }
            let otherId = try #require(try await h.registerPatient(token: s.practitioner, given: "Oli", family: "Other").json["id"] as? String)
            let other = try #require(UUID(uuidString: otherId))
            await #expect(throws: StoreError.self, "another patient's appointment is unknown") {
                _ = try await AnswerPreSessionQuestions(h.db)(answers, appointmentId: appointmentId,
                                                              for: PortalPatient(patientId: other, clinicId: h.clinic.id, today: patient.today),
                                                              actor: actor, now: startsAt.addingTimeInterval(-3600))
            }
            let before = try await SignSessionTests.auditHead(h.db)
            let result = try await AnswerPreSessionQuestions(h.db)(answers, appointmentId: appointmentId, for: patient, actor: actor,
                                                                   now: startsAt.addingTimeInterval(-3600))
            #expect(result.outcome == .defer)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["pre-session.answer"])
            let after = try #require(try await ClinicDayTests.read(h, on: day).visits.first { $0.appointment.id == appointmentId })
            let item = try #require(after.readiness?.items.first { $0.id == "pre-session" })
            #expect(item.state == .stop)
            #expect(item.detail.contains("Cold sore: yes") && item.detail.contains("New medicines: not sure"), "\(item.detail)")
            #expect(after.readiness?.summary.hasPrefix("Stop: the patient's answers defer the session") == true)
        }
    }
}

/// The all-"no" answers, shared with the ScarCore tests' shape.
enum CheckInRulesAnswers {
    static let allNo = Dictionary(uniqueKeysWithValues: PreSessionQuestionnaire.questions.map { ($0.id, "no") })
}
