import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarTestSupport
import Testing

@Suite("Routes, policies and the API description")
struct RouteTableTests {
    @Test func everyRouteDeclaresAPolicyAndStaffRoutesNameRoles() async throws {
        try await Harness.run { h in
            #expect(!h.routes.routes.isEmpty)
            for route in h.routes.routes {
                if case .staff(let roles) = route.policy {
                    #expect(!roles.isEmpty, "\(route.method) \(route.path) names no role")
                }
            }
            // Only these may be used without signing in.
            let open = Set(h.routes.routes.filter { $0.policy == .anyone }.map { "\($0.method) \($0.path)" })
            #expect(open == ["GET /health", "GET /health/live", "GET /health/ready", "GET /metrics", "GET /openapi.json", "GET /static/app.css", "GET /static/app.js",
                             "POST /api/v1/auth/sessions", "GET /signin", "POST /signin", "GET /signin/code", "POST /signin/code",
                             "GET /ical/patient/{token}.ics",
                             // The clinic's logo: answered only for whoever is signed in to a clinic (staff or portal), 404 otherwise.
                             "GET /clinic/logo",
                             // The patient portal's sign-in (its own realm): the e-mail step, the code step, the link's confirm page.
                             "GET /portal/signin", "POST /portal/signin", "GET /portal/signin/code", "POST /portal/signin/code",
                             "GET /portal/signin/link", "POST /portal/signin/link",
                             "POST /api/v1/portal/sign-in-codes", "POST /api/v1/portal/sessions"])
        }
    }

    @Test func everyStaffRouteRefusesAnonymousCallers() async throws {
        try await Harness.run { h in
            for route in h.routes.routes where route.policy != .anyone {
                let path = route.path.replacingOccurrences(of: ":id", with: UUID().uuidString.lowercased())
                let r = try await h.request(route.method, path, headers: [.accept: route.kind == .page ? "text/html" : "application/json"])
                if route.kind == .page {
                    #expect(r.status == .seeOther, "\(route.method) \(route.path)")
                } else {
                    #expect(r.status == .unauthorized, "\(route.method) \(route.path)")
                }
            }
        }
    }

    @Test func openAPIDocumentDescribesExactlyTheAPIRoutes() async throws {
        try await Harness.run { h in
            let doc = try await h.request(.get, "/openapi.json").json
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, item) in paths {
                for method in item.keys where method != "parameters" {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            let served = Set(h.routes.routes.filter { $0.kind == .api }.map { "\($0.method) " + $0.path.replacingOccurrences(of: ":id", with: "{id}") })
            #expect(documented == served)
        }
    }

    @Test func unknownPathsAre404ProblemsForTheAPI() async throws {
        try await Harness.run { h in
            let r = try await h.request(.get, "/api/v1/nothing-here")
            #expect(r.status == .notFound)
            #expect(r.isProblem)
        }
    }

    @Test func securityHeadersAreOnEveryResponse() async throws {
        try await Harness.run { h in
            for path in ["/signin", "/health", "/api/v1/patients", "/nothing", "/static/app.css"] {
                let r = try await h.request(.get, path)
                let csp = r.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(path)")
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] != nil, "\(path)")
                if !path.hasPrefix("/static") { #expect(r.headers[.cacheControl] == "no-store", "\(path)") }
            }
        }
    }

    @Test func healthReportsTheDatabase() async throws {
        try await Harness.run { h in
            let r = try await h.request(.get, "/health")
            #expect(r.status == .ok)
            #expect(r.json["status"] as? String == "ok")
            let database = try #require(r.json["database"] as? [String: Any])
            #expect(database["engine"] as? String == TestDatabase.engine.rawValue)
            #expect(database["ok"] as? Bool == true)
        }
    }
}
