import Foundation
import ScarCore
import ScarStore

/// The one sign-in procedure behind both the page and the API: throttle, verify, open a new
/// session (fresh id every time), audit success and failure.
struct SignIn: Sendable {
    let staff: StaffRepository
    let signIns: SignInRepository
    let throttle: SignInThrottle
    let twoFactor: TwoFactorRepository
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
        /// The password was right and the account has two-factor on, but no code was given
        /// (API only; pages go to the code step instead).
        case codeRequired
    }

    enum Outcome: Sendable {
        case opened(Opened)
        /// Password right, second factor on: the code step must follow. Nothing is granted yet.
        case needsCode(StaffUser)
    }

    /// Password sign-in. With `code` (API) the second factor is checked in the same call; without
    /// it an account with two-factor on gets `.needsCode` (pages) and no session.
    func attempt(email rawEmail: String, password: String, code: String? = nil, kind: SignInRepository.Kind,
                 clientAddress: String, replacing oldToken: String?) async throws -> Outcome {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        // The attempt is counted before the password is checked, so concurrent guesses cannot all
        // pass the limit before any of them is recorded.
        guard let reservation = try await throttle.reserve(account: email, clientAddress: clientAddress) else { throw Failure.throttled }
        let found = email.isEmpty || email.count > 254 ? nil : try await staff.credentials(email: email)
        let matches = try await hasher.verify(password, hash: found?.passwordHash ?? PasswordHasher.decoyHash)
        guard let found, matches, found.user.active else {
            try await throttle.failed(reservation, clinicId: found?.user.clinicId, userId: found?.user.id)
            throw Failure.invalid
        }
        if try await twoFactor.status(userId: found.user.id).enabled {
            // The password was right: not a failure. The code step reserves its own attempt.
            try await throttle.release(reservation)
            guard let code else {
                if kind == .bearer { throw Failure.codeRequired }
                return .needsCode(found.user)
            }
            return .opened(try await secondStep(user: found.user, code: code, kind: kind, clientAddress: clientAddress, replacing: oldToken))
        }
        try await throttle.succeeded(reservation)
        return .opened(try await open(for: found.user, kind: kind, clientAddress: clientAddress, replacing: oldToken))
    }

    /// The code step: throttled and counted like passwords (a wrong or replayed code is a
    /// failed sign-in, audited as `auth.2fa-failed`); the attempt is reserved before the code is
    /// checked; success opens the session.
    func secondStep(user: StaffUser, code: String, kind: SignInRepository.Kind, clientAddress: String,
                    replacing oldToken: String?) async throws -> Opened {
        let actor = AuditActor(user: user, clientAddress: clientAddress)
        guard let reservation = try await throttle.reserve(account: user.email, clientAddress: clientAddress) else { throw Failure.throttled }
        guard user.active, code.count <= 64 else {
            try await throttle.failed(reservation, clinicId: user.clinicId, userId: user.id, action: "auth.2fa-failed")
            throw Failure.invalid
        }
        switch try await twoFactor.verify(userId: user.id, code: code, by: actor) {
        case .accepted, .recoveryCodeUsed:
            try await throttle.succeeded(reservation)
            return try await open(for: user, kind: kind, clientAddress: clientAddress, replacing: oldToken)
        case .wrong, .reused:
            try await throttle.failed(reservation, clinicId: user.clinicId, userId: user.id, action: "auth.2fa-failed")
            throw Failure.invalid
        }
    }

    /// A fresh session (new random token and CSRF token) for a user already proven.
    func open(for user: StaffUser, kind: SignInRepository.Kind, clientAddress: String, replacing oldToken: String?) async throws -> Opened {
        let token = Token.make()
        let csrf = Token.make()
        let expiresAt = Date().addingTimeInterval(absoluteTimeout)
        try await signIns.open(user: user, kind: kind, token: token, csrfToken: csrf, expiresAt: expiresAt,
                                replacing: oldToken, by: AuditActor(user: user, clientAddress: clientAddress))
        return Opened(user: user, token: token, csrfToken: csrf, expiresAt: expiresAt)
    }

    enum Confirmation: Sendable { case confirmed, refused, throttled }

    /// A signed-in user proves it is still them before something only they may do (taking a tablet
    /// back from a patient, turning two-factor off). Reserved and counted like a sign-in, so the
    /// same five-in-15-minutes limit holds; `secondCheck` (a code) runs only after a right password.
    func confirm(_ user: StaffUser, password: String, clientAddress: String, failureAction: String,
                 secondCheck: (() async throws -> Bool)? = nil) async throws -> Confirmation {
        guard let reservation = try await throttle.reserve(account: user.email, clientAddress: clientAddress) else { return .throttled }
        var right = !password.isEmpty && password.count <= 1024 ? try await verifyPassword(email: user.email, password: password) : false
        if right, let secondCheck { right = try await secondCheck() }
        guard right else {
            try await throttle.failed(reservation, clinicId: user.clinicId, userId: user.id, action: failureAction)
            return .refused
        }
        try await throttle.succeeded(reservation)
        return .confirmed
    }

    /// Checks a signed-in user's current password (change-password form).
    func verifyPassword(email: String, password: String) async throws -> Bool {
        guard let found = try await staff.credentials(email: email) else { return false }
        return try await hasher.verify(password, hash: found.passwordHash)
    }
}
