import Foundation
import HTTPTypes
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 16: liveness and readiness for load balancers. Ready means the database answers, its
/// schema is exactly the one this build knows, and it takes writes.
@Suite("health: live and ready")
struct HealthTests {
    @Test func liveAndReadyOnACurrentDatabase() async throws {
        try await Harness.run { h in
            let live = try await h.request(.get, "/health/live")
            #expect(live.status == .ok)
            #expect(live.json["status"] as? String == "ok")
            let ready = try await h.request(.get, "/health/ready")
            #expect(ready.status == .ok, "\(ready.body)")
            #expect(ready.json["status"] as? String == "ready")
            #expect(ready.json["checks"] as? [String: Bool] == ["database": true, "schema": true, "writable": true])
            #expect((ready.json["problems"] as? [String])?.isEmpty == true)
        }
    }

    /// A server must not serve a schema a newer build migrated: it would misread its tables.
    @Test func aSchemaFromANewerBuildIsNotReadyAndSaysWhy() async throws {
        try await Harness.run { h in
            try await h.db.write { sql in
                try await sql.raw("INSERT INTO schema_migrations (id, applied_at) VALUES ('9999-from-a-newer-build', \(bind: Date()))").run()
            }
            let ready = try await h.request(.get, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["status"] as? String == "not-ready")
            #expect(ready.json["checks"] as? [String: Bool] == ["database": true, "schema": false, "writable": true])
            let problems = try #require(ready.json["problems"] as? [String])
            #expect(problems.count == 1 && problems[0].contains("9999-from-a-newer-build") && problems[0].contains("newer ScarTrack"))
            #expect(try await h.request(.get, "/health/live").status == .ok, "alive all the same")
        }
    }

    @Test func aMissingMigrationIsNotReady() async throws {
        try await Harness.run { h in
            let latest = Migrator.latest
            try await h.db.write { sql in try await sql.raw("DELETE FROM schema_migrations WHERE id = \(bind: latest)").run() }
            let state = try await Migrator.state(h.db)
            #expect(state.missing == [latest] && state.unknown.isEmpty)
            let ready = try await h.request(.get, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect((ready.json["problems"] as? [String])?.first?.contains("scartrack migrate") == true)
        }
    }
}
