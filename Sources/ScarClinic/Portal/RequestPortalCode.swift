import Foundation
import ScarCore
import ScarStore

/// A patient asks for a sign-in code by e-mail address. One write transaction counts the request
/// (`PortalRules.maxCodeRequestsPerAccount` per address and window, atomically), and only when the
/// address has an active invitation stores a new code's hashes and plans the message in the
/// outbox; one `portal.code-request` audit entry. The answer is the same whether or not the
/// address is known, so nobody can learn who is a patient.
public struct RequestPortalCode: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// "If this address can use the portal, a code is on its way" (known or not).
        case accepted
        /// Too many requests for this address or from this client; nothing was sent.
        case throttled
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// `email` not an address is a `Refusal` naming `email` (that says nothing about patients).
    public func callAsFunction(email typed: String?, clientAddress: String, linkBase: String?, now: Date,
                               secret: PortalSecret = .fresh()) async throws -> Outcome {
        guard let email = PortalSecret.normalizedEmail(typed) else { throw Refusal.invalid([FieldError("email", "is not an e-mail address")]) }
        let at = now.wholeMilliseconds
        return try await database.write(unitOfWork: { tx in
            let allowed = try await tx.reservePortalAttempt(kind: "code-request", account: email, clientAddress: clientAddress, now: at,
                                                            window: PortalRules.throttleWindow, maxPerAccount: PortalRules.maxCodeRequestsPerAccount,
                                                            maxPerAddress: PortalRules.maxCodeRequestsPerAddress)
            let invitation = allowed ? try await tx.activePortalInvitation(email: email) : nil
            let actor = invitation.map { AuditActor.patient(clinicId: $0.clinicId, clientAddress: clientAddress) }
                ?? AuditActor(clinicId: nil, userId: nil, label: "anonymous", clientAddress: clientAddress)
            guard allowed else {
                try await tx.audit(AuditEvent(action: "portal.code-request", recordType: "portal-invitation", details: ["result": "throttled"]),
                                   by: actor, now: at)
                return .throttled
            }
            guard let invitation else {
                try await tx.audit(AuditEvent(action: "portal.code-request", recordType: "portal-invitation", details: ["result": "no-invitation"]),
                                   by: actor, now: at)
                return .accepted
            }
            let codeId = UUID()
            try await tx.insertPortalCode(id: codeId, invitationId: invitation.id, purpose: "sign-in", secret: secret, now: at,
                                          lifetime: PortalRules.signInCodeLifetime)
            let clinic = try await tx.clinicProfile(clinicId: invitation.clinicId).profile
            let message = PortalMessages.signInCode(clinicName: clinic.name, clinicPhone: clinic.phone, secret: secret,
                                                    linkURL: linkBase.map { PortalLinks.signInLink(base: $0, token: secret.link) })
            try await tx.enqueuePatientMessage(clinicId: invitation.clinicId, patientId: invitation.patientId, kind: "portal-code",
                                               recipient: invitation.email, subject: message.subject, body: message.body,
                                               idempotencyKey: "portal-code:\(codeId.uuidString.lowercased())", now: at)
            try await tx.audit(AuditEvent(action: "portal.code-request", recordType: "portal-invitation", recordId: invitation.id.uuidString,
                                          patientId: invitation.patientId, details: ["result": "sent"]), by: actor, now: at)
            return .accepted
        })
    }
}
