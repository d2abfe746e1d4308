import Crypto
import Foundation
import ScarCore
import SQLKit

/// Server-side sign-in sessions. They live in the database, so they survive a restart and
/// are shared by every app server on PostgreSQL. The token itself is never stored.
public struct SignInRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public enum Kind: String, Sendable {
        /// Browser pages: cookie, CSRF token checked on every state-changing form.
        case cookie
        /// API clients: `Authorization: Bearer`, no ambient credential, so no CSRF.
        case bearer
    }

    public struct SignedIn: Sendable, Equatable {
        public var tokenHash: String
        public var user: StaffUser
        public var clinicName: String
        /// The clinic's IANA time zone: "today" for screening is the clinic's day.
        public var clinicTimeZone: String
        public var kind: Kind
        public var csrfToken: String
        public var createdAt: Date
        public var lastSeenAt: Date
        public var expiresAt: Date
        /// The account has a confirmed second factor (TOTP).
        public var twoFactorEnabled: Bool = false
        /// The clinic as its pages and handouts show it (letterhead, footer).
        public var clinic: ClinicProfile? = nil
        /// The content hash of the clinic's logo, when it has one (the header and letterhead show it).
        public var clinicLogo: String? = nil
        /// Handed to a patient to sign a consent (tablet patient mode): nothing else is served until staff end it.
        public var patientMode: PatientModeLock? = nil
    }

    public static func hash(token: String) -> String {
        SHA256Hex.of(token)
    }

    /// Opens a new session (a fresh random token every sign-in: the id is rotated) and
    /// records the sign-in in the audit trail, in one transaction. Returns the token.
    public func open(user: StaffUser, kind: Kind, token: String, csrfToken: String, expiresAt: Date,
                     replacing oldToken: String?, by actor: AuditActor, now: Date = Date()) async throws {
        let engine = db.engine
        try await db.write { sql in
            if let oldToken {
                try await sql.raw("DELETE FROM auth_sessions WHERE token_hash = \(bind: Self.hash(token: oldToken))").run()
            }
            try await sql.raw("""
                INSERT INTO auth_sessions (token_hash, user_id, kind, csrf_token, created_at, last_seen_at, expires_at, client_address)
                VALUES (\(bind: Self.hash(token: token)), \(bind: user.id), \(bind: kind.rawValue), \(bind: csrfToken),
                        \(bind: now), \(bind: now), \(bind: expiresAt), \(bind: actor.clientAddress))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "auth.sign-in", recordType: "staff", recordId: user.id.uuidString,
                                                   details: ["kind": kind.rawValue]),
                                        by: actor, engine: engine, on: sql, now: now)
        }
    }

    /// The live session for a token, with its (active) user; nil when unknown, expired,
    /// idle too long, the account is disabled, or the password changed after sign-in.
    public func find(token: String, idleTimeout: TimeInterval, now: Date = Date()) async throws -> SignedIn? {
        let hash = Self.hash(token: token)
        return try await db.read { sql in
            guard let row = try await sql.raw("""
                SELECT s.token_hash, s.kind, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
                       s.patient_mode_patient_id, s.patient_mode_kind, s.patient_mode_started_at, s.patient_mode_consent_id,
                       u.id, u.clinic_id, u.email, u.display_name, u.role, u.active, u.password_changed_at, u.version, u.password_hash, u.must_change_password,
                       c.name AS clinic_name, c.time_zone AS clinic_time_zone, c.name AS clinic_profile_name,
                       c.address AS clinic_profile_address, c.phone AS clinic_profile_phone, c.email AS clinic_profile_email,
                       c.time_zone AS clinic_profile_time_zone,
                       CASE WHEN f.enabled THEN 1 ELSE 0 END AS two_factor, l.sha256 AS clinic_logo
                FROM auth_sessions s JOIN staff_users u ON u.id = s.user_id JOIN clinics c ON c.id = u.clinic_id
                     LEFT JOIN staff_second_factor f ON f.user_id = u.id LEFT JOIN clinic_logos l ON l.clinic_id = c.id
                WHERE s.token_hash = \(bind: hash)
                """).first() else { return nil }
            let u = try row.decode(model: StaffRepository.UserRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            guard let user = u.user, user.active else { return nil }
            let createdAt = try row.decode(column: "created_at", as: Date.self)
            let lastSeenAt = try row.decode(column: "last_seen_at", as: Date.self)
            let expiresAt = try row.decode(column: "expires_at", as: Date.self)
            guard now < expiresAt, now.timeIntervalSince(lastSeenAt) < idleTimeout,
                  user.passwordChangedAt <= createdAt.addingTimeInterval(1)
            else { return nil }
            return SignedIn(tokenHash: hash, user: user, clinicName: try row.decode(column: "clinic_name", as: String.self),
                           clinicTimeZone: try row.decode(column: "clinic_time_zone", as: String.self),
                           kind: Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .cookie,
                           csrfToken: try row.decode(column: "csrf_token", as: String.self),
                           createdAt: createdAt, lastSeenAt: lastSeenAt, expiresAt: expiresAt,
                           twoFactorEnabled: try row.decode(column: "two_factor", as: Int.self) == 1,
                           clinic: try UnitOfWork.profile(row, prefix: "clinic_profile_"),
                           clinicLogo: try row.decode(column: "clinic_logo", as: String?.self),
                           patientMode: try UnitOfWork.patientModeLock(row))
        }
    }

    /// Keeps an active session from idling out. Written at most once a minute per session.
    public func touch(_ signedIn: SignedIn, now: Date = Date()) async throws {
        guard now.timeIntervalSince(signedIn.lastSeenAt) > 60 else { return }
        try await db.write { sql in
            try await sql.raw("UPDATE auth_sessions SET last_seen_at = \(bind: now) WHERE token_hash = \(bind: signedIn.tokenHash)").run()
        }
    }

    /// Sign-out: the session is gone server-side, whatever the browser keeps.
    public func close(token: String, by actor: AuditActor) async throws {
        let engine = db.engine
        try await db.write { sql in
            try await sql.raw("DELETE FROM auth_sessions WHERE token_hash = \(bind: Self.hash(token: token))").run()
            try await AuditTrail.append(AuditEvent(action: "auth.sign-out", recordType: "staff", recordId: actor.userId?.uuidString),
                                        by: actor, engine: engine, on: sql)
        }
    }

    /// Ends every session of a user (account disabled, password changed).
    static func closeAll(userId: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM auth_sessions WHERE user_id = \(bind: userId)").run()
    }
}
