import Foundation
import HTTPTypes
import Hummingbird

/// Who is really calling, behind a load balancer. The socket's peer is a proxy when it is in
/// `SCARTRACK_TRUSTED_PROXIES`; then the client is read from `Forwarded` (RFC 7239) or
/// `X-Forwarded-For`, walking from the right and skipping every hop that is itself a trusted
/// proxy. A header from an untrusted peer is ignored: anyone can write one.
public struct TrustedProxies: Sendable, Equatable {
    public struct Network: Sendable, Equatable {
        var address: [UInt8]
        var prefix: Int

        func contains(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == address.count else { return false }
            var left = prefix
            for (a, b) in zip(address, bytes) {
                if left <= 0 { return true }
                let mask: UInt8 = left >= 8 ? 0xFF : ~(0xFF >> UInt8(left))
                if a & mask != b & mask { return false }
                left -= 8
            }
            return true
        }
    }

    var networks: [Network]

    public static let none = TrustedProxies(networks: [])

    /// "127.0.0.1, 10.0.0.0/8, ::1" — addresses or CIDR blocks, IPv4 or IPv6; nil names the bad entry.
    public static func parse(_ text: String) -> Result<TrustedProxies, ConfigurationError> {
        var networks: [Network] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(parts[0]) else { return .failure(ConfigurationError("SCARTRACK_TRUSTED_PROXIES: \(entry) is not an IP address")) }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...(bytes.count * 8)).contains(prefix) else {
                return .failure(ConfigurationError("SCARTRACK_TRUSTED_PROXIES: \(entry) has a bad prefix length"))
            }
            networks.append(Network(address: bytes, prefix: prefix))
        }
        return .success(TrustedProxies(networks: networks))
    }

    func trusts(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client's address for a request that came from `peer` with these headers.
    func client(peer: String, forwarded: String?, xForwardedFor: String?) -> String {
        guard trusts(peer) else { return peer }
        let hops: [String]
        if let forwarded, !forwarded.isEmpty {
            hops = forwarded.split(separator: ",").compactMap { element in
                element.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                    .first { $0.lowercased().hasPrefix("for=") }
                    .map { Self.unquote(String($0.dropFirst(4))) }
            }
        } else if let xForwardedFor, !xForwardedFor.isEmpty {
            hops = xForwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        } else {
            return peer
        }
        // The rightmost hop a trusted proxy did not add is the client; an unparsable hop stops the walk.
        for hop in hops.reversed() {
            guard Self.bytes(hop) != nil else { return peer }
            if !trusts(hop) { return hop }
        }
        return hops.first ?? peer
    }

    /// `"[2001:db8::1]:4711"` → `2001:db8::1`; `"192.0.2.60:80"` → `192.0.2.60`.
    static func unquote(_ value: String) -> String {
        var v = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if v.hasPrefix("["), let end = v.firstIndex(of: "]") { return String(v[v.index(after: v.startIndex)..<end]) }
        if v.filter({ $0 == ":" }).count == 1, let colon = v.firstIndex(of: ":") { v = String(v[..<colon]) }
        return v
    }

    static func bytes(_ address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// Sets `context.clientAddress` from a trusted proxy's forwarding headers, before anything reads it.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let trusted: TrustedProxies

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard !trusted.networks.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = trusted.client(peer: context.clientAddress, forwarded: request.headers[.forwarded],
                                               xForwardedFor: request.headers[.xForwardedFor])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let forwarded = HTTPField.Name("Forwarded")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
