import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's thread pool: a cost-12 hash takes a quarter of a second and must
/// never hold up the event loop that serves other requests.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        precondition(cost >= 12, "bcrypt cost below 12 is not allowed for staff passwords")
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Verifying against this when the account does not exist makes "no such account" take
    /// as long as "wrong password", so response times do not reveal which emails exist.
    static let decoyHash = Bcrypt.hash("decoy password that matches nothing", cost: 12)
}
