import Foundation
import ScarClinic
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Issue 16: the day home reads the records behind every visit's readiness for the whole day at
/// once; only the plan a visit follows is read per visit, so a busy day costs a few statements more
/// than a quiet one, not ten per visit.
@Suite("Clinic day cost")
struct ClinicDayCostTests {
    @Test func eachMoreVisitCostsAtMostThreeStatements() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let day = futureDay(14)
            let room = try #require(try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room one"], token: s.admin)
                .json["id"] as? String)
            let practitioner = h.staff[.practitioner]!.id.lower
            let hours = (1...7).map { ["weekday": $0, "start": "08:00", "end": "20:00"] as [String: Any] }
            #expect(try await h.request(.put, "/api/v1/schedule/practitioners/\(practitioner)/hours", json: ["hours": hours], token: s.admin)
                .status == .noContent)
            func book(_ hour: Int) async throws {
                let patient = try #require(try await h.registerPatient(token: s.practitioner, given: "Visit", family: "Hour\(hour)")
                    .json["id"] as? String)
                _ = try await h.request(.post, "/api/v1/patients/\(patient)/intakes", json: ["fitzpatrick": 3], token: s.practitioner)
                let series = try await h.request(.post, "/api/v1/patients/\(patient)/appointment-series", json: [
                    "modality": "microneedling", "count": 1, "intervalDays": 28, "minimumIntervalDays": 21,
                    "start": "\(day)T\(String(format: "%02d", hour)):00", "practitionerId": practitioner, "roomId": room,
                    "followUpMonths": [Int]()], token: s.admin)
                #expect(series.status == .created, "\(series.body)")
            }
            func cost() async throws -> (visits: Int, statements: Int) {
                let before = h.db.counts
                let read = try await ClinicDayTests.read(h, on: day)
                return (read.visits.filter { $0.readiness != nil }.count, (h.db.counts - before).statements)
            }
            for hour in [9, 10] { try await book(hour) }
            let quiet = try await cost()
            for hour in [11, 12, 13, 14, 15, 16] { try await book(hour) }
            let busy = try await cost()
            #expect(quiet.visits == 2 && busy.visits == 8)
            let perVisit = Double(busy.statements - quiet.statements) / Double(busy.visits - quiet.visits)
            print("clinic day (\(h.db.engine)): \(quiet.statements) statements for 2 visits, \(busy.statements) for 8")
            #expect(perVisit <= 3, "\(perVisit) statements per extra visit (\(quiet.statements) → \(busy.statements))")
        }
    }
}
