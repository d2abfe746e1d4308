import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// Issue 11, item 10: what `/openapi.json` calls invalid is refused with a 4xx problem naming
/// the field (it used to be 200/201), and the valid neighbour of each case is still accepted.
@Suite("The API refuses what its document calls invalid")
struct DocumentedValidationTests {
    static func expectRefused(_ r: Reply, _ field: String, _ what: String) {
        #expect((400..<500).contains(Int(r.status.code)), "\(what): \(r.status) \(r.body)")
        #expect(r.isProblem, "\(what): \(r.headers[.contentType] ?? "no content type")")
        #expect(r.problemFields.contains(field), "\(what): \(r.body)")
    }

    @Test func anEmptyEmailIsRefusedNotReadAsNone() async throws {
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            let base: [String: Any] = ["givenName": "Ivy", "familyName": "Boxcar", "dateOfBirth": "1991-04-12"]
            for empty in ["", "   "] {
                var body = base
                body["email"] = empty
                Self.expectRefused(try await h.request(.post, "/api/v1/patients", json: body, token: token), "email", "POST email \"\(empty)\"")
            }
            #expect(try await h.patientCount() == 0)
            // None is null or absent; an address is kept.
            var none = base
            none["email"] = NSNull()
            let created = try await h.request(.post, "/api/v1/patients", json: none, token: token)
            #expect(created.status == .created, "\(created.body)")
            let id = try #require(created.json["id"] as? String)
            let patch = try await h.request(.patch, "/api/v1/patients/\(id)", json: ["email": ""], token: token,
                                            headers: [.ifMatch: "\"1\""], contentType: "application/merge-patch+json")
            Self.expectRefused(patch, "email", "PATCH email \"\"")
            let set = try await h.request(.patch, "/api/v1/patients/\(id)", json: ["email": "ivy@example.org"], token: token,
                                          headers: [.ifMatch: "\"1\""], contentType: "application/merge-patch+json")
            #expect(set.status == .ok, "\(set.body)")
            let cleared = try await h.request(.patch, "/api/v1/patients/\(id)", json: ["email": NSNull()], token: token,
                                              headers: [.ifMatch: "\"2\""], contentType: "application/merge-patch+json")
            #expect(cleared.status == .ok && cleared.json["email"] is NSNull, "\(cleared.body)")
        }
    }

    @Test func queryValuesOutsideTheirSchemasAreRefused() async throws {
        try await Harness.run { h in
            let desk = try await h.token(.frontDesk)
            let admin = try await h.token(.admin)
            // `q` has maxLength 200, counted as JSON Schema counts (code points).
            let long = String(repeating: "a", count: 201)
            Self.expectRefused(try await h.request(.get, "/api/v1/patients?q=\(long)", token: desk), "q", "q of 201 characters")
            let decomposed = String(repeating: "e\u{301}", count: 101)  // 101 characters, 202 code points
            let encoded = decomposed.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            Self.expectRefused(try await h.request(.get, "/api/v1/patients?q=\(encoded)", token: desk), "q", "q of 202 code points")
            #expect(try await h.request(.get, "/api/v1/patients?q=\(String(repeating: "a", count: 200))", token: desk).status == .ok)
            // Analytics filters: a parameter that is sent is read as written.
            for (query, field) in [("from=", "from"), ("to=%20", "to"), ("from=%202026-01-01", "from"), ("practitioner=", "practitioner"),
                                   ("protocol=%20", "protocol")] {
                Self.expectRefused(try await h.request(.get, "/api/v1/analytics?\(query)", token: admin), field, "analytics ?\(query)")
                Self.expectRefused(try await h.request(.get, "/api/v1/analytics.csv?\(query)", token: admin), field, "analytics.csv ?\(query)")
            }
            #expect(try await h.request(.get, "/api/v1/analytics?from=2026-01-01", token: admin).status == .ok)
            // Adverse events: open is true or false.
            for value in ["yes", "", "TRUE"] {
                Self.expectRefused(try await h.request(.get, "/api/v1/adverse-events?open=\(value)", token: desk), "open", "open=\(value)")
            }
            #expect(try await h.request(.get, "/api/v1/adverse-events?open=false", token: desk).status == .ok)
            // Appointments: a practitioner or room filter that is not an id is refused, not ignored.
            let window = "from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"
            Self.expectRefused(try await h.request(.get, "/api/v1/appointments?\(window)&practitionerId=nobody", token: desk), "practitionerId", "practitionerId")
            Self.expectRefused(try await h.request(.get, "/api/v1/appointments?\(window)&roomId=", token: desk), "roomId", "roomId")
            #expect(try await h.request(.get, "/api/v1/appointments?\(window)&roomId=\(UUID().lower)", token: desk).status == .ok)
        }
    }
}
