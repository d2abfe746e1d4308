import Foundation
import ScarCore
@testable import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// The analytics over the facts tables (migration 0035) give exactly the figures of the old
/// query that read every chart's JSON, for every filter, and stay identical after the writes
/// that change the facts (an amendment that changes the deepest depth, an adverse event linked
/// to a session, a new assessment, a new intake). Runs on the engine `TestDatabase` selects.
@Suite("Analytics facts: identical to scanning the charts")
struct AnalyticsFactsTests {
    static func filters(_ ac: AnalyticsClinic) -> [(String, AnalyticsFilter)] {
        let day = { (n: Int) in CalendarDate(AnalyticsClinic.day(n)) }
        return [
            ("none", AnalyticsFilter()),
            ("to day 40", AnalyticsFilter(to: day(40))),
            ("to day 100", AnalyticsFilter(to: day(100))),
            ("days 30–130", AnalyticsFilter(from: day(30), to: day(130))),
            ("from day 60", AnalyticsFilter(from: day(60))),
            ("practitioner A", AnalyticsFilter(practitionerId: ac.practitionerA.id)),
            ("practitioner B", AnalyticsFilter(practitionerId: ac.practitionerB.id)),
            ("template 1", AnalyticsFilter(protocolTemplateId: ac.template1)),
            ("template 2", AnalyticsFilter(protocolTemplateId: ac.template2)),
            ("B, template 2, to day 100", AnalyticsFilter(to: day(100), practitionerId: ac.practitionerB.id, protocolTemplateId: ac.template2)),
            ("nobody's protocol", AnalyticsFilter(protocolTemplateId: UUID())),
        ]
    }

