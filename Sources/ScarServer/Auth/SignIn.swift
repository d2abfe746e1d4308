import Foundation
import ScarCore
import ScarStore

/// The one sign-in procedure behind both the page and the API: throttle, verify, open a new
/// session (fresh id every time), audit success and failure.
struct SignIn: Sendable {
    let staff: StaffRepository
    let sessions: AuthSessionRepository
    let throttle: SignInThrottle
    let hasher: PasswordHasher
    let absoluteTimeout: TimeInterval

    struct Opened: Sendable {
        var user: StaffUser
        var token: String
        var csrfToken: String
        var expiresAt: Date
    }

    enum Failure: Error {
        case invalid
        case throttled
    }

    func attempt(email rawEmail: String, password: String, kind: AuthSessionRepository.Kind, clientAddress: String,
                 replacing oldToken: String?) async throws -> Opened {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard try await throttle.allows(account: email, clientAddress: clientAddress) else { throw Failure.throttled }
        let found = email.isEmpty || email.count > 254 ? nil : try await staff.credentials(email: email)
        let matches = try await hasher.verify(password, hash: found?.passwordHash ?? PasswordHasher.decoyHash)
        guard let found, matches, found.user.active else {
            try await throttle.recordFailure(account: email, clientAddress: clientAddress,
                                             clinicId: found?.user.clinicId, userId: found?.user.id)
            throw Failure.invalid
        }
        try await throttle.reset(account: email)
        return try await open(for: found.user, kind: kind, clientAddress: clientAddress, replacing: oldToken)
    }

    /// A fresh session (new random token and CSRF token) for a user already proven.
    func open(for user: StaffUser, kind: AuthSessionRepository.Kind, clientAddress: String, replacing oldToken: String?) async throws -> Opened {
        let token = Token.make()
        let csrf = Token.make()
        let expiresAt = Date().addingTimeInterval(absoluteTimeout)
        try await sessions.open(user: user, kind: kind, token: token, csrfToken: csrf, expiresAt: expiresAt,
                                replacing: oldToken, by: AuditActor(user: user, clientAddress: clientAddress))
        return Opened(user: user, token: token, csrfToken: csrf, expiresAt: expiresAt)
    }

    /// Checks a signed-in user's current password (change-password form).
    func verifyPassword(email: String, password: String) async throws -> Bool {
        guard let found = try await staff.credentials(email: email) else { return false }
        return try await hasher.verify(password, hash: found.passwordHash)
    }
}
