import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// The patient role in the authorization matrix (issue 14): a portal session reaches no staff
/// route; portal routes admit no member of staff and nobody signed out; and a portal route given
/// another patient's ids answers exactly as for ids that exist nowhere. (Staff roles on portal
/// routes are also in `AuthorizationMatrixTests`: `.patient` allows no role, so they expect 403.)
@Suite("Authorization matrix: the patient portal role")
struct PortalAuthorizationMatrixTests {
    func send(_ h: Harness, _ route: RouteSpec, _ path: String, as caller: PortalCaller) async throws -> Reply {
        let accept = route.kind == .api ? "application/json" : "text/html"
        guard ![.get, .head, .options].contains(route.method) else { return try await h.portal(route.method, path, as: caller, accept: accept) }
        if route.kind == .api { return try await h.portal(route.method, path, as: caller, json: [String: String](), accept: accept) }
        return try await h.portal(route.method, path, as: caller, form: [], accept: accept)
    }

    /// The route with every parameter filled from one patient's records.
    static func path(_ pattern: String, records: MatrixFixtures.PatientRecords, fixtures: MatrixFixtures) throws -> String {
        var parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for i in parts.indices where parts[i].hasPrefix(":") {
            let fill = try #require(AccessTable.parameters[parts[i - 1] + "/" + parts[i]], "unmapped parameter in \(pattern)")
            parts[i] = fixtures.value(fill, records: records, staff: fixtures.ownStaff)
        }
        return parts.joined(separator: "/")
    }

    @Test func aPortalSessionReachesNoStaffRouteAndPortalRoutesServeOnlyItsPatient() async throws {
        try await Harness.run { h in
            let fixtures = try await MatrixFixtures.make(h)
            let admin = try await h.token(.admin)
            var caller = try await h.portalSignIn(patientId: fixtures.ownFirst.patient, email: "ada.portal@example.org", staffToken: admin)
            // Photos side by side on, so the patient's own photo is served (another patient's still answers as unknown).
            _ = try await h.request(.put, "/api/v1/portal-settings", json: ["showPhotos": true, "changeNoticeHours": 48], token: admin)
            var failures: [String] = []
            var staffRoutes = 0, portalCases = 0
            // Sign-out last, so it does not end the session the other routes need.
            func last(_ r: RouteSpec) -> Int { r.path.contains("signout") || r.path.hasSuffix("sessions/current") ? 1 : 0 }
            let routes = h.routes.routes.filter { $0.policy != .anyone }.sorted { last($0) < last($1) }
            for route in routes {
                let name = "\(route.method) \(route.path)"
                switch route.policy {
                case .staff, .installationOperator:
                    staffRoutes += 1
                    let reply = try await send(h, route, try #require(try fixtures.path(route.path, target: .own)), as: caller)
                    let expected: UInt = route.policy == .installationOperator ? 401 : 403
                    if reply.status.code != expected { failures.append("\(name) with a portal session: \(reply.status.code), expected \(expected)") }
                    if reply.body.contains(fixtures.ownFirst.family) { failures.append("\(name) showed the patient's record to the portal") }
                case .patient:
                    for role in Role.allCases {
                        let token = try await h.token(role)
                        let asStaff = try await h.request(route.method, try #require(try fixtures.path(route.path, target: .own)), token: token,
                                                          headers: [.accept: route.kind == .api ? "application/json" : "text/html"],
                                                          rawBody: route.method == .get ? nil : "{}")
                        if asStaff.status != .forbidden { failures.append("\(name) as \(role.rawValue): \(asStaff.status.code), expected 403") }
                    }
                    let anonymous = try await h.request(route.method, try #require(try fixtures.path(route.path, target: .own)),
                                                        headers: [.accept: route.kind == .api ? "application/json" : "text/html"])
                    let signedOut: HTTPResponse.Status = route.kind == .page ? .seeOther : .unauthorized
                    if anonymous.status != signedOut { failures.append("\(name) signed out: \(anonymous.status.code)") }
                    // Own ids; then every id another patient's (same clinic, other clinic), which must answer as unknown ones.
                    for (target, records) in [("own", fixtures.ownFirst), ("other patient", fixtures.ownSecond), ("other clinic", fixtures.other)] {
                        if target != "own" && !route.path.contains(":") { continue }
                        let path = try Self.path(route.path, records: records, fixtures: fixtures)
                        portalCases += 1
                        let reply = try await send(h, route, path, as: caller)
                        let code = reply.status.code
                        if code >= 500 || (target == "own" && [401, 403, 404].contains(code)) { failures.append("\(name) \(target): \(code)") }
                        if target != "own" {
                            let unknown = try await send(h, route, try fixtures.unknownPath(route.path), as: caller)
                            if unknown.status != reply.status || (200..<400).contains(code) {
                                failures.append("\(name) with \(target) ids: \(code), an unknown id gets \(unknown.status.code)")
                            }
                        }
                        for family in [fixtures.ownSecond.family, fixtures.other.family] where reply.body.contains(family) {
                            failures.append("\(name) \(target): the portal showed another patient (\(family))")
                        }
                    }
                    // A sign-out route ended the session: the next route gets a fresh one.
                    if last(route) == 1 {
                        caller = try await h.portalSignIn(patientId: fixtures.ownFirst.patient, email: "ada.portal@example.org", staffToken: admin)
                    }
                case .anyone:
                    break
                }
            }
            #expect(staffRoutes > 100)
            #expect(portalCases >= 10)
            #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
        }
    }
}
