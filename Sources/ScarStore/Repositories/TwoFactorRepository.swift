import Crypto
import Foundation
import ScarCore
import SQLKit

/// HMAC for TOTP (RFC 6238): SHA-1 by default, the algorithm authenticator apps support.
/// Not HummingbirdOTP's `TOTP`: it takes the secret as a `String` and keys the HMAC with its UTF-8
/// bytes, so the 160 random bits RFC 4226 recommends (most byte strings are no valid UTF-8) cannot be
/// given to it; swift-crypto's HMAC and the RFC's truncation (`ScarCore.TOTP`) are all this needs.
public enum TOTPGenerator {
    public enum Algorithm: Sendable { case sha1, sha256, sha512 }

    public static func code(secret: [UInt8], step: Int64, algorithm: Algorithm = .sha1, digits: Int = TOTP.digits) -> String {
        let key = SymmetricKey(data: secret)
        let message = TOTP.message(step: step)
        let mac: [UInt8] = switch algorithm {
        case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
        return TOTP.truncate(mac, digits: digits)
    }

    /// A new random 160-bit secret from the system's cryptographic generator.
    public static func newSecret() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<TOTP.secretBytes).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }
}

/// Second factor of staff accounts: enrolment, verification (each TOTP step usable once),
/// recovery codes (stored as SHA-256, usable once), and the half-signed-in state between
/// password and code. Every change is audited in its own transaction.
public struct TwoFactorRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct Status: Sendable, Equatable {
        public var enabled: Bool
        public var pendingSecret: [UInt8]?
        public var recoveryCodesLeft: Int

