import Foundation
import ScarCore
import ScarStore

/// Inviting a patient to the portal (issue 14): one write transaction finds the patient in the
/// clinic, keeps or starts their invitation (one e-mail address signs in one patient), stores a
/// one-time code's hashes (valid `PortalRules.invitationLifetime`), and either plans the
/// invitation e-mail in the outbox (sent once: its idempotency key is the code's id) or hands the
/// code back to show at the desk; one `portal.invite` audit entry.
public struct InvitePatient: Sendable {
    public enum Channel: String, Sendable, CaseIterable {
        /// An e-mail with a one-time link and the code, through the outbox.
        case email
        /// The code is shown once to the member of staff at the desk, who hands it over.
        case desk
    }

    public struct Request: Sendable {
        /// The address the patient signs in with; the patient's record e-mail when absent.
        public var email: String?
        /// `email` (default) or `desk`.
        public var channel: String?
        /// The portal's public address for the link in the e-mail (`https://clinic.example`); no link without it.
        public var linkBase: String?

        public init(email: String?, channel: String?, linkBase: String?) {
            (self.email, self.channel, self.linkBase) = (email, channel, linkBase)
        }
    }

    public struct Invited: Sendable, Equatable {
        public var invitationId: UUID
        public var email: String
        public var channel: Channel
        /// Only for `desk`: the code to hand over ("123 456"); shown once, never stored.
        public var deskCode: String?
        public var expiresAt: Date
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ request: Request, patientId: UUID, by clinician: Clinician, actor: AuditActor, now: Date,
                               secret: PortalSecret = .fresh()) async throws -> Invited {
        let channel = request.channel.map { Channel(rawValue: $0) } ?? .email
        guard let channel else { throw Refusal.invalid([FieldError("channel", "must be email or desk")]) }
        let at = now.wholeMilliseconds
        return try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let patient = try await tx.patient(id: patientId, clinicId: clinicId)
            guard let email = PortalSecret.normalizedEmail(request.email ?? patient.email) else {
                throw Refusal.invalid([FieldError("email", request.email == nil ? "is needed: the patient signs in with an e-mail address"
                                                                                 : "is not an e-mail address")])
            }
            let invitation = try await Self.invitation(for: patientId, email: email, clinicId: clinicId, tx: tx, by: clinician, now: at)
            let codeId = UUID()
            try await tx.insertPortalCode(id: codeId, invitationId: invitation.id, purpose: "invitation", secret: secret, now: at,
                                          lifetime: PortalRules.invitationLifetime)
            if channel == .email {
                let clinic = try await tx.clinicProfile(clinicId: clinicId).profile
                let message = PortalMessages.invitation(clinicName: clinic.name, clinicPhone: clinic.phone, secret: secret,
                                                        linkURL: request.linkBase.map { PortalLinks.signInLink(base: $0, token: secret.link) })
                try await tx.enqueuePatientMessage(clinicId: clinicId, patientId: patientId, kind: "portal-invitation", recipient: email,
                                                   subject: message.subject, body: message.body, idempotencyKey: "portal-invitation:\(codeId.uuidString.lowercased())", now: at)
            }
            try await tx.audit(AuditEvent(action: "portal.invite", recordType: "portal-invitation", recordId: invitation.id.uuidString,
                                          patientId: patientId, details: ["channel": channel.rawValue]), by: actor, now: at)
            return Invited(invitationId: invitation.id, email: email, channel: channel, deskCode: channel == .desk ? secret.displayCode : nil,
                           expiresAt: at.addingTimeInterval(PortalRules.invitationLifetime))
        })
    }

    /// The patient's invitation for `email`: kept when it already is one, else a new one (an older
    /// one with another address is revoked). An address another patient signs in with is refused.
    static func invitation(for patientId: UUID, email: String, clinicId: UUID, tx: UnitOfWork, by clinician: Clinician,
                           now: Date) async throws -> UnitOfWork.PortalInvitation {
        if let holder = try await tx.activePortalInvitation(email: email), holder.patientId != patientId {
            throw Refusal(.conflict, "E-mail already used for the portal",
                          detail: "Another patient signs in to the portal with this e-mail address.",
                          fields: [FieldError("email", "already signs another patient in to the portal")])
        }
        let current = try await tx.activePortalInvitation(patientId: patientId, clinicId: clinicId)
        if let current, current.email == email { return current }
        if let current { try await tx.revoke(portalInvitation: current.id, by: clinician.user.id, now: now) }
        let fresh = UnitOfWork.PortalInvitation(id: UUID(), clinicId: clinicId, patientId: patientId, email: email, invitedBy: clinician.user.id,
                                                invitedAt: now, acceptedAt: nil)
        try await tx.insert(portalInvitation: fresh)
        return fresh
    }
}

/// The portal's addresses, as messages and pages write them.
public enum PortalLinks {
    public static func signInLink(base: String, token: String) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return "\(trimmed)/portal/signin/link?token=\(token)"
    }
}
