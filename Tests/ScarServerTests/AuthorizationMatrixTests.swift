import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// THE table of expected access. Everything the authorization matrix test expects comes from
/// here; a new route is covered as soon as it is added through `Routes`, and a new kind of
/// path parameter fails the test until it is added to `parameters`.
enum AccessTable {
    /// What fills a path parameter, named by the path segment before it and the parameter.
    enum Fill: Sendable {
        /// A record that belongs to one patient of one clinic.
        case patient, assessment, photo, intake, plan, appointment, session, consent, adverseEvent
        /// What a patient reported from home (a suspected adverse event) and a photo they sent.
        case suspected, reportedPhoto
        /// A patient's request (from the portal) to change or cancel an appointment.
        case changeRequest
        /// A member of staff of one clinic (never the caller).
        case staff
        /// Clinic-level records: a practitioner's calendar, a study, a protocol template, a room, the clinic itself.
        case practitioner, study, template, device, lot, room, clinic
        /// A study participant's photo served for blinded grading (consented for research).
        case ratingPhoto
        /// A CSV file uploaded on `/admin/import` by one clinic's administrator.
        case importUpload
        /// A screening rule id: the same for every clinic.
        case rule
        /// A FHIR Questionnaire id: the intake form's is the same in every clinic.
        case questionnaire
        /// A patient's enrolment in a study (its FHIR ResearchSubject).
        case studyParticipant
        /// A FHIR bulk export of the whole clinic (identified patient data), and one of its files.
        case exportJob, exportFile

        /// Identified patient data: the de-identified roles may never reach it.
        var isPatientData: Bool {
            [.patient, .assessment, .photo, .intake, .plan, .appointment, .session, .consent, .adverseEvent, .suspected, .reportedPhoto,
             .changeRequest, .exportJob, .exportFile, .studyParticipant].contains(self)
        }
        var isClinicScoped: Bool { self != .rule && self != .questionnaire }
    }

    static let parameters: [String: Fill] = [
        "patients/:id": .patient,
        "assessments/:id": .assessment,
        "photos/:id": .photo,
        "intakes/:id": .intake,
        "staff/:id": .staff,
        "rules/:rule": .rule,
        "plans/:id": .plan,
        "appointments/:id": .appointment,
        "practitioners/:id": .practitioner,
        "studies/:id": .study,
        "protocol-templates/:id": .template,
        "sessions/:id": .session,
        "consents/:id": .consent,
        "adverse-events/:id": .adverseEvent,
        "devices/:id": .device,
        "lots/:id": .lot,
        "rating-photos/:photo": .ratingPhoto,
        "suspected-adverse-events/:id": .suspected,
        "reported-photos/:id": .reportedPhoto,
        "change-requests/:id": .changeRequest,
        "import/:id": .importUpload,
        // FHIR (`/fhir/{type}/{id}`): each resource type's id is the record it shows (an intake's
        // Fitzpatrick Observation, the patient's acne-scarring Condition).
        "Patient/:id": .patient,
        "Condition/:id": .patient,
        "Observation/:id": .intake,
        "Procedure/:id": .session,
        "Consent/:id": .consent,
        "AdverseEvent/:id": .adverseEvent,
        "Appointment/:id": .appointment,
        "CarePlan/:id": .plan,
        // A session's id is the Provenance of its charting.
        "Provenance/:id": .session,
        // An intake's id is its QuestionnaireResponse.
        "QuestionnaireResponse/:id": .intake,
        "Questionnaire/:id": .questionnaire,
        // A photo's id is its Media and the Binary of its bytes.
        "Media/:id": .photo,
        "Binary/:id": .photo,
        // A study is a ResearchStudy; each enrolment a ResearchSubject.
        "ResearchStudy/:id": .study,
        "ResearchSubject/:id": .studyParticipant,
        "Practitioner/:id": .practitioner,
        "Device/:id": .device,
        "Location/:id": .room,
        "Organization/:id": .clinic,
        // FHIR Bulk Data: a Group is a split-face study's participants.
        "Group/:id": .study,
        "$export-status/:id": .exportJob,
        "$export-file/:id": .exportFile,
    ]