        public init(enabled: Bool, pendingSecret: [UInt8]?, recoveryCodesLeft: Int) {
            (self.enabled, self.pendingSecret, self.recoveryCodesLeft) = (enabled, pendingSecret, recoveryCodesLeft)
        }
    }

    public enum Verification: Sendable, Equatable {
        case accepted
        case recoveryCodeUsed(left: Int)
        /// The right code, but its time step was already used (a replayed code).
        case reused
        case wrong
    }

    public func status(userId: UUID) async throws -> Status {
        try await db.read { sql in
            let row = try await sql.raw("SELECT secret, CASE WHEN enabled THEN 1 ELSE 0 END AS on_ FROM staff_second_factor WHERE user_id = \(bind: userId)").first()
            let enabled = try row.map { try $0.decode(column: "on_", as: Int.self) == 1 } ?? false
            let secret = try row.map { try $0.decode(column: "secret", as: String.self) }
            let left = try await sql.raw("SELECT COUNT(*) AS n FROM staff_recovery_codes WHERE user_id = \(bind: userId) AND used_at IS NULL")
                .first()!.decode(column: "n", as: Int.self)
            return Status(enabled: enabled, pendingSecret: enabled ? nil : secret.flatMap(Base32.decode), recoveryCodesLeft: enabled ? left : 0)
        }
    }

    /// The secret being enrolled (not yet enabled); a new one is stored if there is none.
    public func pendingSecret(userId: UUID, now: Date = Date()) async throws -> [UInt8]? {
        try await db.write { sql in
            if let row = try await sql.raw("SELECT secret, CASE WHEN enabled THEN 1 ELSE 0 END AS on_ FROM staff_second_factor WHERE user_id = \(bind: userId)").first() {
                if try row.decode(column: "on_", as: Int.self) == 1 { return nil }
                return Base32.decode(try row.decode(column: "secret", as: String.self))
            }
            let secret = TOTPGenerator.newSecret()
            try await sql.raw("""
                INSERT INTO staff_second_factor (user_id, secret, enabled, last_step, created_at)
                VALUES (\(bind: userId), \(bind: Base32.encode(secret)), \(bind: false), 0, \(bind: now))
                """).run()
            return secret
        }
    }

    /// Turns two-factor on when `code` matches the pending secret; stores the recovery codes
    /// (hashed) and audits `auth.2fa-enable`. False when the code does not match.
    public func enable(user: StaffUser, code: String, recoveryCodes: [String], by actor: AuditActor, now: Date = Date()) async throws -> Bool {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await Self.lockedRow(userId: user.id, engine: engine, on: sql), !row.enabled,
                  let step = Self.matchingStep(secret: row.secret, code: code, now: now)
            else { return false }
            try await sql.raw("""
                UPDATE staff_second_factor SET enabled = \(bind: true), last_step = \(bind: step), enabled_at = \(bind: now)
                WHERE user_id = \(bind: user.id)
                """).run()
            try await sql.raw("DELETE FROM staff_recovery_codes WHERE user_id = \(bind: user.id)").run()
            for code in recoveryCodes {
                guard let normalized = RecoveryCodes.normalized(code) else { continue }
                try await sql.raw("""
                    INSERT INTO staff_recovery_codes (id, user_id, code_hash) VALUES (\(bind: UUID()), \(bind: user.id), \(bind: SHA256Hex.of(normalized)))
                    """).run()
            }
            try await AuditTrail.append(AuditEvent(action: "auth.2fa-enable", recordType: "staff", recordId: user.id.uuidString,
                                                   details: ["recoveryCodes": String(recoveryCodes.count)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return true
        }
    }

    /// Checks a code (TOTP or recovery code) for an enabled account. A TOTP step is accepted
    /// once only; a recovery code is spent. Recovery-code use is audited here; the caller
    /// audits failures (they also count towards sign-in throttling).
    public func verify(userId: UUID, code: String, by actor: AuditActor, now: Date = Date()) async throws -> Verification {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await Self.lockedRow(userId: userId, engine: engine, on: sql), row.enabled else { return .wrong }
            if TOTP.normalizedCode(code) != nil {
                guard let step = Self.matchingStep(secret: row.secret, code: code, now: now) else { return .wrong }
                guard step > row.lastStep else { return .reused }
                try await sql.raw("UPDATE staff_second_factor SET last_step = \(bind: step) WHERE user_id = \(bind: userId)").run()
                return .accepted
            }
            guard let normalized = RecoveryCodes.normalized(code),
                  let found = try await sql.raw("""
                      SELECT id FROM staff_recovery_codes
                      WHERE user_id = \(bind: userId) AND code_hash = \(bind: SHA256Hex.of(normalized)) AND used_at IS NULL
                      """).first()
            else { return .wrong }
            let id = try found.decode(column: "id", as: UUID.self)
            try await sql.raw("UPDATE staff_recovery_codes SET used_at = \(bind: now) WHERE id = \(bind: id)").run()
            let left = try await sql.raw("SELECT COUNT(*) AS n FROM staff_recovery_codes WHERE user_id = \(bind: userId) AND used_at IS NULL")
                .first()!.decode(column: "n", as: Int.self)
            try await AuditTrail.append(AuditEvent(action: "auth.2fa-recovery-code-used", recordType: "staff", recordId: userId.uuidString,
                                                   details: ["left": String(left)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return .recoveryCodeUsed(left: left)
        }
    }

    /// Turns two-factor off (secret and recovery codes deleted) and audits `auth.2fa-disable`.
    public func disable(userId: UUID, by actor: AuditActor, now: Date = Date()) async throws {
        let engine = db.engine
        try await db.write { sql in
            try await sql.raw("DELETE FROM staff_recovery_codes WHERE user_id = \(bind: userId)").run()
            try await sql.raw("DELETE FROM staff_second_factor WHERE user_id = \(bind: userId)").run()
            try await AuditTrail.append(AuditEvent(action: "auth.2fa-disable", recordType: "staff", recordId: userId.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
        }
    }

    // MARK: Half-signed-in (password right, code not yet given)

    /// Records that the password was right; the token (stored hashed) lets the same browser
    /// or client give the code within `lifetime`. It grants nothing else.
    public func openPending(userId: UUID, kind: SignInRepository.Kind, token: String, clientAddress: String,
                            lifetime: TimeInterval = 5 * 60, now: Date = Date()) async throws {
        try await db.write { sql in
            try await sql.raw("DELETE FROM pending_sign_ins WHERE expires_at < \(bind: now)").run()
            try await sql.raw("""
                INSERT INTO pending_sign_ins (token_hash, user_id, kind, client_address, created_at, expires_at)
                VALUES (\(bind: SignInRepository.hash(token: token)), \(bind: userId), \(bind: kind.rawValue),
                        \(bind: clientAddress), \(bind: now), \(bind: now.addingTimeInterval(lifetime)))
                """).run()
        }
    }

    /// The account waiting for its code, while the pending token is live.
    public func pendingUser(token: String, now: Date = Date()) async throws -> UUID? {
        try await db.read { sql in
            try await sql.raw("""
                SELECT user_id FROM pending_sign_ins WHERE token_hash = \(bind: SignInRepository.hash(token: token)) AND expires_at > \(bind: now)
                """).first()?.decode(column: "user_id", as: UUID.self)
        }
    }

    public func closePending(token: String) async throws {
        try await db.write { sql in
            try await sql.raw("DELETE FROM pending_sign_ins WHERE token_hash = \(bind: SignInRepository.hash(token: token))").run()
        }
    }

    // MARK: Helpers

    struct Row {
        var secret: [UInt8]
        var enabled: Bool
        var lastStep: Int64
    }

    /// The account's row, locked on PostgreSQL (SQLite writes are already serialized), so two
    /// requests cannot both spend the same step or recovery code.
    static func lockedRow(userId: UUID, engine: Engine, on sql: any SQLDatabase) async throws -> Row? {
        guard let row = try await sql.raw("""
            SELECT secret, CASE WHEN enabled THEN 1 ELSE 0 END AS on_, last_step FROM staff_second_factor WHERE user_id = \(bind: userId)\(unsafeRaw: engine == .postgres ? " FOR UPDATE" : "")
            """).first(),
            let secret = Base32.decode(try row.decode(column: "secret", as: String.self))
        else { return nil }
        return Row(secret: secret, enabled: try row.decode(column: "on_", as: Int.self) == 1,
                   lastStep: Int64(try row.decode(column: "last_step", as: Int.self)))
    }

    /// The time step (within ±1 of now) whose code is `code`, latest first.
    static func matchingStep(secret: [UInt8], code: String, now: Date) -> Int64? {
        guard let code = TOTP.normalizedCode(code) else { return nil }
        let current = TOTP.step(at: now)
        for offset in TOTP.drift.reversed() {
            let step = current + offset
            if constantTimeEqual(TOTPGenerator.code(secret: secret, step: step), code) { return step }
        }
        return nil
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