    /// Every filter, with the default bands and narrower ones; returns the unfiltered figures.
    @discardableResult
    static func expectIdentical(_ db: ScarDatabase, _ ac: AnalyticsClinic, _ stage: String) async throws -> ClinicAnalytics {
        let repo = AnalyticsRepository(db)
        let narrow = try DepthBands.parse("0.5, 1.25, 2.0").get()
        for bands in [DepthBands.productDefault, narrow] {
            for (label, filter) in filters(ac) {
                let facts = try await repo.compute(clinicId: ac.clinic.id, filter: filter, bands: bands)
                let charts = try await repo.computeByScanningCharts(clinicId: ac.clinic.id, filter: filter, bands: bands)
                #expect(facts == charts, "\(stage), \(label), bands \(bands.text): facts \(facts) vs charts \(charts)")
            }
        }
        return try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(), bands: .productDefault)
    }

    static func sessions(of patientId: UUID, _ db: ScarDatabase) async throws -> [UUID] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT id FROM treatment_sessions WHERE patient_id = \(bind: patientId) AND status = 'signed' ORDER BY performed_on
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
        }
    }

    @Test func identicalForEveryFilterAndAfterEveryWriteThatChangesTheFacts() async throws {
        try await TestDatabase.with { db in
            let ac = try await AnalyticsClinic.make(db)
            let actor = AuditActor(user: ac.practitionerA, clientAddress: "127.0.0.1")
            let before = try await Self.expectIdentical(db, ac, "as written")
            #expect(before.patientsTreated == 20 && before.sessionsSigned == 62, "the known-answer clinic")

            // An amendment deepens the first (0.50 mm) session of patient 3 (1.00 mm course) to 2.25 mm.
            let patient = ac.patients[2]
            let first = try #require(try await Self.sessions(of: patient, db).first)
            let sessions = SessionRepository(db)
            var chart = try await sessions.find(id: first, clinicId: ac.clinic.id, by: nil).currentChart
            chart.zones[0].depthMm = 2.25
            _ = try await sessions.amend(id: first, clinicId: ac.clinic.id, reason: "Depth entered wrongly", after: chart,
                                         authorId: ac.practitionerA.id, by: actor)
            let amended = try await Self.expectIdentical(db, ac, "after the amendment")
            let deepest = { (a: ClinicAnalytics) in a.groups(.depthBand).first { $0.key == "b2" }?.patients ?? 0 }
            #expect(deepest(amended) == deepest(before) + 1, "the amended course moved to the > 1.50 mm band")

            // A second amendment of the same session: the latest one counts.
            chart.zones[0].depthMm = 0.75
            _ = try await sessions.amend(id: first, clinicId: ac.clinic.id, reason: "Corrected again", after: chart,
                                         authorId: ac.practitionerA.id, by: actor)
            let reamended = try await Self.expectIdentical(db, ac, "after the second amendment")
            #expect(deepest(reamended) == deepest(before))

            // Patient 12's unlinked adverse event (day 70) is linked to their second session, and a
            // new one is recorded against patient 1's first session.
            let twelve = ac.patients[11]
            let twelveSessions = try await Self.sessions(of: twelve, db)
            let eventId = try await db.read { sql in
                try await sql.raw("SELECT id FROM adverse_events WHERE patient_id = \(bind: twelve)").first()!.decode(column: "id", as: UUID.self)
            }
            try await db.write(unitOfWork: { tx in
                let event = try await tx.adverseEvent(id: eventId, clinicId: ac.clinic.id)
                var details = event.details
                details.sessionId = twelveSessions[1]
                _ = try await tx.write(details, of: event, clinicId: ac.clinic.id, now: Date())
            })
            let oneFirst = try #require(try await Self.sessions(of: ac.patients[0], db).first)
            let input = AdverseEventDetails.Input(term: "pih", onsetOn: AnalyticsClinic.day(9), grade: CTCAEGrade.mild.rawValue, serious: false,
                                                  relatedness: Relatedness.possible.rawValue, outcome: AEOutcome.ongoing.rawValue,
                                                  sessionId: oneFirst.lower)
            let settings = try await DeviceLotRepository(db).settings(clinicId: ac.clinic.id)
            let details = try AdverseEventDetails.validate(input, today: CalendarDate("2026-11-21")!, thresholds: settings.thresholds).get()
            _ = try await AdverseEventRepository(db).record(details, patientId: ac.patients[0], clinicId: ac.clinic.id,
                                                            reporterId: ac.practitionerA.id, by: actor)
            let linked = try await Self.expectIdentical(db, ac, "after linking adverse events")
            #expect(linked.adverseEvents.sessionsWithEvent == before.adverseEvents.sessionsWithEvent + 2)
            #expect(linked.adverseEvents.events == before.adverseEvents.events + 1)

            // Patient 5 (no follow-up) is assessed again, one grade better, and gets a new intake.
            let five = ac.patients[4]
            let followUp = try SyntheticCourse.Assessment(day: 200, grade: 2, counts: [.boxcar: 4])
                .details(on: AnalyticsClinic.start.adding(days: 200), today: CalendarDate("2026-11-21")!)
            _ = try await AssessmentRepository(db).create(followUp, patientId: five, clinicId: ac.clinic.id, raterId: ac.practitionerA.id, by: actor)
            let intake = try Intake.parse(json: Data(#"{"activeAcneInArea":false,"fitzpatrick":2}"#.utf8))
            _ = try await IntakeRepository(db).record(intake, patientId: five, clinicId: ac.clinic.id, recordedOn: AnalyticsClinic.start.adding(days: 200),
                                                      by: actor)
            let assessed = try await Self.expectIdentical(db, ac, "after a new assessment and intake")
            #expect(assessed.overall?.evaluable == before.overall!.evaluable + 1)
            #expect(assessed.overall?.responders == before.overall!.responders + 1)
            #expect(assessed.groups(.fitzpatrickType).first { $0.key == "2" }?.patients
                == before.groups(.fitzpatrickType).first { $0.key == "2" }.map { $0.patients + 1 })
        }
    }

    /// The migration's back-fill builds the same facts as the writers kept.
    @Test func backfillRebuildsTheFactsTheWritersKept() async throws {
        try await TestDatabase.with { db in
            let ac = try await AnalyticsClinic.make(db)
            let repo = AnalyticsRepository(db)
            let kept = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(), bands: .productDefault)
            let engine = db.engine
            try await db.write { sql in
                for table in ["analytics_session_facts", "analytics_patient_facts", "analytics_assessment_facts"] {
                    try await sql.raw("DELETE FROM \(unsafeRaw: table)").run()
                }
            }
            let empty = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(), bands: .productDefault)
            #expect(empty.patientsTreated == 0, "the figures come from the facts")
            try await db.write { sql in
                for statement in AnalyticsFacts.backfill(engine) { try await sql.raw(SQLQueryString(Dialect.expand(statement, for: engine))).run() }
            }
            let rebuilt = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(), bands: .productDefault)
            #expect(rebuilt == kept)
            try await db.write { sql in try await AnalyticsFacts.rebuild(clinicId: ac.clinic.id, on: sql) }
            #expect(try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(), bands: .productDefault) == kept)
        }
    }
}
