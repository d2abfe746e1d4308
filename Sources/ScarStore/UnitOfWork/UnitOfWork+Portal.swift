import Foundation
import ScarCore
import SQLKit

/// The portal realm's reads and writes (migration `0020-portal`): invitations, one-time codes
/// (hashes only), portal sessions, the throttle's attempts and patient messages without an appointment.
extension UnitOfWork {
    public struct PortalInvitation: Sendable, Equatable {
        public var id: UUID
        public var clinicId: UUID
        public var patientId: UUID
        public var email: String
        public var invitedBy: UUID
        public var invitedAt: Date
        public var acceptedAt: Date?

        public init(id: UUID, clinicId: UUID, patientId: UUID, email: String, invitedBy: UUID, invitedAt: Date, acceptedAt: Date?) {
            (self.id, self.clinicId, self.patientId, self.email) = (id, clinicId, patientId, email)
            (self.invitedBy, self.invitedAt, self.acceptedAt) = (invitedBy, invitedAt, acceptedAt)
        }
    }

    /// Hashes of the portal's one-time secrets: the link token alone (256 bits), the six-digit
    /// code salted with its row id so equal codes never share a hash.
    public enum PortalHash {
        public static func link(_ token: String) -> String { SHA256Hex.of(token) }
        public static func code(_ code: String, id: UUID) -> String { SHA256Hex.of(id.uuidString.lowercased() + ":" + code) }
        public static func session(_ token: String) -> String { SHA256Hex.of(token) }
    }

    static let invitationColumns = "id, clinic_id, patient_id, email, invited_by, invited_at, accepted_at"

