import Foundation
import HTTPTypes
@testable import ScarServer
import ScarStore
import SQLKit
import Testing

/// Issue 16: behind a load balancer the client's address (throttling, audit) comes from the
/// forwarding headers, and only when the socket's peer is a configured proxy.
@Suite("client address behind a trusted proxy")
struct TrustedProxyTests {
    static let proxies = try! TrustedProxies.parse("127.0.0.1, 10.0.0.0/8, 2001:db8::/32").get()

    @Test(arguments: [
        ("127.0.0.1", nil, "203.0.113.7", "203.0.113.7"),                       // one trusted hop
        ("127.0.0.1", nil, "198.51.100.9, 203.0.113.7, 10.1.2.3", "203.0.113.7"), // the rightmost untrusted hop, not a forged left one
        ("192.0.2.1", nil, "203.0.113.7", "192.0.2.1"),                         // an untrusted peer's header is ignored
        ("127.0.0.1", "for=203.0.113.8;proto=https, for=\"[2001:db8::5]:4711\"", "198.51.100.1", "203.0.113.8"), // Forwarded wins
        ("127.0.0.1", nil, "not-an-address", "127.0.0.1"),                      // garbage stops the walk
        ("127.0.0.1", nil, nil, "127.0.0.1"),
    ] as [(String, String?, String?, String)])
    func theClientIsTheRightmostHopNoTrustedProxyAdded(peer: String, forwarded: String?, xff: String?, expected: String) {
        #expect(Self.proxies.client(peer: peer, forwarded: forwarded, xForwardedFor: xff) == expected)
    }

    @Test func badEntriesAreNamed() {
        guard case .failure(let e) = TrustedProxies.parse("10.0.0.0/33") else { Issue.record("accepted /33"); return }
        #expect(e.description.contains("10.0.0.0/33"))
        guard case .failure = TrustedProxies.parse("proxy.example") else { Issue.record("accepted a name"); return }
    }

    @Test func theAuditRecordsTheForwardedClientOnlyFromATrustedProxy() async throws {
        var configuration = Harness.configuration()
        configuration.trustedProxies = try TrustedProxies.parse("127.0.0.1").get()
        try await Harness.run(configuration: configuration) { h in
            let r = try await h.request(.post, "/api/v1/auth/sessions", json: ["email": h.staff[.practitioner]!.email, "password": "wrong-password-here"],
                                        headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7"])
            #expect(r.status == .unauthorized)
            let addresses = try await h.db.read { sql in
                try await sql.raw("SELECT client_address FROM audit_log WHERE action = 'auth.sign-in-failed'").all()
                    .map { try $0.decode(column: "client_address", as: String.self) }
            }
            #expect(addresses == ["203.0.113.7"], "\(addresses)")
        }
    }
}
