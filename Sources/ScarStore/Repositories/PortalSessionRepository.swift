import Foundation
import ScarCore
import SQLKit

/// Finding the signed-in patient of a portal request (the portal's own cookie; never a staff
/// session). Opening and closing sessions are use cases (`SignInWithCode`, `SignOutOfPortal`).
public struct PortalSessionRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    /// A live portal session: who the patient is (from the session only) and their clinic.
    public struct SignedInPatient: Sendable, Equatable {
        public var tokenHash: String
        public var patientId: UUID
        public var clinicId: UUID
        public var invitationId: UUID
        /// The patient's given name, for "Hello, Ada".
        public var givenName: String
        public var clinic: ClinicProfile
        /// The content hash of the clinic's logo, when it has one (the portal's header shows it).
        public var clinicLogo: String? = nil
        public var csrfToken: String
        public var createdAt: Date
        public var lastSeenAt: Date
        public var expiresAt: Date
    }

    /// The session for a token; nil when unknown, expired, idle too long, or its invitation was revoked.
    public func find(token: String, idleTimeout: TimeInterval = PortalRules.sessionIdleTimeout, now: Date = Date()) async throws -> SignedInPatient? {
        let hash = UnitOfWork.PortalHash.session(token)
        return try await db.read { sql in
            guard let row = try await sql.raw("""
                SELECT s.token_hash, s.patient_id, s.clinic_id, s.invitation_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
                       p.given_name, c.name AS c_name, c.address AS c_address, c.phone AS c_phone, c.email AS c_email, c.time_zone AS c_time_zone,
                       l.sha256 AS clinic_logo
                FROM portal_sessions s JOIN portal_invitations i ON i.id = s.invitation_id
                     JOIN patients p ON p.id = s.patient_id AND p.clinic_id = s.clinic_id JOIN clinics c ON c.id = s.clinic_id
                     LEFT JOIN clinic_logos l ON l.clinic_id = c.id
                WHERE s.token_hash = \(bind: hash) AND i.revoked_at IS NULL
                """).first() else { return nil }
            let lastSeenAt = try row.decode(column: "last_seen_at", as: Date.self)
            let expiresAt = try row.decode(column: "expires_at", as: Date.self)
            guard now < expiresAt, now.timeIntervalSince(lastSeenAt) < idleTimeout else { return nil }
            return SignedInPatient(tokenHash: hash, patientId: try row.decode(column: "patient_id", as: UUID.self),
                                   clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                                   invitationId: try row.decode(column: "invitation_id", as: UUID.self),
                                   givenName: try row.decode(column: "given_name", as: String.self),
                                   clinic: try UnitOfWork.profile(row, prefix: "c_"),
                                   clinicLogo: try row.decode(column: "clinic_logo", as: String?.self),
                                   csrfToken: try row.decode(column: "csrf_token", as: String.self),
                                   createdAt: try row.decode(column: "created_at", as: Date.self), lastSeenAt: lastSeenAt, expiresAt: expiresAt)
        }
    }

    /// Keeps an active session from idling out; written at most once a minute.
    public func touch(_ session: SignedInPatient, now: Date = Date()) async throws {
        guard now.timeIntervalSince(session.lastSeenAt) > 60 else { return }
        try await db.write { sql in
            try await sql.raw("UPDATE portal_sessions SET last_seen_at = \(bind: now) WHERE token_hash = \(bind: session.tokenHash)").run()
        }
    }
}
