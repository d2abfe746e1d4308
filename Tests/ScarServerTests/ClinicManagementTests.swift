import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Several clinics on one installation (issue 11, item 16): one added with `scartrack clinic add`
/// through the built executable, one through the operator API; each first administrator signs in
/// with the one-time password, must change it and turn on two-factor sign-in (the production
/// default), then registers a patient; neither clinic sees the other's.
@Suite("Clinic management: the operator adds clinics (CLI and API), each sees only its own records", .serialized)
struct ClinicManagementTests {
    static let operatorToken = "operator-token-for-tests-0123456789abcdef"

    static func configuration() -> AppConfiguration {
        var c = Harness.configuration()
        c.requireAdminTwoFactor = true
        c.operatorToken = operatorToken
        return c
    }

    /// Runs the app on a database that holds nothing but what the commands made (no fixtures).
    static func withInstallation(_ body: @escaping @Sendable (_ h: Harness, _ location: StoreLocation, _ folder: String) async throws -> Void)
        async throws {
        let location = try await TestDatabase.freshLocation()
        let folder = BackupRestoreTests.temporaryFolder("clinics")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let db = try ScarDatabase(location: location, logger: TestDatabase.logger, connectionsPerEventLoop: 1, connectionTimeout: 60)
        do {
            let built = try await ScarApp.build(configuration: configuration(), database: db, logger: TestDatabase.logger)
            let placeholder = Clinic(id: UUID(), name: "none", timeZone: "UTC")
            let nobody = StaffUser(id: UUID(), clinicId: placeholder.id, email: "nobody@example.invalid", displayName: "", role: .admin, active: false,
                                   passwordChangedAt: Date(), version: 1, mustChangePassword: false)
            try await built.application.test(.live) { client in
                try await body(Harness(client: client, db: db, routes: built.routes, clinic: placeholder, otherClinic: placeholder, staff: [:],
                                       otherClinicAdmin: nobody), location, folder)
            }
            await db.shutdown()
        } catch {
            await db.shutdown()
            throw error
        }
    }

