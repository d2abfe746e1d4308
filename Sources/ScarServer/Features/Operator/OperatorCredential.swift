import Crypto
import Foundation
import Hummingbird

/// The installation operator's credential: one secret from the environment
/// (`SCARTRACK_OPERATOR_TOKEN`), sent as `Authorization: Bearer …` to `/api/v1/operator/...`.
/// It is not a staff account and not a session: it opens the operator routes only, and no
/// route that reads or changes a clinic's records accepts it.
enum OperatorCredential {
    /// 32 to 128 printable ASCII characters, no spaces (guessing must be hopeless).
    static func acceptable(_ token: String) -> String? {
        let t = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (32...128).contains(t.utf8.count), t.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        return t
    }

    static func bearer(in request: Request) -> String? {
        guard let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") else { return nil }
        return String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// Compared as SHA-256 digests in constant time: the time taken says nothing about how
    /// much of the token was right, nor about its length.
    static func matches(_ sent: String, _ expected: String) -> Bool {
        let a = Array(SHA256.hash(data: Data(sent.utf8))), b = Array(SHA256.hash(data: Data(expected.utf8)))
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
