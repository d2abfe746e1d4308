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
    /// appointment a day apart (some at the same time as the series' own: the id breaks the tie),
    /// written straight to the database for speed. Returns their ids, earliest first.
    static func patientWith120Appointments(_ h: Harness, _ s: ScheduleSetup) async throws -> [String] {
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
        return expected
    }

    @Test func aPatientWith120AppointmentsGetsEachOnceOverThreePagesEarliestFirst() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let expected = try await Self.patientWith120Appointments(h, s)
            let patient = try #require(UUID(uuidString: s.patientId))
            let pages = try await Self.pages(h, "/api/v1/patients/\(s.patientId)/appointments?limit=50", key: "appointments", token: s.desk)
            #expect(pages.map(\.count) == [50, 50, 20])
            #expect(pages.flatMap { $0 } == expected, "each appointment exactly once, earliest first")
            let audits = try await AuditRepository(h.db).entries(patientId: patient, limit: 10).filter { $0.action == "appointment.list" }
            #expect(audits.count == 3 && audits.allSatisfy { $0.details.contains("\"results\"") }, "one audit entry per page")
            let all = try await h.request(.get, "/api/v1/patients/\(s.patientId)/appointments", token: s.desk)
            #expect((all.json["appointments"] as? [Any])?.count == 50 && SessionListPagingTests.next(all) != nil, "the default page is 50")
        }
    }

    /// The ids a `patient-record-list` page links to (`/appointments/…`, `/assessments/…`) and its next page.
    static func htmlPage(_ body: String, linkPrefix: String) -> (ids: [String], next: String?) {
        let table = body.components(separatedBy: "id=\"record-list\"").dropFirst().first?.components(separatedBy: "</table>").first ?? ""
        let ids = table.components(separatedBy: "href=\"\(linkPrefix)").dropFirst().map { String($0.prefix(36)) }
        let next = body.components(separatedBy: "id=\"next-page\" href=\"").dropFirst().first?.components(separatedBy: "\"").first
        return (ids, next)
    }

    @Test func thePatientPageShowsTenAppointmentsFromTheNextOneAndTheAllAppointmentsPagesListEachOnce() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let expected = try await Self.patientWith120Appointments(h, s)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await page.get(h, "/patients/\(s.patientId)")
            #expect(patient.status == .ok)
            #expect(patient.body.contains("10 of 120 appointments, from the next one on. <a href=\"/patients/\(s.patientId)/appointments\">All appointments</a>"))
            let timeline = patient.body.components(separatedBy: "id=\"course-timeline\"").dropFirst().first?.components(separatedBy: "</ol>").first ?? ""
            #expect(timeline.components(separatedBy: "<li ").count - 1 == 10, "the card lists ten")
            #expect(timeline.contains("/appointments/\(expected[0])") && timeline.contains("/appointments/\(expected[9])")
                    && !timeline.contains("/appointments/\(expected[10])"), "the next ten (every one is booked)")
            var seen: [[String]] = []
            var url: String? = "/patients/\(s.patientId)/appointments"
            while let path = url, seen.count < 10 {
                let r = try await page.get(h, path)
                #expect(r.status == .ok, "\(path)")
                let read = Self.htmlPage(r.body, linkPrefix: "/appointments/")
                seen.append(read.ids)
                url = read.next
            }
            #expect(seen.map(\.count) == [25, 25, 25, 25, 20])
            #expect(seen.flatMap { $0 } == expected, "every appointment once, earliest first")
            #expect(try await page.get(h, "/patients/\(s.patientId)/appointments?cursor=zzz").status == .badRequest)
        }
    }

    @Test func photosPageNewestFirstEachOnceAndThePatientPageShowsTheNewestTen() async throws {
        try await withPhotoHarness { h, _ in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            var uploaded: [String] = []
            // Two photos share each day: the order within a day comes from the upload time, then the id.
            for i in 0..<12 {
                let r = try await h.upload(.photo(ImageFixtures.png(width: 3 + i, height: 2), capturedOn: "2026-01-1\(i / 2)"), patient: patient, token: token)
                #expect(r.status == .created, "\(r.text)")
                uploaded.append(try #require(r.json["id"] as? String))
            }
            let whole = try await h.request(.get, "/api/v1/patients/\(patient)/photos", token: token)
            let expected = try #require(whole.json["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(Set(expected) == Set(uploaded) && SessionListPagingTests.next(whole) == nil)
            let pages = try await Self.pages(h, "/api/v1/patients/\(patient)/photos?limit=5", key: "items", token: token)
            #expect(pages.map(\.count) == [5, 5, 2])
            #expect(pages.flatMap { $0 } == expected, "the same order as one page, each photo once")
            let html = try await PageSession.signIn(h, role: .practitioner)
            let patientPage = try await html.get(h, "/patients/\(patient)")
            #expect(patientPage.body.contains("The latest 10 of 12 photos. <a href=\"/patients/\(patient)/photos\">All photos</a>"))
            let strip = patientPage.body.components(separatedBy: "class=\"photo-thumbs\"").dropFirst().first?.components(separatedBy: "</ul>").first ?? ""
            #expect(strip.components(separatedBy: "<li ").count - 1 == 10 && !strip.contains(expected[11]), "the newest ten")
            let all = try await html.get(h, "/patients/\(patient)/photos")
            #expect(expected.allSatisfy { all.body.contains("/photos/\($0)/image") }, "the photos page shows all twelve")
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
            let html = try await PageSession.signIn(h, role: .practitioner)
            let listed = Self.htmlPage(try await html.get(h, "/patients/\(patient)/assessments").body, linkPrefix: "/assessments/")
            #expect(listed.ids == expected && listed.next == nil, "the page lists all seven, newest first")
            let photosPage = try await html.get(h, "/patients/\(patient)/photos")
            #expect(photosPage.status == .ok && photosPage.body.contains("Nothing on this page."))
            for query in ["limit=0", "limit=201", "cursor=short"] {
                let r = try await h.request(.get, "/api/v1/patients/\(patient)/assessments?\(query)", token: token)
                #expect(r.status == .badRequest, "\(query): \(r.status)")
            }
        }
    }
}