    /// Paths that show identified patient data even without a parameter (lists, searches).
    static let patientDataPrefixes = ["/patients", "/api/v1/patients", "/assessments", "/photos", "/intakes",
                                      "/fhir/Patient", "/fhir/Condition", "/fhir/Observation", "/fhir/Procedure", "/fhir/Consent",
                                      "/fhir/AdverseEvent", "/fhir/Appointment", "/fhir/CarePlan", "/fhir/Provenance", "/fhir/QuestionnaireResponse", "/fhir/Media", "/fhir/Binary", "/fhir/ResearchSubject",
                                      "/fhir/$export", "/fhir/Group"]
    /// Paths only administrators may use.
    static let adminPrefixes = ["/admin", "/api/v1/admin", "/audit", "/api/v1/audit", "/api/v1/imports"]
    /// Paths only the installation's operator may use (no staff role, whatever the clinic), and
    /// the only paths the operator credential opens.
    static let operatorPrefixes = ["/api/v1/operator"]

    /// Decisions recorded route by route, held against each route's policy (issue 6): analytics
    /// aggregates for admins, practitioners and researchers (no identified data in them); the
    /// de-identified research export for researchers and admins; front desk and blinded raters
    /// refused; depth-band settings for admins.
    static let decided: [String: Set<Role>] = [
        "POST /admin/clinic/logo": [.admin],
        "POST /admin/clinic/logo/remove": [.admin],
        "GET /api/v1/analytics": [.admin, .practitioner, .researcher],
        "GET /api/v1/analytics.csv": [.admin, .practitioner, .researcher],
        "GET /analytics": [.admin, .practitioner, .researcher],
        "GET /api/v1/research/export.csv": [.admin, .researcher],
        "POST /analytics/settings": [.admin],
    ]

    enum Target: String, CaseIterable, Sendable {
        /// The caller's own clinic, its first patient.
        case own
        /// Another clinic's records.
        case otherClinic
        /// Own clinic, but a sub-record of a different patient than the one in the path.
        case otherPatient
    }

    enum Expectation: Equatable, CustomStringConvertible {
        /// 403: the role may not use the route at all.
        case forbidden
        /// The route runs (any status but 401/403/404 and never 5xx).
        case reaches
        /// Exactly what an id that does not exist gets (404 when the route looks records up):
        /// nothing tells the caller the record exists.
        case sameAsUnknown

        var description: String {
            switch self { case .forbidden: "403"; case .reaches: "reaches the handler"; case .sameAsUnknown: "same as an unknown id" }
        }
    }

    /// The one rule for every route × role × target.
    static func expected(policy: AccessPolicy, role: Role, target: Target) -> Expectation {
        guard policy.allows(role) else { return .forbidden }
        return target == .own ? .reaches : .sameAsUnknown
    }

    /// The parameters of a route pattern, each with its fill; throws for one nobody mapped.
    static func fills(of path: String) throws -> [(key: String, fill: Fill)] {
        let parts = path.split(separator: "/").map(String.init)
        var out: [(String, Fill)] = []
        for (i, part) in parts.enumerated() where part.hasPrefix(":") {
            let key = (i > 0 ? parts[i - 1] : "") + "/" + part
            guard let fill = parameters[key] else {
                throw HarnessError("Route \(path) has the parameter \(key), which AccessTable.parameters does not map: add a fixture for it")
            }
            out.append((key, fill))
        }
        return out
    }

    static func isPatientData(_ path: String) throws -> Bool {
        try fills(of: path).contains { $0.fill.isPatientData } || patientDataPrefixes.contains { path == $0 || path.hasPrefix($0 + "/") }
    }
}

@Suite("Authorization matrix: every route × role × clinic × patient")
struct AuthorizationMatrixTests {
    /// A signed-in caller whose token is renewed when a route (sign-out) ends its session.
    final class Caller: @unchecked Sendable {
        let role: Role
        let email: String
        var token = ""
        var csrf = ""
        init(role: Role, email: String) { self.role = role; self.email = email }

        func ensure(_ h: Harness) async throws {
            if !token.isEmpty, let s = try await SignInRepository(h.db).find(token: token, idleTimeout: 3600) {
                csrf = s.csrfToken
                return
            }
            token = try await h.token(email: email)
            csrf = try #require(try await SignInRepository(h.db).find(token: token, idleTimeout: 3600)).csrfToken
        }
    }

    func send(_ h: Harness, _ route: RouteSpec, _ path: String, _ caller: Caller) async throws -> RawReply {
        try await caller.ensure(h)
        var headers: HTTPFields = [.accept: route.kind == .api ? "application/json" : "text/html"]
        headers[.authorization] = "Bearer \(caller.token)"
        headers[.ifMatch] = "\"1\""
        let isWrite = ![.get, .head, .options].contains(route.method)
        guard isWrite else { return try await h.send(route.method, path, headers: headers) }
        if route.kind == .api {
            return try await h.send(route.method, path, headers: headers, body: Array("{}".utf8), contentType: "application/json")
        }
        // Page forms and uploads: a valid CSRF token and nothing else.
        var multipart = Multipart()
        multipart.fields = [("csrf", caller.csrf)]
        if path.hasSuffix("/photos") {
            return try await h.send(route.method, path, headers: headers, body: multipart.body, contentType: multipart.contentType)
        }
        return try await h.send(route.method, path, headers: headers, body: Array("csrf=\(caller.csrf)".utf8),
                                contentType: "application/x-www-form-urlencoded")
    }

