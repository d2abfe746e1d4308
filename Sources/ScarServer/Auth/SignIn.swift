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
        let token = Token.make()
        let csrf = Token.make()
        let expiresAt = Date().addingTimeInterval(absoluteTimeout)
        try await sessions.open(user: found.user, kind: kind, token: token, csrfToken: csrf, expiresAt: expiresAt,
                                replacing: oldToken, by: AuditActor(user: found.user, clientAddress: clientAddress))
        return Opened(user: found.user, token: token, csrfToken: csrf, expiresAt: expiresAt)
    }
}