    /// First sign-in of a new clinic's administrator, as the README describes it: the one-time
    /// password opens nothing but the password change; then nothing but two-factor enrolment;
    /// then an API token (password and code) that works. Returns that token.
    static func firstSignIn(_ h: Harness, email: String, oneTimePassword: String) async throws -> String {
        let first = try await h.token(email: email, password: oneTimePassword)
        let blocked = try await h.request(.get, "/api/v1/patients", token: first)
        #expect(blocked.status == .forbidden)
        #expect(blocked.json["title"] as? String == "Password change required")
        let s = try await PageSession.signIn(h, email: email, password: oneTimePassword)
        let changed = try await s.post(h, "/account/password", [("current", oneTimePassword), ("new", StaffAccountTests.newPassword),
                                                                ("confirm", StaffAccountTests.newPassword)])
        #expect(changed.status == .seeOther)
        #expect(changed.headers[.location] == "/?password=set", "a first password change leads on to the clinic's day")
        let fresh = try #require(PageSession.cookie(named: "scartrack_session", in: changed.headers))
        let page = try await h.request(.get, "/account/password?changed=1", headers: [.cookie: "scartrack_session=\(fresh)"])
        let session = PageSession(sessionCookie: fresh, csrf: try #require(PageSession.hiddenValue("csrf", in: page.body)))
        // An administrator: two-factor sign-in before anything else.
        let noSecondFactor = try await h.token(email: email, password: StaffAccountTests.newPassword)
        let refused = try await h.request(.get, "/api/v1/patients", token: noSecondFactor)
        #expect(refused.status == .forbidden)
        #expect(refused.json["title"] as? String == "Two-factor authentication required")
        let account = try await TwoFactorAccount.enrol(h, session)
        let signedIn = try await h.request(.post, "/api/v1/auth/sessions",
                                           json: ["email": email, "password": StaffAccountTests.newPassword, "code": account.code()])
        #expect(signedIn.status == .created, "\(signedIn.body)")
        return try #require(signedIn.json["token"] as? String)
    }

    static func oneTimePassword(in output: String) -> String? {
        output.range(of: "one-time password: ").flatMap { r in output[r.upperBound...].split(separator: " ").first.map(String.init) }
    }

    @Test func twoClinicsFromTheCommandLineAndTheOperatorAPISeeOnlyTheirOwnRecords() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await Self.withInstallation { h, location, folder in
            func cli(_ arguments: [String]) throws -> BackupRestoreTests.Run {
                try BackupRestoreTests.run(arguments, dataDirectory: folder, location: location)
            }
            // Clinic 1 from the command line.
            let added = try cli(["clinic", "add", "--name", "North Scar Clinic", "--time-zone", "Europe/London", "--admin-email", "Admin@North.example"])
            #expect(added.status == 0, "\(added.stderr)")
            let northPassword = try #require(Self.oneTimePassword(in: added.stdout), "\(added.stdout)")
            #expect(northPassword.count == 23)
            let clinics = try await StaffRepository(h.db).clinics()
            let north = try #require(clinics.first)
            #expect(clinics.count == 1 && north.name == "North Scar Clinic" && north.timeZone == "Europe/London")
            let northAdmin = try #require(try await StaffRepository(h.db).credentials(email: "admin@north.example")).user
            #expect(northAdmin.role == .admin && northAdmin.mustChangePassword && northAdmin.clinicId == north.id)
            // Refused: the same name again, a zone that is not IANA, no email.
            #expect(try cli(["clinic", "add", "--name", "north scar clinic", "--admin-email", "x@north.example"]).status != 0)
            #expect(try cli(["clinic", "add", "--name", "Zone", "--time-zone", "Mars/Olympus", "--admin-email", "y@zone.example"]).stderr.contains("time-zone"))

            // Clinic 2 through the operator API (anonymous: 401; staff: 403, see the matrix).
            let body: [String: Any] = ["name": "South Scar Clinic", "timeZone": "Europe/Paris", "adminEmail": "admin@south.example"]
            #expect(try await h.request(.post, "/api/v1/operator/clinics", json: body).status == .unauthorized)
            #expect(try await h.request(.post, "/api/v1/operator/clinics", json: body, token: "wrong-" + Self.operatorToken).status == .unauthorized)
            let invalid = try await h.request(.post, "/api/v1/operator/clinics", json: ["name": "", "timeZone": "CEST", "adminEmail": "nope", "extra": 1],
                                              token: Self.operatorToken)
            #expect(invalid.status == .unprocessableContent)
            #expect(Set(invalid.problemFields) == ["name", "timeZone", "adminEmail", "extra"])
            let created = try await h.request(.post, "/api/v1/operator/clinics", json: body, token: Self.operatorToken)
            #expect(created.status == .created, "\(created.body)")
            let southPassword = try #require(created.json["oneTimePassword"] as? String)
            let southId = try #require((created.json["clinic"] as? [String: Any])?["id"] as? String)
            #expect((created.json["admin"] as? [String: Any])?["mustChangePassword"] as? Bool == true)
            let again = try await h.request(.post, "/api/v1/operator/clinics", json: ["name": "Elsewhere", "adminEmail": "admin@south.example"],
                                            token: Self.operatorToken)
            #expect(again.status == .conflict && again.problemFields == ["adminEmail"])

            // The one-time passwords are shown once: only bcrypt hashes are stored.
            let stored = try #require(try await StaffRepository(h.db).credentials(email: "admin@south.example"))
            #expect(stored.passwordHash.hasPrefix("$2") && !stored.passwordHash.contains(southPassword))

            // Each administrator: password change, two-factor, then a patient of their own.
            let northToken = try await Self.firstSignIn(h, email: "admin@north.example", oneTimePassword: northPassword)
            let southToken = try await Self.firstSignIn(h, email: "admin@south.example", oneTimePassword: southPassword)
            let southPatient = try #require(try await h.registerPatient(token: southToken, given: "Sol", family: "Southpatient").json["id"] as? String)
            let northPatient = try #require(try await h.registerPatient(token: northToken, given: "Nia", family: "Northpatient").json["id"] as? String)
            #expect(try await h.request(.get, "/api/v1/patients/\(southPatient)", token: southToken).status == .ok)
            #expect(try await h.request(.get, "/api/v1/patients/\(southPatient)", token: northToken).status == .notFound)
            #expect(try await h.request(.get, "/api/v1/patients/\(northPatient)", token: southToken).status == .notFound)
            #expect(!(try await h.request(.get, "/api/v1/patients?q=Southpatient", token: northToken).body.contains("Southpatient")))
            #expect(!(try await h.request(.get, "/api/v1/patients?q=Northpatient", token: southToken).body.contains("Northpatient")))
            // The new clinic is complete: its protocol templates are there on first use, as for the first clinic.
            let templates = try await h.request(.get, "/api/v1/protocol-templates", token: southToken)
            #expect(((templates.json["items"] as? [[String: Any]])?.count ?? 0) == ExampleTemplates.all.count)

            // Staff for the second clinic from the command line: named by exact name or id; refused without one.
            let unnamed = try cli(["user", "add", "--email", "desk@south.example", "--role", "front-desk", "--generate"])
            #expect(unnamed.status != 0 && unnamed.stderr.contains("--clinic"), "\(unnamed.stdout) \(unnamed.stderr)")
            let desk = try cli(["user", "add", "--email", "desk@south.example", "--role", "front-desk", "--generate", "--clinic", "South Scar Clinic"])
            #expect(desk.status == 0, "\(desk.stderr)")
            let nurse = try cli(["user", "add", "--email", "nurse@north.example", "--role", "practitioner", "--generate", "--clinic", north.id.uuidString])
            #expect(nurse.status == 0, "\(nurse.stderr)")
            #expect(try await StaffRepository(h.db).credentials(email: "desk@south.example")?.user.clinicId.uuidString.lowercased() == southId)
            #expect(try await StaffRepository(h.db).credentials(email: "nurse@north.example")?.user.clinicId == north.id)

            // The operator's lists: the command and the API agree, with counts only.
            let listed = try cli(["clinic", "list"])
            #expect(listed.status == 0)
            let lines = listed.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            #expect(lines.count == 3)
            #expect(lines.dropFirst().contains([north.id.uuidString.lowercased(), "North Scar Clinic", "Europe/London", "2", "1"]))
            #expect(lines.dropFirst().contains([southId, "South Scar Clinic", "Europe/Paris", "2", "1"]))
            let list = try await h.request(.get, "/api/v1/operator/clinics", token: Self.operatorToken)
            #expect(list.status == .ok)
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["name"] as? String }) == ["North Scar Clinic", "South Scar Clinic"])
            #expect(items.allSatisfy { $0["patientCount"] as? Int == 1 && $0["staffCount"] as? Int == 2 })
            #expect(!list.body.contains("Southpatient") && !list.body.contains("Northpatient"))
            // The operator token is no staff credential.
            #expect(try await h.request(.get, "/api/v1/patients", token: Self.operatorToken).status == .unauthorized)
            #expect(try await h.request(.get, "/api/v1/patients/\(southPatient)", token: Self.operatorToken).status == .unauthorized)

            // Audited: the API's additions in the new clinic's trail, by the operator; the list too.
            let southTrail = try await AuditRepository(h.db).entries(clinicId: UUID(uuidString: southId)!, limit: 1000)
            #expect(southTrail.contains { $0.action == "clinic.create" && $0.actor == "operator" })
            #expect(southTrail.contains { $0.action == "staff.create" && $0.actor == "operator" })
            #expect(try await AuditRepository(h.db).entries(clinicId: north.id, limit: 1000).contains { $0.action == "clinic.create" && $0.actor == "cli" })
            let listings = try await h.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'operator.clinic-list' AND actor = 'operator'").first()!
                    .decode(column: "n", as: Int.self)
            }
            #expect(listings == 1)
        }
    }
}
