import Foundation
import Hummingbird
import ScarStore

/// `GET /health`: liveness plus a real database round trip, for load balancers and monitors.
enum HealthRoutes {
    struct Health: Encodable {
        var status: String
        var database: DatabaseCheck
        var schema: String
    }

    struct DatabaseCheck: Encodable {
        var engine: String
        var ok: Bool
    }

    static func add(to routes: Routes, services: AppServices) {
        routes.api(.get, "/health", .anyone, "Liveness and database check") { _, _ in
            let ok = await services.database.ping()
            let body = Health(status: ok ? "ok" : "degraded",
                              database: DatabaseCheck(engine: services.database.engine.rawValue, ok: ok),
                              schema: Migrator.latest)
            return try JSON.response(body, status: ok ? .ok : .serviceUnavailable)
        }
    }
}
