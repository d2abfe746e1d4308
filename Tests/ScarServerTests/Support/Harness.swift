import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import NIOCore
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport

/// A real server on a real database (either engine), reached over real HTTP, with a clinic
/// and one member of staff per role, plus a second clinic for isolation checks.
struct Harness: Sendable {
    let client: any TestClientProtocol
    let db: ScarDatabase
    let routes: RouteTable
    let clinic: Clinic
    let otherClinic: Clinic
    let staff: [Role: StaffUser]
    let otherClinicAdmin: StaffUser
    /// The server's clock: it follows the system clock until a test pins or moves it.
    var clock = TestClock()

    /// Now on the server's clock, for use cases a test calls directly.
    var now: Date { clock.now }

    static func configuration() -> AppConfiguration {
        var c = AppConfiguration()
        c.host = "127.0.0.1"
        c.port = 0
        // Every suite signs in as an admin without a second factor; `TwoFactorTests` switches
        // the production default back on to test the enforcement itself.
        c.requireAdminTwoFactor = false
        c.operatorToken = Harness.operatorToken
        return c
    }

    /// One metrics registry for the test process, bootstrapped once as `serve` does, so every
    /// test app records its requests where `/metrics` reads them.
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(ScarApp.metricsFactory(registry))
        return registry
    }()

    /// The installation operator's credential in every test server (`SCARTRACK_OPERATOR_TOKEN`).
    static let operatorToken = "harness-operator-token-0123456789abcdefghij"


    static func run(configuration: AppConfiguration = configuration(), _ body: @escaping @Sendable (Harness) async throws -> Void) async throws {
        let clock = TestClock()
        var configuration = configuration
        configuration.clock = clock.clinicClock
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let other = try await Fixtures.clinic(db, name: "Other Clinic")
            var staff: [Role: StaffUser] = [:]
            for role in Role.allCases {
                staff[role] = try await Fixtures.staff(db, clinic: clinic, role: role, email: "\(role.rawValue)@harbour.example")
            }
            let otherAdmin = try await Fixtures.staff(db, clinic: other, role: .admin, email: "admin@other.example")
            let built = try await ScarApp.build(configuration: configuration, database: db, logger: TestDatabase.logger, metrics: Harness.metrics)
            let routes = built.routes
            let everyone = staff
            try await built.application.test(.live) { client in
                try await body(Harness(client: client, db: db, routes: routes, clinic: clinic, otherClinic: other, staff: everyone,
                                       otherClinicAdmin: otherAdmin, clock: clock))
            }
        }
    }

    /// Signs in through the API and returns a bearer token.
    func token(_ role: Role) async throws -> String {
        try await token(email: staff[role]!.email)
    }

    func token(email: String, password: String = Fixtures.password) async throws -> String {
        let r = try await request(.post, "/api/v1/auth/sessions", json: ["email": email, "password": password])
        guard r.status == .created, let token = r.json["token"] as? String else {
            throw HarnessError("sign-in failed: \(r.status) \(r.body)")
        }
        return token
    }

    func request(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil, token: String? = nil, headers: HTTPFields = [:],
                 rawBody: String? = nil, contentType: String = "application/json") async throws -> Reply {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = contentType
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
            headers[.contentType] = contentType
        }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    func registerPatient(token: String, given: String = "Ivy", family: String = "Boxcar", dob: String = "1991-04-12") async throws -> Reply {
        try await request(.post, "/api/v1/patients", json: ["givenName": given, "familyName": family, "dateOfBirth": dob], token: token)
    }

    func patientCount() async throws -> Int {
        try await PatientRepository(db).count(clinicId: clinic.id)
    }
}

struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    /// Field names of a problem+json `errors` list.
    var problemFields: [String] {
        (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    var isProblem: Bool { headers[.contentType] == "application/problem+json" }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
