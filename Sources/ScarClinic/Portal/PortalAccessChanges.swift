import Foundation
import ScarCore
import ScarStore

/// Signing out of the portal: the session is deleted server-side; one `portal.sign-out` entry.
public struct SignOutOfPortal: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(tokenHash: String, patient: PortalPatient, actor: AuditActor, now: Date) async throws {
        try await database.write(unitOfWork: { tx in
            try await tx.closePortalSession(tokenHash: tokenHash)
            try await tx.audit(AuditEvent(action: "portal.sign-out", recordType: "portal-session", patientId: patient.patientId), by: actor, now: now)
        })
    }
}

/// The clinic ends a patient's portal access: the invitation is revoked, every portal session of
/// it ends at once and unused codes stop working; one `portal.revoke` entry (`revoked` 0 when the
/// patient had no access: ending access twice is not an error).
public struct RevokePortalAccess: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(patientId: UUID, by clinician: Clinician, actor: AuditActor, now: Date) async throws {
        try await database.write(unitOfWork: { tx in
            _ = try await tx.patient(id: patientId, clinicId: clinician.clinicId)
            let invitation = try await tx.activePortalInvitation(patientId: patientId, clinicId: clinician.clinicId)
            if let invitation { try await tx.revoke(portalInvitation: invitation.id, by: clinician.user.id, now: now) }
            try await tx.audit(AuditEvent(action: "portal.revoke", recordType: "portal-invitation", recordId: invitation?.id.uuidString,
                                          patientId: patientId, details: ["revoked": invitation == nil ? "0" : "1"]), by: actor, now: now)
        })
    }
}
