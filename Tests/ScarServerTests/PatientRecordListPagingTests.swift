import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Issue 16, "every list is paged": a patient's intakes, treatment plans, consents, adverse events and
/// reported outcomes page by an opaque cursor like the other lists (`limit` 1–200, default 50, the
/// next page in the `Link` header), each record exactly once, in the order the list always had.
@Suite("Patient record lists paged: intakes, plans, consents, adverse events, reported outcomes")
struct PatientRecordListPagingTests {
    /// The ids of a list reply: a JSON array, or an object's `items`.
    static func ids(_ r: Reply) throws -> [String] {
        let parsed = try JSONSerialization.jsonObject(with: Data(r.body.utf8))
        let list = (parsed as? [[String: Any]]) ?? ((parsed as? [String: Any])?["items"] as? [[String: Any]]) ?? []
        return list.compactMap { $0["id"] as? String }
    }

    /// Every page from `path` by its next links (`limit` per page).
    static func pages(_ h: Harness, _ path: String, limit: Int, token: String) async throws -> [[String]] {
        var seen: [[String]] = []
        var url: String? = path + (path.contains("?") ? "&" : "?") + "limit=\(limit)"
        while let next = url, seen.count < 20 {
            let r = try await h.request(.get, next, token: token)
            #expect(r.status == .ok, "\(next): \(r.body)")
            seen.append(try ids(r))
            url = SessionListPagingTests.next(r)
        }
        return seen
    }

    @Test func eachListPagesEveryRecordOnceInItsOwnOrder() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let base = "/api/v1/patients/\(s.patient)"
            for i in 0..<4 {
                #expect(try await h.request(.post, "\(base)/intakes", json: ["fitzpatrick": 2 + i % 2], token: s.practitioner).status == .created)
                #expect(try await h.request(.post, "\(base)/consents", json: ["kind": "microneedling", "signerName": "Ivy Boxcar \(i)", "agreed": true],
                                            token: s.practitioner).status == .created)
                // Serious and not, onsets out of order: the list is serious first, then newest onset.
                let ae = try await h.request(.post, "\(base)/adverse-events", json: [
                    "term": "hypersensitivity", "onsetOn": CalendarDate.utc(Date()).adding(days: -[3, 9, 1, 5][i]).description, "grade": 2,
                    "relatedness": "possible", "serious": i % 2 == 0], token: s.practitioner)
                #expect(ae.status == .created, "\(ae.body)")
                let pro = try await h.request(.post, "\(base)/reported-outcomes", json: [
                    "instrument": "Clinic survey", "instrumentVersion": "1", "responses": ["q1": "\(i)"], "satisfaction": 5 + i],
                    token: s.practitioner)
                #expect(pro.status == .created, "\(pro.body)")
                if i < 2 { try await h.approvedPlan(patientId: s.patient, token: s.practitioner) }
            }
            for (list, count) in [("intakes", 5), ("consents", 5), ("adverse-events", 4), ("reported-outcomes", 4), ("plans", 3)] {
                let whole = try await h.request(.get, "\(base)/\(list)?limit=200", token: s.practitioner)
                let expected = try Self.ids(whole)
                #expect(expected.count == count && SessionListPagingTests.next(whole) == nil, "\(list): \(expected.count) in one page, no next link")
                let pages = try await Self.pages(h, "\(base)/\(list)", limit: 2, token: s.practitioner)
                #expect(pages.map(\.count) == Array(repeating: 2, count: count / 2) + (count % 2 == 1 ? [1] : []), "\(list): \(pages)")
                #expect(pages.flatMap { $0 } == expected, "\(list): each once, in the list's order")
            }
            // The clinic's adverse events page too, the open filter kept on every next link.
            let clinicWide = try await Self.pages(h, "/api/v1/adverse-events?open=true", limit: 3, token: s.practitioner)
            #expect(clinicWide.map(\.count) == [3, 1] && Set(clinicWide.flatMap { $0 }).count == 4, "\(clinicWide)")
            let first = try await h.request(.get, "/api/v1/adverse-events?open=true&limit=3", token: s.practitioner)
            #expect(SessionListPagingTests.next(first)?.contains("open=true") == true)
            // The adverse events' order holds across pages: serious first, then newest onset.
            let events = try JSONSerialization.jsonObject(with: Data(try await h.request(.get, "\(base)/adverse-events", token: s.practitioner).body.utf8))
                as? [[String: Any]] ?? []
            #expect(events.map { $0["serious"] as? Bool ?? false } == [true, true, false, false])
        }
    }

    @Test func aCursorOfAnotherListOrABadLimitIsRefusedNamingTheParameter() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let base = "/api/v1/patients/\(s.patient)"
            for _ in 0..<2 { _ = try await h.request(.post, "\(base)/intakes", json: ["fitzpatrick": 2], token: s.practitioner) }
            let first = try await h.request(.get, "\(base)/intakes?limit=1", token: s.practitioner)
            let link = try #require(SessionListPagingTests.next(first))
            let cursor = try #require(link.components(separatedBy: "cursor=").last)
            for list in ["consents", "plans", "adverse-events", "reported-outcomes"] {
                let r = try await h.request(.get, "\(base)/\(list)?cursor=\(cursor)", token: s.practitioner)
                #expect(r.status == .unprocessableContent && r.isProblem && r.problemFields == ["cursor"], "\(list): \(r.status) \(r.body)")
                let bad = try await h.request(.get, "\(base)/\(list)?limit=0", token: s.practitioner)
                #expect(bad.status == .badRequest && bad.problemFields == ["limit"], "\(list): \(bad.status)")
            }
            #expect(try await h.request(.get, "/api/v1/patients/\(UUID().uuidString.lowercased())/consents", token: s.practitioner).status == .notFound)
        }
    }
}
