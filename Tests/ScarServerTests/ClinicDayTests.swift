import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// Issue 13, item 1: the clinic's day at `/`. Each treatment visit shows whether it is ready
/// (screening, acknowledgements, consent, before-photos, plan, chart) from the same records the
/// checklist reads at signing; the lists beside it show what needs someone.
@Suite("the clinic's day")
struct ClinicDayTests {
    /// A room and working hours, then one session booked for `patient` on `day` at 10:00.
    static func bookOne(_ h: Harness, patient: String, day: String, admin: String) async throws -> String {
        let room = try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room \(day)"], token: admin)
        #expect(room.status == .created, "\(room.body)")
        let practitioner = h.staff[.practitioner]!.id.lower
        let hours = (1...7).map { ["weekday": $0, "start": "08:00", "end": "20:00"] as [String: Any] }
        #expect(try await h.request(.put, "/api/v1/schedule/practitioners/\(practitioner)/hours", json: ["hours": hours], token: admin).status
                == .noContent)
        let series = try await h.request(.post, "/api/v1/patients/\(patient)/appointment-series", json: [
            "modality": "microneedling", "count": 1, "intervalDays": 28, "minimumIntervalDays": 21, "start": "\(day)T10:00",
            "practitionerId": practitioner, "roomId": try #require(room.json["id"] as? String), "followUpMonths": [Int]()], token: admin)
        #expect(series.status == .created, "\(series.body)")
        let list = try #require(series.json["appointments"] as? [[String: Any]])
        return try #require(list.first?["id"] as? String)
    }

    static func read(_ h: Harness, on day: String) async throws -> ReadClinicDay.Day {
        let user = h.staff[.practitioner]!
        return try await ReadClinicDay(h.db)(by: Clinician(user: user, today: try #require(CalendarDate(day))),
                                             timeZone: TimeZone(identifier: "Europe/London")!, actor: AuditActor(user: user, clientAddress: "test"), now: h.now)
    }

    @Test func readinessFollowsTheRecordsAndTheDeskSeesTomorrow() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h, consent: false)
            let day = futureDay(10)
            let appointment = try await Self.bookOne(h, patient: s.patient, day: day, admin: s.admin)
            let other = try #require(try await h.registerPatient(token: s.practitioner, given: "Tam", family: "Rolling").json["id"] as? String)
            _ = try await Self.bookOne(h, patient: other, day: futureDay(11), admin: s.admin)

            let before = try await Self.read(h, on: day)
            let visit = try #require(before.visits.first { $0.appointment.id.lower == appointment })
            let readiness = try #require(visit.readiness)
            let states = Dictionary(uniqueKeysWithValues: readiness.items.map { ($0.id, $0.state) })
            #expect(states == ["screening": .done, "acknowledgements": .done, "consent": .todo, "before-photos": .done, "plan": .done,
                               "chart": .todo], "\(readiness.items)")
            #expect(readiness.summary == "1 to do: consent")
            #expect(before.tomorrow.map(\.patientName) == ["Tam Rolling"], "tomorrow's booked visits, for the desk to confirm")
            #expect(before.seriesToBook.isEmpty, "the approved plan has a booked visit")
            let unbooked = try #require(try await h.registerPatient(token: s.practitioner, given: "Una", family: "Unbooked").json["id"] as? String)
            _ = try await h.request(.post, "/api/v1/patients/\(unbooked)/intakes", json: ["fitzpatrick": 2], token: s.practitioner)
            _ = try await h.approvedPlan(patientId: unbooked, token: s.practitioner)
            #expect(try await Self.read(h, on: day).seriesToBook.map(\.patientName) == ["Una Unbooked"], "an approved plan with nothing booked")

            let consent = try await h.request(.post, "/api/v1/patients/\(s.patient)/consents",
                                              json: ["kind": "microneedling", "signerName": "Ivy Boxcar", "agreed": true], token: s.practitioner)
            #expect(consent.status == .created)
            let after = try await Self.read(h, on: day)
            #expect(after.visits.first { $0.appointment.id.lower == appointment }?.readiness?.summary == "Ready")

            let reads = try await h.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'clinic-day.read'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(reads == 3, "one audit entry per read of the day")
        }
    }

    @Test func aContraindicationStopsTheVisitAndOpenWorkIsListed() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let day = futureDay(12)
            _ = try await Self.bookOne(h, patient: s.patient, day: day, admin: s.admin)
            _ = try await ClinicFixtures.draftSession(h, s)
            let intake = try await h.request(.post, "/api/v1/patients/\(s.patient)/intakes", json: ["fitzpatrick": 2, "pregnantOrBreastfeeding": true],
                                             token: s.practitioner)
            #expect(intake.status == .created, "\(intake.body)")
            let ae = try await h.request(.post, "/api/v1/patients/\(s.patient)/adverse-events", json: [
                "term": "pih", "onsetOn": CalendarDate.utc(Date()).description, "grade": 2, "relatedness": "probable"], token: s.practitioner)
            #expect(ae.status == .created, "\(ae.body)")

            let read = try await Self.read(h, on: day)
            let readiness = try #require(read.visits.first?.readiness)
            #expect(readiness.stopped)
            #expect(readiness.summary.hasPrefix("Stop: contraindicated: Pregnancy or breastfeeding"), "\(readiness.summary)")
            #expect(read.unsignedCharts.map(\.patientName) == ["Ivy Boxcar"])
            #expect(read.openAdverseEvents.map(\.details.term) == ["pih"])
        }
    }

    @Test func staffLandOnTheDayAndResearchersOnAWelcome() async throws {
        try await Harness.run { h in
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let page = try await practitioner.get(h, "/")
            #expect(page.status == .ok)
            #expect(page.body.contains("Today's visits") && page.body.contains("id=\"nav-today\""))
            let desk = try await PageSession.signIn(h, role: .frontDesk)
            #expect(try await desk.get(h, "/").body.contains("Today's visits"))
            let researcher = try await PageSession.signIn(h, role: .researcher)
            let welcome = try await researcher.get(h, "/")
            #expect(welcome.status == .ok)
            #expect(welcome.body.contains("Welcome") && !welcome.body.contains("Today's visits"))
        }
    }
}
