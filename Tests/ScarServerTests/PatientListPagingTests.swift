import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 16: every list is paged. A patient's appointments, photos and assessments page the way
/// sessions do (`limit` 1–200, default 50; an opaque cursor in the next page's `Link` header);
/// following the links returns every record exactly once, in the list's own order.
@Suite("Patient list paging")
struct PatientListPagingTests {
    /// Follows the `Link` headers from `first`; each page's ids (the list lies under `key`).
    static func pages(_ h: Harness, _ first: String, key: String, token: String) async throws -> [[String]] {
        var pages: [[String]] = []
        var url: String? = first
        while let path = url, pages.count < 20 {
            let r = try await h.request(.get, path, token: token)
            #expect(r.status == .ok, "\(path): \(r.body)")
            let items = try #require(r.json[key] as? [[String: Any]], "\(r.body)")
            pages.append(items.compactMap { $0["id"] as? String })
            url = SessionListPagingTests.next(r)
        }
        return pages
    }

    /// 120 appointments: a series of three booked through the API, the rest copies of its first
    /// appointment a day apart (some at the same time as the series' own: the id breaks the tie) (the same rows, written straight to the database for speed).
    @Test func aPatientWith120AppointmentsGetsEachOnceOverThreePagesEarliestFirst() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let booked = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: s.series(start: futureDay(30) + "T10:00"),
                                             token: s.desk)
            #expect(booked.status == .created, "\(booked.body)")
            let patient = try #require(UUID(uuidString: s.patientId))
            try await h.db.write { sql in
                let first = try #require(try await sql.raw("SELECT id, starts_at, ends_at FROM appointments WHERE patient_id = \(bind: patient) ORDER BY starts_at LIMIT 1").first())
                let source = try first.decode(column: "id", as: UUID.self)
                let (start, end) = (try first.decode(column: "starts_at", as: Date.self), try first.decode(column: "ends_at", as: Date.self))
                // Shuffled days, so the order comes from the query and not from insertion.
                for day in (1...117).shuffled() {
                    let shift = Double(day) * 86400
                    try await sql.raw("""
                        INSERT INTO appointments (id, clinic_id, patient_id, series_id, kind, number, modality, practitioner_id, room_id, device_id,
                                                  starts_at, ends_at, status, minimum_interval_days, plan_id, plan_version_id, ical_sequence,
                                                  created_by, created_at, updated_at, version)
                        SELECT \(bind: UUID()), clinic_id, patient_id, series_id, kind, number, modality, practitioner_id, room_id, device_id,
                               \(bind: start.addingTimeInterval(shift)), \(bind: end.addingTimeInterval(shift)), status, minimum_interval_days,
                               plan_id, plan_version_id, ical_sequence, created_by, created_at, updated_at, version
                        FROM appointments WHERE id = \(bind: source)
                        """).run()
                }
            }
            let expected = try await h.db.read { sql in
                try await sql.raw("SELECT id FROM appointments WHERE patient_id = \(bind: patient) ORDER BY starts_at, id").all()
                    .map { try $0.decode(column: "id", as: UUID.self).uuidString.lowercased() }
            }
            #expect(expected.count == 120)
            let pages = try await Self.pages(h, "/api/v1/patients/\(s.patientId)/appointments?limit=50", key: "appointments", token: s.desk)
            #expect(pages.map(\.count) == [50, 50, 20])
            #expect(pages.flatMap { $0 } == expected, "each appointment exactly once, earliest first")
            let audits = try await AuditRepository(h.db).entries(patientId: patient, limit: 10).filter { $0.action == "appointment.list" }
            #expect(audits.count == 3 && audits.allSatisfy { $0.details.contains("\"results\"") }, "one audit entry per page")
            let all = try await h.request(.get, "/api/v1/patients/\(s.patientId)/appointments", token: s.desk)
            #expect((all.json["appointments"] as? [Any])?.count == 50 && SessionListPagingTests.next(all) != nil, "the default page is 50")
        }
    }

    @Test func photosPageNewestFirstEachOnce() async throws {
        try await withPhotoHarness { h, _ in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            var uploaded: [String] = []
            // Two photos share each day: the order within a day comes from the upload time, then the id.
            for i in 0..<7 {
                let r = try await h.upload(.photo(ImageFixtures.png(width: 3 + i, height: 2), capturedOn: "2026-01-1\(i / 2)"), patient: patient, token: token)
                #expect(r.status == .created, "\(r.text)")
                uploaded.append(try #require(r.json["id"] as? String))
            }
            let whole = try await h.request(.get, "/api/v1/patients/\(patient)/photos", token: token)
            let expected = try #require(whole.json["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(Set(expected) == Set(uploaded) && SessionListPagingTests.next(whole) == nil)
            let pages = try await Self.pages(h, "/api/v1/patients/\(patient)/photos?limit=3", key: "items", token: token)
            #expect(pages.map(\.count) == [3, 3, 1])
            #expect(pages.flatMap { $0 } == expected, "the same order as one page, each photo once")
        }
    }

    @Test func assessmentsPageNewestFirstEachOnceAndACursorOfAnotherListIsRefused() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let patient = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            for day in [-40, -30, -30, -20, -10, -10, -5] {
                var body = Harness.workedExampleAssessment
                body["assessedOn"] = futureDay(day)
                let r = try await h.request(.post, "/api/v1/patients/\(patient)/assessments", json: body, token: token)
                #expect(r.status == .created, "\(r.body)")
            }
            let whole = try await h.request(.get, "/api/v1/patients/\(patient)/assessments", token: token)
            let expected = try #require(whole.json["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(expected.count == 7)
            let pages = try await Self.pages(h, "/api/v1/patients/\(patient)/assessments?limit=2", key: "items", token: token)
            #expect(pages.map(\.count) == [2, 2, 2, 1])
            #expect(pages.flatMap { $0 } == expected, "the same order as one page, each assessment once")
            let firstPage = try await h.request(.get, "/api/v1/patients/\(patient)/assessments?limit=2", token: token)
            let cursor = try #require(SessionListPagingTests.next(firstPage)?.components(separatedBy: "cursor=").last)
            #expect(cursor.count == 52)
            for other in ["photos", "appointments", "sessions"] {
                let r = try await h.request(.get, "/api/v1/patients/\(patient)/\(other)?cursor=\(cursor)", token: token)
                #expect(r.status == .unprocessableContent && r.body.contains("\"cursor\""), "\(other): \(r.status) \(r.body)")
            }
            for query in ["limit=0", "limit=201", "cursor=short"] {
                let r = try await h.request(.get, "/api/v1/patients/\(patient)/assessments?\(query)", token: token)
                #expect(r.status == .badRequest, "\(query): \(r.status)")
            }
        }
    }
}
