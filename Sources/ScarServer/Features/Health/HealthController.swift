import Foundation
import Hummingbird
import ScarStore

/// Health for load balancers and monitors. `/health/live`: the process answers (no database).
/// `/health/ready`: the database answers, its schema is the one this build knows (a schema
/// migrated by a newer build is not ready, with the reason), and it takes writes.
/// `/health` is the older combined check, kept for existing monitors.
struct HealthController {
    struct Health: Encodable {
        var status: String
        var database: DatabaseCheck
        var schema: String
    }

    struct DatabaseCheck: Encodable {
        var engine: String
        var ok: Bool
    }

    struct Live: Encodable {
        var status: String
    }

    struct Ready: Encodable {
        var status: String
        var checks: Checks
        /// Why it is not ready, in words for the operator; absent when ready.
        var problems: [String]
    }

    struct Checks: Encodable {
        var database: Bool
        var schema: Bool
        var writable: Bool
    }

    let database: ScarDatabase

    static func add(to routes: Routes, services: AppServices) {
        let c = HealthController(database: services.database)
        routes.api(.get, "/health", .anyone, "Liveness and database check", c.health)
        routes.api(.get, "/health/live", .anyone, "Liveness: the process answers", c.live)
        routes.api(.get, "/health/ready", .anyone, "Readiness: database reachable, schema current, writes accepted", c.ready)
    }

    @Sendable func health(_ request: Request, _ context: AppContext) async throws -> Response {
        let ok = await database.ping()
        let body = Health(status: ok ? "ok" : "degraded", database: DatabaseCheck(engine: database.engine.rawValue, ok: ok),
                          schema: Migrator.latest)
        return try JSON.response(body, status: ok ? .ok : .serviceUnavailable)
    }

    @Sendable func live(_ request: Request, _ context: AppContext) async throws -> Response {
        try JSON.response(Live(status: "ok"))
    }

    @Sendable func ready(_ request: Request, _ context: AppContext) async throws -> Response {
        var problems: [String] = []
        let reachable = await database.ping()
        if !reachable { problems.append("The database does not answer.") }
        var schemaCurrent = false
        if reachable {
            if let state = try? await Migrator.state(database) {
                schemaCurrent = state.current
                if let problem = state.problem { problems.append(problem) }
            } else {
                problems.append("The schema could not be read.")
            }
        }
        let writable = reachable ? await database.acceptsWrites() : false
        if reachable, !writable { problems.append("The database does not accept writes (read-only or a standby).") }
        let ready = problems.isEmpty
        return try JSON.response(Ready(status: ready ? "ready" : "not-ready",
                                       checks: Checks(database: reachable, schema: schemaCurrent, writable: writable), problems: problems),
                                 status: ready ? .ok : .serviceUnavailable)
    }
}
