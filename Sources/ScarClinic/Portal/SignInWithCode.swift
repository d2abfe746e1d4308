import Foundation
import ScarCore
import ScarStore

/// Signing in to the portal with a one-time code (e-mail address + six digits) or an e-mailed
/// link (posted from its confirm page, so a mail scanner's GET cannot use it). One write
/// transaction reserves the attempt before the code is checked (`PortalRules.maxCodeEntriesPerAccount`
/// per address, `…PerAddress` per client, atomically, so concurrent guesses all count), uses the
/// code up (once: a second use finds it used), opens a short portal session (only its hash
/// stored) and appends one entry: `portal.sign-in`, `portal.sign-in-failed` or
/// `portal.sign-in-throttled`. A failure is committed, never rolled back, so it keeps counting.
public struct SignInWithCode: Sendable {
    public enum Proof: Sendable, Equatable {
        case code(email: String?, code: String?)
        case link(String?)
    }

    public struct Opened: Sendable, Equatable {
        /// The session cookie's value; only its hash is stored.
        public var token: String
        public var csrfToken: String
        public var patientId: UUID
        public var clinicId: UUID
        public var expiresAt: Date
    }

    public enum Outcome: Sendable, Equatable {
        case signedIn(Opened)
        /// Wrong, used, expired or revoked: one answer for all of them.
        case wrong
        case throttled
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ proof: Proof, clientAddress: String, now: Date,
                               session: PortalSecret = .fresh(), csrf: PortalSecret = .fresh()) async throws -> Outcome {
        let at = now.wholeMilliseconds
        let account: String
        switch proof {
        case .code(let email, _): account = PortalSecret.normalizedEmail(email) ?? "invalid"
        case .link: account = "link:" + clientAddress
        }
        return try await database.write(unitOfWork: { tx in
            guard try await tx.reservePortalAttempt(kind: "code-entry", account: account, clientAddress: clientAddress, now: at,
                                                    window: PortalRules.throttleWindow, maxPerAccount: PortalRules.maxCodeEntriesPerAccount,
                                                    maxPerAddress: PortalRules.maxCodeEntriesPerAddress)
            else {
                try await tx.audit(AuditEvent(action: "portal.sign-in-throttled", recordType: "portal-session"),
                                   by: AuditActor(clinicId: nil, userId: nil, label: "anonymous", clientAddress: clientAddress), now: at)
                return .throttled
            }
            let (invitation, codeId) = try await Self.find(proof, account: account, tx: tx, now: at)
            guard let invitation else {
                try await tx.audit(AuditEvent(action: "portal.sign-in-failed", recordType: "portal-session", details: ["method": proof.method]),
                                   by: AuditActor(clinicId: nil, userId: nil, label: "anonymous", clientAddress: clientAddress), now: at)
                return .wrong
            }
            let actor = AuditActor.patient(clinicId: invitation.clinicId, clientAddress: clientAddress)
            guard let codeId, try await tx.usePortalCode(codeId, now: at) else {
                try await tx.audit(AuditEvent(action: "portal.sign-in-failed", recordType: "portal-session", patientId: invitation.patientId,
                                              details: ["method": proof.method]), by: actor, now: at)
                return .wrong
            }
            try await tx.clearPortalAttempts(kind: "code-entry", account: account)
            try await tx.markPortalInvitationAccepted(invitation.id, now: at)
            try await tx.openPortalSession(token: session.link, csrfToken: csrf.link, invitation: invitation, clientAddress: clientAddress,
                                           now: at, lifetime: PortalRules.sessionLifetime)
            try await tx.audit(AuditEvent(action: "portal.sign-in", recordType: "portal-session", patientId: invitation.patientId,
                                          details: ["method": proof.method]), by: actor, now: at)
            return .signedIn(Opened(token: session.link, csrfToken: csrf.link, patientId: invitation.patientId, clinicId: invitation.clinicId,
                                    expiresAt: at.addingTimeInterval(PortalRules.sessionLifetime)))
        })
    }

    /// The invitation the proof names (for auditing a wrong code against the patient) and the live code it matches.
    static func find(_ proof: Proof, account: String, tx: UnitOfWork, now: Date) async throws -> (UnitOfWork.PortalInvitation?, UUID?) {
        switch proof {
        case .code(_, let typed):
            guard account != "invalid", let invitation = try await tx.activePortalInvitation(email: account) else { return (nil, nil) }
            guard let code = typed.flatMap(PortalSecret.normalizedCode) else { return (invitation, nil) }
            return (invitation, try await tx.livePortalCode(invitationId: invitation.id, code: code, now: now))
        case .link(let token):
            guard let token = token.flatMap(PortalSecret.normalizedLink), let found = try await tx.livePortalCode(link: token, now: now)
            else { return (nil, nil) }
            return (found.invitation, found.codeId)
        }
    }
}

extension SignInWithCode.Proof {
    var method: String {
        switch self { case .code: "code"; case .link: "link" }
    }
}
