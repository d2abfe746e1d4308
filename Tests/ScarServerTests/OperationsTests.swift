import Foundation
import HTTPTypes
import Logging
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Operations (issue 16): request ids in replies, logs and audit entries; the first admin made
/// once however many servers start at once; the shipped systemd unit; counted statements.
@Suite("Operations")
struct OperationsTests {
    static let requestId = HTTPField.Name("X-Request-Id")!

    static func lastAuditDetails(_ db: ScarDatabase) async throws -> String {
        try await db.read { sql in
            try await sql.raw("SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1").first()!.decode(column: "details", as: String.self)
        }
    }

    @Test func aRequestIdSentIsReturnedAndWrittenIntoTheAuditEntry() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            let read = try await h.request(.get, "/api/v1/patients/\(id)", token: token, headers: [Self.requestId: "edge-42.a:b_c"])
            #expect(read.status == .ok)
            #expect(read.headers[Self.requestId] == "edge-42.a:b_c")
            let details = try await Self.lastAuditDetails(h.db)
            #expect(details.contains("\"requestId\":\"edge-42.a:b_c\""), "\(details)")
        }
    }

    @Test func aMissingOrUnsafeRequestIdIsReplacedByANewOne() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            let unsafe = try await h.request(.get, "/api/v1/patients/\(id)", token: token, headers: [Self.requestId: "<script> x"])
            let made = try #require(unsafe.headers[Self.requestId])
            #expect(made != "<script> x" && made.count == 32)
            let details = try await Self.lastAuditDetails(h.db)
            #expect(details.contains(made))
            let none = try await h.request(.get, "/health/live")
            #expect(none.headers[Self.requestId]?.count == 32)
            #expect(none.headers[Self.requestId] != made)
        }
    }

    @Test func jsonLogLinesAreOneObjectEachWithTheRequestFields() throws {
        let lines = LockedLines()
        var logger = Logger(label: "scartrack") { JSONLogHandler(label: $0, write: { lines.append($0) }) }
        logger.logLevel = .info
        logger.info("request", metadata: ["request_id": "abc", "status": "200", "route": "/api/v1/patients/{id}"])
        let line = try #require(lines.all.first)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["msg"] == "request")
        #expect(object["request_id"] == "abc")
        #expect(object["level"] == "info")
        #expect(object["route"] == "/api/v1/patients/{id}")
        #expect(object["ts"]?.hasSuffix("Z") == true)
    }

    @Test func threeServersStartingAtOnceOnAnEmptyDatabaseMakeOneClinicAndOneAdmin() async throws {
        let location = try await TestDatabase.freshLocation()
        let servers = try (0..<3).map { _ in
            try ScarDatabase(location: location, logger: TestDatabase.logger, connectionsPerEventLoop: 1, connectionTimeout: 60)
        }
        do {
            let admins = try await withThrowingTaskGroup(of: Bootstrap.InitialAdmin?.self) { group in
                for db in servers {
                    group.addTask {
                        try await Migrator.migrate(db)
                        return try await Bootstrap.ensureInitialAdmin(db)
                    }
                }
                var made: [Bootstrap.InitialAdmin?] = []
                for try await admin in group { made.append(admin) }
                return made
            }
            #expect(admins.compactMap { $0 }.count == 1)
            let counts = try await servers[0].read { sql in
                (try await sql.raw("SELECT COUNT(*) AS n FROM clinics").first()!.decode(column: "n", as: Int.self),
                 try await sql.raw("SELECT COUNT(*) AS n FROM staff_users").first()!.decode(column: "n", as: Int.self))
            }
            #expect(counts.0 == 1)
            #expect(counts.1 == 1)
            #expect(try await AuditRepository(servers[0]).verify().intact)
        } catch {
            for db in servers { await db.shutdown() }
            throw error
        }
        for db in servers { await db.shutdown() }
    }

    @Test func everyEnvironmentVariableIsInTheREADMEAndIdleMemoryCanBeTurnedOff() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        // `_PORT`-style rows name the variables that share a prefix with the row before.
        let undocumented = AppConfiguration.variables.map(\.name).filter { name in
            !readme.contains("`\(name)`") && !readme.contains("`_\(name.split(separator: "_").last ?? "")`")
        }
        #expect(undocumented.isEmpty, "README's configuration table lacks \(undocumented)")
        #expect(try AppConfiguration.fromEnvironment([:]).returnsIdleMemory)
        #expect(try !AppConfiguration.fromEnvironment(["SCARTRACK_RETURN_IDLE_MEMORY": "false"]).returnsIdleMemory)
        #expect(throws: ConfigurationError.self) { try AppConfiguration.fromEnvironment(["SCARTRACK_RETURN_IDLE_MEMORY": "sometimes"]) }
    }

    @Test func theShippedSystemdUnitVerifies() throws {
        let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let analyze else {
            print("OperationsTests: systemd-analyze is not installed; the unit check is skipped")
            return
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try String(contentsOf: root.appendingPathComponent("deploy/scartrack.service"), encoding: .utf8)
        #expect(shipped.contains("ExecStart=/usr/local/bin/scartrack serve"))
        // verify checks that ExecStart's program exists: point it at a program that does here.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func verify(_ text: String) throws -> (Int32, String) {
            let unit = folder.appendingPathComponent("scartrack.service")
            try text.write(to: unit, atomically: true, encoding: .utf8)
            let run = try ProcessRunner.run(["verify", unit.path], executable: URL(fileURLWithPath: analyze))
            return (run.status, run.stdout + run.stderr)
        }
        let local = shipped.replacingOccurrences(of: "/usr/local/bin/scartrack", with: "/bin/true")
        let (status, output) = try verify(local)
        #expect(status == 0, "\(output)")
        #expect(!output.contains("scartrack.service"), "\(output)")
        // The check can fail: a misspelt setting is reported.
        let (_, broken) = try verify(local.replacingOccurrences(of: "Type=exec", with: "Type=nonsense"))
        #expect(broken.contains("nonsense"))
    }

    @Test func theStatementCounterCountsWhatAPatientPageCosts() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            let before = h.db.counts
            let page = try await h.request(.get, "/patients/\(id)", token: token)
            #expect(page.status == .ok)
            let cost = h.db.counts - before
            #expect(cost.statements > 0 && cost.checkouts > 0 && cost.commits > 0)
            print("patient page: \(cost.statements) statements, \(cost.checkouts) checkouts, \(cost.commits) commits")
        }
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
