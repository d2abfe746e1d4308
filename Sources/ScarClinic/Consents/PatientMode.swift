import Foundation
import ScarCore
import ScarStore

/// A clinician hands the clinic's tablet to the patient to sign a consent: one transaction checks
/// the patient (this clinic's), the kind and that the clinic has a template for it, locks the
/// browser session to that signing (`PatientModeLock` on the session row, so every app server
/// sees it) and appends one `patient-mode.start` audit entry.
public struct HandTabletToPatient: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(patientId: UUID, kind rawKind: String?, sessionTokenHash: String, by clinician: Clinician,
                               actor: AuditActor, now: Date) async throws -> PatientModeLock {
        guard let kind = rawKind.flatMap(ConsentKind.init(rawValue:)) else {
            throw Refusal.invalid([FieldError("kind", "must be one of " + ConsentKind.allCases.map(\.rawValue).joined(separator: ", "))])
        }
        let clinicId = clinician.clinicId
        return try await database.write(unitOfWork: { tx in
            _ = try await tx.consentSigner(patientId: patientId, clinicId: clinicId)
            guard try await tx.currentConsentTemplate(kind: kind, clinicId: clinicId) != nil else {
                throw Refusal(.conflict, "No consent template", detail: "The clinic has no consent template for \(kind.label.lowercased()) yet.",
                              fields: [FieldError("kind", "has no consent template yet")])
            }
            let lock = PatientModeLock(patientId: patientId, consentKind: kind, startedAt: now.wholeMilliseconds)
            guard try await tx.startPatientMode(sessionTokenHash: sessionTokenHash, lock: lock) else {
                throw Refusal(.conflict, "Already with a patient", detail: "This device is already handed to a patient.")
            }
            try await tx.audit(AuditEvent(action: "patient-mode.start", recordType: "patient", recordId: patientId.lower, patientId: patientId,
                                          details: ["kind": kind.rawValue]), by: actor, now: now)
            return lock
        })
    }
}

/// A member of staff takes the tablet back (their password was checked by the caller, throttled
/// like a sign-in): one transaction lifts the lock and appends one `patient-mode.end` audit entry
/// saying whether the patient signed. Refused (409) when the session was not handed over.
public struct TakeTabletBack: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(sessionTokenHash: String, actor: AuditActor, now: Date) async throws -> PatientModeLock {
        try await database.write(unitOfWork: { tx in
            guard let lock = try await tx.endPatientMode(sessionTokenHash: sessionTokenHash) else {
                throw Refusal(.conflict, "Not with a patient", detail: "This device is not handed to a patient.")
            }
            var details = ["kind": lock.consentKind.rawValue, "signed": lock.signedConsentId == nil ? "no" : "yes"]
            if let id = lock.signedConsentId { details["consentId"] = id.lower }
            try await tx.audit(AuditEvent(action: "patient-mode.end", recordType: "patient", recordId: lock.patientId.lower,
                                          patientId: lock.patientId, details: details), by: actor, now: now)
            return lock
        })
    }
}
