import Foundation
import ScarCore
import ScarStore

/// Withdrawing a consent: one write transaction that takes the patient's lock (so a session
/// being signed on this consent either sees the withdrawal or lands first), refuses a second
/// withdrawal, stores the withdrawal (a new row; the consent never changes) and appends one
/// `consent.withdraw` audit entry.
public struct WithdrawConsent: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// A blank reason is refused as invalid; an already withdrawn consent as a conflict; a
    /// consent of another clinic is `StoreError.notFound`.
    public func callAsFunction(consentId: UUID, reason: String?, by clinician: Clinician, actor: AuditActor, now: Date) async throws {
        guard let reason = Text.trimmed(reason) else { throw Refusal.invalid([FieldError("reason", "is required")]) }
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let patientId = try await tx.patientId(ofConsent: consentId, clinicId: clinicId)
            try await tx.lockPatient(patientId, clinicId: clinicId)
            if try await tx.isWithdrawn(consentId: consentId) {
                throw Refusal(.conflict, "Already withdrawn", detail: "This consent was already withdrawn.")
            }
            try await tx.insertWithdrawal(consentId: consentId, reason: reason, recordedBy: clinician.user.id, now: now)
            try await tx.audit(AuditEvent(action: "consent.withdraw", recordType: "consent", recordId: consentId.uuidString, patientId: patientId),
                               by: actor, now: now)
        })
    }
}
