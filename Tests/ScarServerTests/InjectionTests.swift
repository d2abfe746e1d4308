import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// SQL-injection payloads in every query parameter the API describes (plus the usual filter and
/// sort names, in case a route reads one without documenting it) and in every path parameter,
/// on every GET route, API and pages. Nothing may fail with 5xx, change data, widen a result,
/// or break the audit chain.
@Suite("SQL injection on every filter, sort and path parameter")
struct InjectionTests {
    static let genericNames = ["q", "page", "perPage", "sort", "order", "filter", "from", "to", "action", "user", "patient", "status"]

    /// Query parameter names per API path pattern, from the OpenAPI document.
    static func documentedQueryParameters(_ h: Harness) async throws -> [String: [String]] {
        let doc = try await h.request(.get, "/openapi.json").json
        let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
        var out: [String: [String]] = [:]
        for (path, item) in paths {
            let op = item["get"] as? [String: Any] ?? [:]
            let params = (op["parameters"] as? [[String: Any]] ?? []) + (item["parameters"] as? [[String: Any]] ?? [])
            out[path.replacingOccurrences(of: "{id}", with: ":id")] = params.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String }
        }
        return out
    }

    func counts(_ h: Harness) async throws -> [Int] {
        try await h.db.read { sql in
            var n: [Int] = []
            for table in ["patients", "staff_users", "intakes", "photos", "clinics"] {
                n.append(try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self))
            }
            return n
        }
    }

    @Test func everyParameterOfEveryReadRouteResistsInjection() async throws {
        try await withPhotoHarness { h, dir in
            let fixtures = try await MatrixFixtures.make(h, dataDirectory: dir.path)
            let token = try await h.token(.admin)
            let documented = try await Self.documentedQueryParameters(h)
            let before = try await counts(h)
            var failures: [String] = []
            var sent = 0
            for route in h.routes.routes where route.method == .get && route.policy != .anyone {
                guard let path = try fixtures.path(route.path, target: .own) else { continue }
                let names = Set((documented[route.path] ?? []) + Self.genericNames)
                for payload in InjectionPayloads.all {
                    let query = names.sorted().map { "\($0)=\(PageSession.formEncode(payload))" }.joined(separator: "&")
                    let accept = route.kind == .api ? "application/json" : "text/html"
                    let r = try await h.request(.get, "\(path)?\(query)", token: token, headers: [.accept: accept])
                    sent += 1
                    if r.status.code >= 500 { failures.append("\(route.path)?\(query) → \(r.status.code)") }
                    // Path parameters: the payload instead of an id is refused, never run.
                    if route.path.contains(":") {
                        let bad = try await h.request(.get, route.path.replacingOccurrences(of: ":id", with: PageSession.formEncode(payload))
                                                        .replacingOccurrences(of: ":rule", with: PageSession.formEncode(payload)),
                                                      token: token, headers: [.accept: accept])
                        sent += 1
                        if !(400..<500).contains(Int(bad.status.code)) { failures.append("\(route.path) with id \(payload) → \(bad.status.code)") }
                    }
                }
            }
            #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
            #expect(sent > 100)
            #expect(try await counts(h) == before, "no payload changed any table")
            #expect(try await AuditRepository(h.db).verify().intact)
        }
    }

    @Test func aTautologyInTheSearchBoxFindsNothing() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            _ = try await h.registerPatient(token: token)
            // The search works: the registered family name finds exactly the one patient.
            #expect(try await h.request(.get, "/api/v1/patients?q=Boxcar", token: token).json["total"] as? Int == 1)
            for payload in InjectionPayloads.all {
                let r = try await h.request(.get, "/api/v1/patients?q=\(PageSession.formEncode(payload))", token: token)
                #expect(r.status == .ok || r.status == .badRequest || r.status == .unprocessableContent, "\(payload)")
                if r.status == .ok { #expect(r.json["total"] as? Int == 0, "\(payload) widened the search") }
            }
        }
    }
}