    @Test func everyRouteRoleAndTargetGetsExactlyWhatTheTableSays() async throws {
        try await withPhotoHarness { h, dir in
            let fixtures = try await MatrixFixtures.make(h, dataDirectory: dir.path)
            let callers = Role.allCases.map { Caller(role: $0, email: h.staff[$0]!.email) }
            var failures: [String] = []
            var checked = 0
            // Sign-out routes last, so they do not end sessions the other routes need.
            let routes = h.routes.routes.filter { $0.policy != .anyone }
                .sorted { ($0.path.contains("sign") || $0.path.contains("sessions/current") ? 1 : 0) < ($1.path.contains("sign") || $1.path.contains("sessions/current") ? 1 : 0) }
            for route in routes {
                let name = "\(route.method) \(route.path)"
                for caller in callers {
                    for target in AccessTable.Target.allCases {
                        guard let path = try fixtures.path(route.path, target: target) else { continue }
                        let expected = AccessTable.expected(policy: route.policy, role: caller.role, target: target)
                        let reply = try await send(h, route, path, caller)
                        checked += 1
                        let code = reply.status.code
                        let label = "\(name) as \(caller.role.rawValue), \(target.rawValue): got \(code), expected \(expected)"
                        if code >= 500 { failures.append(label); continue }
                        switch expected {
                        case .forbidden:
                            if code != 403 { failures.append(label) }
                        case .reaches:
                            if [401, 403, 404].contains(code) { failures.append(label) }
                        case .sameAsUnknown:
                            let unknown = try await send(h, route, try fixtures.unknownPath(route.path), caller)
                            if code != unknown.status.code || (200..<400).contains(code) {
                                failures.append(label + " (unknown id gets \(unknown.status.code))")
                            }
                        }
                        // Whatever a caller gets back never names another clinic's patient.
                        // (Problem documents repeat the requested path, so the id only counts when it was not asked for.)
                        if reply.text.contains(fixtures.other.family)
                            || (!path.contains(fixtures.other.patient) && reply.text.contains(fixtures.other.patient)) {
                            failures.append("\(label): the reply shows another clinic's patient")
                        }
                        if Role.deidentified.contains(caller.role),
                           [fixtures.ownFirst.family, fixtures.ownSecond.family].contains(where: reply.text.contains) {
                            failures.append("\(label): a de-identified role was shown a patient's name")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(checked) cases broke the access table:\n" + failures.joined(separator: "\n")))
            #expect(checked > 100)
            // No write by this clinic's staff ever touched the other clinic's patient.
            let leaked = try await h.db.read { sql in
                try await sql.raw("""
                    SELECT COUNT(*) AS n FROM audit_log WHERE clinic_id = \(bind: h.clinic.id) AND patient_id = \(bind: UUID(uuidString: fixtures.other.patient)!)
                    """).first()!.decode(column: "n", as: Int.self)
            }
            #expect(leaked == 0, "staff of one clinic reached another clinic's patient")
        }
    }

    @Test func routesThatShowPatientDataNeverAdmitDeidentifiedRolesAndAdminPagesAreAdminOnly() async throws {
        try await Harness.run { h in
            for route in h.routes.routes {
                let name = "\(route.method) \(route.path)"
                if try AccessTable.isPatientData(route.path) {
                    for role in Role.deidentified {
                        #expect(!route.policy.allows(role), "\(name) shows identified patient data to \(role.rawValue)")
                    }
                    #expect(route.policy != .anyone, "\(name) shows patient data without sign-in")
                }
                if AccessTable.adminPrefixes.contains(where: { route.path == $0 || route.path.hasPrefix($0 + "/") }) {
                    #expect(route.policy == .adminOnly, "\(name) is an admin route but its policy is \(route.policy)")
                }
                let operatorPath = AccessTable.operatorPrefixes.contains(where: { route.path == $0 || route.path.hasPrefix($0 + "/") })
                #expect(operatorPath == (route.policy == .installationOperator), "\(name): operator routes and only they have the operator policy")
                let showsPatients = try AccessTable.isPatientData(route.path)
                if operatorPath { #expect(route.kind == .api && !showsPatients, "\(name)") }
            }
        }
    }

    /// The operator credential opens the operator routes and nothing else: every staff route
    /// answers it exactly as it answers no credential at all (401, or the sign-in redirect for
    /// pages). Without it the operator routes are 401; every staff role gets 403 there (the
    /// matrix above, since `installationOperator` allows no role).
    @Test func theOperatorCredentialOpensOnlyTheOperatorRoutes() async throws {
        try await Harness.run { h in
            let fixtures = try await MatrixFixtures.make(h)
            let admin = try await h.token(.admin)
            var failures: [String] = []
            var operatorRoutes = 0
            for route in h.routes.routes where route.policy != .anyone {
                let name = "\(route.method) \(route.path)"
                let path = try #require(try fixtures.path(route.path, target: .own))
                let isWrite = ![.get, .head, .options].contains(route.method)
                func send(_ token: String?) async throws -> Reply {
                    var headers: HTTPFields = [.accept: route.kind == .api ? "application/json" : "text/html"]
                    if let token { headers[.authorization] = "Bearer \(token)" }
                    return try await h.request(route.method, path, headers: headers, rawBody: isWrite ? "{}" : nil)
                }
                let asOperator = try await send(Harness.operatorToken)
                if route.policy == .installationOperator {
                    operatorRoutes += 1
                    if [401, 403, 404].contains(asOperator.status.code) || asOperator.status.code >= 500 { failures.append("\(name) as operator: \(asOperator.status.code)") }
                    if try await send(nil).status != .unauthorized { failures.append("\(name) without a credential is not 401") }
                    if try await send(admin).status != .forbidden { failures.append("\(name) as a clinic admin is not 403") }
                } else {
                    let expected: HTTPResponse.Status = route.kind == .page ? .seeOther : .unauthorized
                    if asOperator.status != expected { failures.append("\(name) with the operator token: \(asOperator.status.code), expected \(expected.code)") }
                    if asOperator.body.contains(fixtures.ownFirst.family) || asOperator.body.contains(fixtures.other.family) {
                        failures.append("\(name) showed a patient to the operator token")
                    }
                }
            }
            #expect(operatorRoutes == 2)
            #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
        }
    }

    @Test func decidedRoutesAdmitExactlyTheDecidedRoles() async throws {
        try await Harness.run { h in
            for (name, roles) in AccessTable.decided {
                let route = try #require(h.routes.routes.first { "\($0.method) \($0.path)" == name }, "\(name) is not served")
                for role in Role.allCases {
                    #expect(route.policy.allows(role) == roles.contains(role), "\(name) for \(role.rawValue)")
                }
            }
        }
    }

    /// `/clinic/logo` is open in the route table because the portal and printed pages show it, but
    /// it names no clinic: every role of the clinic sees its own logo, a patient of that clinic in
    /// the portal too; nobody signed in, the operator token and another clinic's staff get 404.
    @Test func theClinicLogoIsServedOnlyToWhoeverIsSignedInToItsClinic() async throws {
        try await withPhotoHarness { h, _ in
            let admin = try await PageSession.signIn(h, role: .admin)
            var form = Multipart()
            form.fields = [("csrf", admin.csrf)]
            form.files = [("logo", "logo.png", "image/png", ImageFixtures.png(width: 6, height: 3))]
            let saved = try await h.send(.post, "/admin/clinic/logo", headers: [.cookie: admin.cookieHeader], body: form.body, contentType: form.contentType)
            #expect(saved.status == .seeOther)
            for role in Role.allCases {
                let r = try await h.send(.get, "/clinic/logo", token: try await h.token(role))
                #expect(r.status == .ok && r.headers[.contentType] == "image/png", "\(role.rawValue)")
            }
            let patient = try await h.newPatient(try await h.token(.practitioner))
            let caller = try await h.portalSignIn(patientId: patient, email: "logo.matrix@example.com", staffToken: try await h.token(.practitioner))
            #expect(try await h.send(.get, "/clinic/logo", headers: [.cookie: caller.cookieHeader]).status == .ok)
            #expect(try await h.send(.get, "/clinic/logo").status == .notFound)
            #expect(try await h.send(.get, "/clinic/logo", token: Harness.operatorToken).status == .notFound)
            #expect(try await h.send(.get, "/clinic/logo", token: try await h.token(email: h.otherClinicAdmin.email)).status == .notFound)
        }
    }

    @Test func anUnmappedParameterFailsLoudly() {
        #expect(throws: HarnessError.self) { try AccessTable.fills(of: "/api/v1/widgets/:widget") }
        #expect(throws: HarnessError.self) { try AccessTable.fills(of: "/patients/:id/plans/:planId") }
    }
}
