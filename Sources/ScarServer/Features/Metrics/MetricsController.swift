import Foundation
import Hummingbird
import Metrics
import Prometheus
import ScarStore

/// `GET /metrics` in Prometheus's text format: requests and their latency by route template
/// (never by id: Hummingbird labels them with the matched path, e.g. `/patients/{id}`), and what
/// ScarTrack counts itself (outbox messages by state, taken at each scrape). With
/// `SCARTRACK_METRICS_TOKEN` set, the scraper must send it as a bearer token.
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let database: ScarDatabase
    let token: String?
    let reported = ReportedCounts()

    static func add(to routes: Routes, services: AppServices, registry: PrometheusCollectorRegistry) {
        let c = MetricsController(registry: registry, database: services.database, token: services.configuration.metricsToken)
        routes.api(.get, "/metrics", .anyone, "Prometheus metrics (bearer token when SCARTRACK_METRICS_TOKEN is set)", c.metrics)
    }

    /// One factory for the process: swift-metrics is bootstrapped once, by `serve`. Names are
    /// made Prometheus-safe (`hb.requests` → `hb_requests`).
    static func factory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in (sanitized(name), labels.map { (sanitized($0.0), $0.1) }) }
        return factory
    }

    static func sanitized(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") ? $0 : "_" })
    }

    @Sendable func metrics(_ request: Request, _ context: AppContext) async throws -> Response {
        if let token {
            let sent = request.headers[.authorization] ?? ""
            guard CSRF.equal(sent, "Bearer " + token) else { throw AppError.metricsTokenRequired }
        }
        // Every state is written at every scrape, so a state that has emptied reads 0, not its last value.
        let counts = Dictionary(try await database.outboxCounts().map { ($0.status, $0.count) }, uniquingKeysWith: +)
        for status in ["pending", "sending", "sent", "withdrawn", "failed"] {
            registry.makeGauge(name: "scartrack_outbox_messages", labels: [("status", status)]).set(Double(counts[status] ?? 0))
        }
        reported.report(database.counts, to: registry)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}

/// The database layer's counts as Prometheus counters: each scrape adds what happened since the last.
final class ReportedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var last = DatabaseCounts()

    func report(_ now: DatabaseCounts, to registry: PrometheusCollectorRegistry) {
        lock.lock()
        let delta = now - last
        last = now
        lock.unlock()
        registry.makeCounter(name: "scartrack_sql_statements_total").increment(by: Int64(delta.statements))
        registry.makeCounter(name: "scartrack_db_checkouts_total").increment(by: Int64(delta.checkouts))
        registry.makeCounter(name: "scartrack_db_commits_total").increment(by: Int64(delta.commits))
        registry.makeCounter(name: "scartrack_db_committed_writers_total").increment(by: Int64(delta.committedWriters))
    }
}
