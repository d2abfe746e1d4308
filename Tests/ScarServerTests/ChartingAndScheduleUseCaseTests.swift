import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// Amending a session, starting and saving a draft, booking a series and moving an appointment
/// are use cases (issue 12): one transaction each, one intent-level audit entry, and a refusal
/// writes and audits nothing.
@Suite("Charting and schedule use cases")
struct ChartingAndScheduleUseCaseTests {
    static func clinician(_ h: Harness, _ role: Role = .practitioner) -> (Clinician, AuditActor) {
        let user = h.staff[role]!
        return (Clinician(user: user, today: CalendarDate.utc(Date())), AuditActor(user: user, clientAddress: "test"))
    }

    static func chart(_ s: ClinicFixtures.ChartingSetup, notes: String = "Tolerated well") throws -> SessionChart.Input {
        let data = try JSONSerialization.data(withJSONObject: ClinicFixtures.chart(s, notes: notes))
        return try JSONDecoder().decode(SessionChart.Input.self, from: data)
    }

    @Test func amendingASignedSessionAppendsOnlySessionAmend() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try await ClinicFixtures.signedSession(h, s)
            let (clinician, actor) = Self.clinician(h)
            let before = try await SignSessionTests.auditHead(h.db)
            let amended = try await AmendSession(h.db)(.init(sessionId: id, reason: "Notes were written for another patient",
                                                             chart: try Self.chart(s, notes: "Mild erythema, settled")),
                                                       by: clinician, actor: actor, now: h.now)
            #expect(amended.amendments.map(\.changedFields) == [["notes"]])
            #expect(amended.currentChart.notes == "Mild erythema, settled")
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["session.amend"])
        }
    }

    @Test func aRefusedAmendmentWritesAndAuditsNothing() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try await ClinicFixtures.signedSession(h, s)
            let (clinician, actor) = Self.clinician(h)
            let before = try await SignSessionTests.auditHead(h.db)
            var moved = try Self.chart(s)
            moved.performedOn = CalendarDate.utc(Date()).adding(days: -1).description
            await #expect(throws: Refusal.invalid([FieldError("reason", "is required (at least 10 characters)")])) {
                _ = try await AmendSession(h.db)(.init(sessionId: id, reason: "typo", chart: try Self.chart(s, notes: "Other")), by: clinician, actor: actor, now: h.now)
            }
            do {
                _ = try await AmendSession(h.db)(.init(sessionId: id, reason: "The day was entered wrongly", chart: moved), by: clinician, actor: actor, now: h.now)
                Issue.record("the day of a signed session was amended")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .invalid)
                #expect(refusal.fields.map(\.field) == ["chart.performedOn"])
            }
            let session = try await SessionRepository(h.db).find(id: id, clinicId: h.clinic.id, by: nil)
            #expect(session.amendments.isEmpty, "a refused amendment records nothing")
            #expect(try await SignSessionTests.auditActions(h.db, after: before).isEmpty, "and audits nothing")
        }
    }

    @Test func amendingADraftIsRefusedAsAConflict() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try #require(UUID(uuidString: try await ClinicFixtures.draftSession(h, s)))
            let (clinician, actor) = Self.clinician(h)
            await #expect(throws: Refusal.sessionNotSigned) {
                _ = try await AmendSession(h.db)(.init(sessionId: id, reason: "Notes were written for another patient", chart: try Self.chart(s)),
                                                 by: clinician, actor: actor, now: h.now)
            }
        }
    }

    @Test func startingAndSavingADraftEachAppendOneEntry() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let (clinician, actor) = Self.clinician(h)
            let before = try await SignSessionTests.auditHead(h.db)
            let draft = try await StartSessionDraft(h.db)(.init(patientId: s.patientUUID, chart: try Self.chart(s), appointmentId: nil, planVersionId: nil),
                                                          by: clinician, actor: actor, now: h.now)
            #expect(draft.status == .draft && draft.version == 1)
            let saved = try await SaveSessionDraft(h.db)(sessionId: draft.id, chart: try Self.chart(s, notes: "Tolerated well; cooled"), expectedVersion: 1,
                                                         by: clinician, actor: actor, now: h.now)
            #expect(saved.version == 2 && saved.chart.notes == "Tolerated well; cooled")
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["session.create", "session.update"])
            await #expect(throws: StoreError.versionConflict(current: 2)) {
                _ = try await SaveSessionDraft(h.db)(sessionId: draft.id, chart: try Self.chart(s), expectedVersion: 1, by: clinician, actor: actor, now: h.now)
            }
        }
    }

    @Test func aRefusedDraftNamesEveryFieldAndWritesNothing() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let (clinician, actor) = Self.clinician(h)
            let before = try await SignSessionTests.auditHead(h.db)
            var chart = try Self.chart(s)
            chart.cartridgeLotId = s.expired
            do {
                _ = try await StartSessionDraft(h.db)(.init(patientId: s.patientUUID, chart: chart, appointmentId: UUID(), planVersionId: nil),
                                                      by: clinician, actor: actor, now: h.now)
                Issue.record("a draft with an unknown appointment and an expired lot was started")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .invalid)
                #expect(refusal.fields.first?.field == "appointmentId", "the link's error first: \(refusal.fields)")
                #expect(refusal.fields.contains { $0.field == "cartridgeLotId" }, "and the chart's: \(refusal.fields)")
            }
            let list = try await h.request(.get, "/api/v1/patients/\(s.patient)/sessions", token: s.practitioner)
            #expect(list.body == "[]", "nothing was written")
            let actions = try await SignSessionTests.auditActions(h.db, after: before)
            #expect(actions == ["session.list"], "only the list read above is audited: \(actions)")
        }
    }

    @Test func bookingASeriesAppendsOnlyAppointmentBookAndADoubleBookingWritesNothing() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let before = try await SignSessionTests.auditHead(h.db)
            let start = "\(futureDay(10))T10:00"
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: s.series(start: start), token: s.desk)
            #expect(r.status == .created, "\(r.body)")
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["appointment.book"])
            let booked = try await SignSessionTests.auditHead(h.db)
            let again = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: s.series(start: start), token: s.desk)
            #expect(again.status == .conflict, "\(again.body)")
            #expect(again.body.contains("Double booking refused"))
            #expect(try await SignSessionTests.auditActions(h.db, after: booked).isEmpty, "a refused booking audits nothing")
            let list = try await h.request(.get, "/api/v1/patients/\(s.patientId)/appointments", token: s.desk)
            #expect((list.json["appointments"] as? [[String: Any]])?.count == 3, "and books nothing")
        }
    }

    @Test func bookSeriesPlacesInsideItsTransaction() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let (clinician, actor) = Self.clinician(h, .frontDesk)
            let settings = try await ScheduleRepository(h.db).settings(clinicId: h.clinic.id)
            let parsed = SeriesOrder(modality: .microneedling, count: 2, intervalDays: 28, minimumIntervalDays: 21, windowDays: 7, durationMinutes: 60,
                                     firstStart: try #require(QueryValuesProbe.instant("\(futureDay(10))T10:00:00Z")),
                                     practitionerId: UUID(uuidString: s.practitionerId)!, roomId: UUID(uuidString: s.roomId)!, deviceId: nil,
                                     followUpMonths: [3], planId: nil, planVersionId: nil)
            #expect(settings.windowDays >= 0)
            let booked = try await BookSeries(h.db)(parsed, patientId: UUID(uuidString: s.patientId)!, dates: .place, by: clinician, actor: actor, now: h.now)
            #expect(booked.map(\.kind) == [.session, .session, .followUp])
            #expect(Set(booked.map(\.seriesId)).count == 1)
            // An RF device for a microneedling series is refused before anything is booked.
            var wrongDevice = parsed
            wrongDevice.deviceId = UUID(uuidString: s.deviceId)!
            wrongDevice.firstStart = wrongDevice.firstStart.addingTimeInterval(120 * 86400)
            await #expect(throws: Refusal.invalid([FieldError("deviceId", "is a rf-microneedling device, not microneedling")])) {
                _ = try await BookSeries(h.db)(wrongDevice, patientId: UUID(uuidString: s.patientId)!, dates: .place, by: clinician, actor: actor, now: h.now)
            }
        }
    }

    @Test func reschedulingAppendsOnlyAppointmentRescheduleAndARefusalMovesNothing() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let r = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                        json: s.series(start: "\(futureDay(10))T10:00", followUps: [1]), token: s.desk)
            let list = try #require(r.json["appointments"] as? [[String: Any]])
            let second = try #require(UUID(uuidString: list[1]["id"] as! String))
            let (clinician, actor) = Self.clinician(h, .frontDesk)
            let before = try await SignSessionTests.auditHead(h.db)
            let later = try #require(QueryValuesProbe.instant("\(futureDay(52))T11:00:00Z"))
            let moved = try await RescheduleAppointment(h.db)(appointmentId: second, to: later, expectedVersion: 1, by: clinician, actor: actor, now: h.now)
            #expect(moved.first?.id == second && moved.count == 3)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["appointment.reschedule"])
            let movedAt = try await SignSessionTests.auditHead(h.db)
            let early = try #require(QueryValuesProbe.instant("\(futureDay(12))T11:00:00Z"))
            do {
                _ = try await RescheduleAppointment(h.db)(appointmentId: second, to: early, expectedVersion: 2, by: clinician, actor: actor, now: h.now)
                Issue.record("moved below the minimum interval")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .conflict && refusal.fields.map(\.field) == ["start"])
            }
            #expect(try await SignSessionTests.auditActions(h.db, after: movedAt).isEmpty)
            let stored = try await ScheduleRepository(h.db).appointment(id: second, clinicId: h.clinic.id, by: actor)
            #expect(stored.version == 2 && stored.startsAt == later, "the refused move changed nothing")
        }
    }
}

/// ISO 8601 instants for the tests (the server's reader is internal).
enum QueryValuesProbe {
    static func instant(_ raw: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: raw)
    }
}