    static func invitation(_ row: any SQLRow) throws -> PortalInvitation {
        PortalInvitation(id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                         patientId: try row.decode(column: "patient_id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
                         invitedBy: try row.decode(column: "invited_by", as: UUID.self), invitedAt: try row.decode(column: "invited_at", as: Date.self),
                         acceptedAt: try row.decode(column: "accepted_at", as: Date?.self))
    }

    /// The patient's current (not revoked) invitation.
    public func activePortalInvitation(patientId: UUID, clinicId: UUID) async throws -> PortalInvitation? {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.invitationColumns) FROM portal_invitations
            WHERE patient_id = \(bind: patientId) AND clinic_id = \(bind: clinicId) AND revoked_at IS NULL
            """).first().map(Self.invitation)
    }

    /// The current invitation for an e-mail address (at most one: a unique index).
    public func activePortalInvitation(email: String) async throws -> PortalInvitation? {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.invitationColumns) FROM portal_invitations WHERE email = \(bind: email) AND revoked_at IS NULL
            """).first().map(Self.invitation)
    }

    public func insert(portalInvitation i: PortalInvitation) async throws {
        try await sql.raw("""
            INSERT INTO portal_invitations (id, clinic_id, patient_id, email, invited_by, invited_at)
            VALUES (\(bind: i.id), \(bind: i.clinicId), \(bind: i.patientId), \(bind: i.email), \(bind: i.invitedBy), \(bind: i.invitedAt))
            """).run()
    }

    /// Ends an invitation: its sessions and unused codes go with it.
    public func revoke(portalInvitation id: UUID, by userId: UUID, now: Date) async throws {
        try await sql.raw("UPDATE portal_invitations SET revoked_at = \(bind: now), revoked_by = \(bind: userId) WHERE id = \(bind: id)").run()
        try await sql.raw("DELETE FROM portal_sessions WHERE invitation_id = \(bind: id)").run()
        try await sql.raw("UPDATE portal_codes SET used_at = \(bind: now) WHERE invitation_id = \(bind: id) AND used_at IS NULL").run()
    }

    public func markPortalInvitationAccepted(_ id: UUID, now: Date) async throws {
        try await sql.raw("UPDATE portal_invitations SET accepted_at = \(bind: now) WHERE id = \(bind: id) AND accepted_at IS NULL").run()
    }

    /// Stores a one-time code's hashes; the secret itself is never stored.
    public func insertPortalCode(id: UUID, invitationId: UUID, purpose: String, secret: PortalSecret, now: Date, lifetime: TimeInterval) async throws {
        try await sql.raw("""
            INSERT INTO portal_codes (id, invitation_id, purpose, code_hash, link_hash, created_at, expires_at)
            VALUES (\(bind: id), \(bind: invitationId), \(bind: purpose), \(bind: PortalHash.code(secret.code, id: id)),
                    \(bind: PortalHash.link(secret.link)), \(bind: now), \(bind: now.addingTimeInterval(lifetime)))
            """).run()
    }

    /// The unused, unexpired code of this invitation that `code` matches, if any.
    public func livePortalCode(invitationId: UUID, code: String, now: Date) async throws -> UUID? {
        let rows = try await sql.raw("""
            SELECT id, code_hash FROM portal_codes
            WHERE invitation_id = \(bind: invitationId) AND used_at IS NULL AND expires_at > \(bind: now)
            """).all()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            if try row.decode(column: "code_hash", as: String.self) == PortalHash.code(code, id: id) { return id }
        }
        return nil
    }

    /// The unused, unexpired code a link token names, with its (active) invitation.
    public func livePortalCode(link: String, now: Date) async throws -> (codeId: UUID, invitation: PortalInvitation)? {
        guard let row = try await sql.raw("""
            SELECT c.id AS code_id, i.id, i.clinic_id, i.patient_id, i.email, i.invited_by, i.invited_at, i.accepted_at
            FROM portal_codes c JOIN portal_invitations i ON i.id = c.invitation_id
            WHERE c.link_hash = \(bind: PortalHash.link(link)) AND c.used_at IS NULL AND c.expires_at > \(bind: now) AND i.revoked_at IS NULL
            """).first() else { return nil }
        return (try row.decode(column: "code_id", as: UUID.self), try Self.invitation(row))
    }

    /// Uses a code up; false when another request used it first (it counts once).
    public func usePortalCode(_ id: UUID, now: Date) async throws -> Bool {
        let rows = try await sql.raw("""
            UPDATE portal_codes SET used_at = \(bind: now) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Throttle: counts this kind of attempt in the window for the account and the client address
    /// and, when both are under their limits, records this one. Atomic: PostgreSQL advisory locks
    /// on the account and the address (always in that order) held to the end of the transaction;
    /// SQLite's write transactions are serialized. Returns false (and records nothing) at a limit.
    public func reservePortalAttempt(kind: String, account: String, clientAddress: String, now: Date, window: TimeInterval,
                                     maxPerAccount: Int, maxPerAddress: Int) async throws -> Bool {
        if engine == .postgres {
            try await sql.raw("SELECT pg_advisory_xact_lock(7345020, hashtext(\(bind: kind + ":" + account)))").run()
            try await sql.raw("SELECT pg_advisory_xact_lock(7345021, hashtext(\(bind: kind + ":" + clientAddress)))").run()
        }
        let since = now.addingTimeInterval(-window)
        let perAccount = try await sql.raw("""
            SELECT COUNT(*) AS n FROM portal_attempts WHERE kind = \(bind: kind) AND account = \(bind: account) AND at > \(bind: since)
            """).first()!.decode(column: "n", as: Int.self)
        let perAddress = try await sql.raw("""
            SELECT COUNT(*) AS n FROM portal_attempts WHERE kind = \(bind: kind) AND client_address = \(bind: clientAddress) AND at > \(bind: since)
            """).first()!.decode(column: "n", as: Int.self)
        guard perAccount < maxPerAccount, perAddress < maxPerAddress else { return false }
        try await sql.raw("""
            INSERT INTO portal_attempts (id, kind, account, client_address, at)
            VALUES (\(bind: UUID()), \(bind: kind), \(bind: account), \(bind: clientAddress), \(bind: now))
            """).run()
        try await sql.raw("DELETE FROM portal_attempts WHERE at < \(bind: now.addingTimeInterval(-2 * window))").run()
        return true
    }

    /// A successful sign-in forgets the account's counted code entries.
    public func clearPortalAttempts(kind: String, account: String) async throws {
        try await sql.raw("DELETE FROM portal_attempts WHERE kind = \(bind: kind) AND account = \(bind: account)").run()
    }

    /// Opens a portal session; only the token's hash is stored.
    public func openPortalSession(token: String, csrfToken: String, invitation: PortalInvitation, clientAddress: String,
                                  now: Date, lifetime: TimeInterval) async throws {
        try await sql.raw("""
            INSERT INTO portal_sessions (token_hash, invitation_id, clinic_id, patient_id, csrf_token, created_at, last_seen_at, expires_at, client_address)
            VALUES (\(bind: PortalHash.session(token)), \(bind: invitation.id), \(bind: invitation.clinicId), \(bind: invitation.patientId),
                    \(bind: csrfToken), \(bind: now), \(bind: now), \(bind: now.addingTimeInterval(lifetime)), \(bind: clientAddress))
            """).run()
    }

    public func closePortalSession(tokenHash: String) async throws {
        try await sql.raw("DELETE FROM portal_sessions WHERE token_hash = \(bind: tokenHash)").run()
    }

    /// A message to the patient that belongs to no appointment (portal invitation, sign-in code),
    /// through the same outbox; the idempotency key makes it one message however often it is planned.
    public func enqueuePatientMessage(clinicId: UUID, patientId: UUID, kind: String, recipient: String, subject: String, body: String,
                                      idempotencyKey: String, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO message_outbox (id, clinic_id, patient_id, appointment_id, kind, recipient, subject, body, source, due_at, status,
                idempotency_key, attempts, created_at)
            VALUES (\(bind: UUID()), \(bind: clinicId), \(bind: patientId), NULL, \(bind: kind), \(bind: recipient), \(bind: subject),
                \(bind: body), NULL, \(bind: now), 'pending', \(bind: idempotencyKey), 0, \(bind: now))
            ON CONFLICT (idempotency_key) DO NOTHING
            """).run()
    }

    /// Whether the clinic shows patients their photos in the portal (off until an admin turns it on).
    public func portalShowsPhotos(clinicId: UUID) async throws -> Bool {
        try await sql.raw("SELECT show_photos FROM portal_settings WHERE clinic_id = \(bind: clinicId)").first()
            .map { try $0.decode(column: "show_photos", as: Int.self) == 1 } ?? false
    }

    public func setPortalShowsPhotos(_ on: Bool, clinicId: UUID) async throws {
        try await sql.raw("""
            INSERT INTO portal_settings (clinic_id, show_photos) VALUES (\(bind: clinicId), \(bind: on ? 1 : 0))
            ON CONFLICT (clinic_id) DO UPDATE SET show_photos = \(bind: on ? 1 : 0)
            """).run()
    }

    /// The intake was entered by the patient in the portal (shown to staff as such).
    public func markEnteredInPortal(intakeId: UUID) async throws {
        try await sql.raw("UPDATE intakes SET entered_via = 'portal' WHERE id = \(bind: intakeId)").run()
    }
}
