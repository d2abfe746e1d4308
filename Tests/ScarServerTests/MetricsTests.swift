import Foundation
import HTTPTypes
import ScarServer
import Testing

/// Issue 16: `/metrics` in Prometheus's text format, labelled by route template, never by id.
@Suite("metrics")
struct MetricsTests {
    @Test func requestsAreCountedByRouteTemplateAndTheOutboxByState() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            #expect(try await h.request(.get, "/api/v1/patients/\(id)", token: token).status == .ok)
            let scrape = try await h.request(.get, "/metrics")
            #expect(scrape.status == .ok)
            #expect(scrape.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(scrape.body.contains("# TYPE hb_requests counter"))
            #expect(scrape.body.contains("/api/v1/patients/{id}") || scrape.body.contains("/api/v1/patients/:id"),
                    "the patient read is counted under its route template")
            #expect(!scrape.body.contains(id), "no record id in a metric label")
            #expect(scrape.body.contains("http_server_request_duration"))
            #expect(scrape.body.contains("# TYPE scartrack_outbox_messages gauge"))
        }
    }

    @Test func aMetricsTokenKeepsOtherScrapersOut() async throws {
        var configuration = Harness.configuration()
        configuration.metricsToken = "metrics-token-0123456789abcdefghijklmnop"
        try await Harness.run(configuration: configuration) { h in
            let refused = try await h.request(.get, "/metrics")
            #expect(refused.status == .unauthorized)
            #expect(refused.isProblem)
            let wrong = try await h.request(.get, "/metrics", token: "not-the-metrics-token-0123456789abcdef")
            #expect(wrong.status == .unauthorized)
            #expect(try await h.request(.get, "/metrics", token: "metrics-token-0123456789abcdefghijklmnop").status == .ok)
        }
    }
}
