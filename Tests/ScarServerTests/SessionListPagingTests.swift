import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Issue 16: every list is paged. The session list API pages by an opaque cursor (`limit`
/// 1–200, default 50; the next page's URL in the `Link` header); the page lists them too.
@Suite("Session list paging")
struct SessionListPagingTests {
    static func ids(_ r: Reply) throws -> [String] {
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [[String: Any]], "\(r.body)")
        return list.compactMap { $0["id"] as? String }
    }

    static func next(_ r: Reply) -> String? {
        guard let link = r.headers[HTTPField.Name("Link")!] else { return nil }
        #expect(link.hasSuffix("; rel=\"next\""), "\(link)")
        return link.split(separator: ">").first.map { String($0.dropFirst()) }
    }

    @Test func followingTheNextLinksVisitsEverySessionOnceNewestFirst() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            var created: [String] = []
            for _ in 0..<7 { created.append(try await ClinicFixtures.draftSession(h, s)) }
            var seen: [[String]] = []
            var url: String? = "/api/v1/patients/\(s.patient)/sessions?limit=3"
            while let path = url, seen.count < 5 {
                let r = try await h.request(.get, path, token: s.practitioner)
                #expect(r.status == .ok, "\(r.body)")
                seen.append(try Self.ids(r))
                url = Self.next(r)
            }
            #expect(seen.map(\.count) == [3, 3, 1], "three pages of 3, 3 and 1: \(seen)")
            #expect(seen.flatMap { $0 } == Array(created.reversed()), "every session once, newest first")
            let all = try await h.request(.get, "/api/v1/patients/\(s.patient)/sessions", token: s.practitioner)
            #expect(try Self.ids(all).count == 7 && Self.next(all) == nil, "the default page (50) holds all seven; no next link")
        }
    }

    @Test func aBadLimitOrCursorIsRefusedNamingTheParameter() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            _ = try await ClinicFixtures.draftSession(h, s)
            let base = "/api/v1/patients/\(s.patient)/sessions"
            for (query, field) in [("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("limit=", "limit"),
                                   ("cursor=not-a-cursor", "cursor"), ("cursor=", "cursor"),
                                   ("cursor=" + String(repeating: "A", count: 65), "cursor")] {
                let r = try await h.request(.get, base + "?" + query, token: s.practitioner)
                #expect(r.status == .badRequest, "\(query): \(r.status)")
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(query)")
                #expect(r.body.contains("\"\(field)\""), "\(query) names \(field): \(r.body)")
            }
            // Written as ours are (the document's pattern) but none of ours: 422, naming the cursor.
            let foreign = try await h.request(.get, base + "?cursor=" + String(repeating: "A", count: 52), token: s.practitioner)
            #expect(foreign.status == .unprocessableContent && foreign.body.contains("\"cursor\""), "\(foreign.status) \(foreign.body)")
            #expect(try await h.request(.get, base + "?limit=200", token: s.practitioner).status == .ok)
            let cursor = SessionCursor(sessionId: UUID()).text
            #expect(SessionCursor(text: cursor) != nil && cursor.count <= 64)
            let unknown = try await h.request(.get, base + "?cursor=" + cursor, token: s.practitioner)
            #expect(unknown.status == .ok && unknown.body == "[]", "a well-formed cursor of no session of the patient's: an empty page")
        }
    }

    @Test func theAllSessionsPageListsTheOlderOnesFromThePatientPage() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            var created: [String] = []
            for _ in 0..<11 { created.append(try await ClinicFixtures.draftSession(h, s)) }
            let page = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await page.get(h, "/patients/\(s.patient)")
            #expect(patient.body.contains("The newest 10 of 11 sessions"))
            #expect(patient.body.contains("href=\"/patients/\(s.patient)/sessions\""))
            let all = try await page.get(h, "/patients/\(s.patient)/sessions")
            #expect(all.status == .ok)
            #expect(created.allSatisfy { all.body.contains("/sessions/\($0)") }, "all eleven on the first page of 25")
            #expect(!all.body.contains("older-sessions"), "one page only")
            let bad = try await page.get(h, "/patients/\(s.patient)/sessions?cursor=zzz")
            #expect(bad.status == .badRequest)
        }
    }
}
