import Foundation
import ScarCore
import SQLKit

/// The tablet patient mode's lock on one sign-in session (`auth_sessions`, by its token's hash),
/// written by `HandTabletToPatient`, `SignConsent` and `TakeTabletBack` inside their one transaction.
extension UnitOfWork {
    /// Locks the session to the patient's consent signing; false when it is already locked (or gone).
    public func startPatientMode(sessionTokenHash: String, lock: PatientModeLock) async throws -> Bool {
        let rows = try await sql.raw("""
            UPDATE auth_sessions SET patient_mode_patient_id = \(bind: lock.patientId), patient_mode_kind = \(bind: lock.consentKind.rawValue),
                   patient_mode_started_at = \(bind: lock.startedAt), patient_mode_consent_id = NULL
            WHERE token_hash = \(bind: sessionTokenHash) AND patient_mode_patient_id IS NULL
            RETURNING token_hash
            """).all()
        return !rows.isEmpty
    }

    /// Notes the consent signed while the session is handed over (the signing screen then thanks the patient).
    public func notePatientModeConsent(sessionTokenHash: String, consentId: UUID) async throws {
        try await sql.raw("""
            UPDATE auth_sessions SET patient_mode_consent_id = \(bind: consentId)
            WHERE token_hash = \(bind: sessionTokenHash) AND patient_mode_patient_id IS NOT NULL
            """).run()
    }

    /// Ends the hand-over; returns the lock it lifted, nil when the session was not handed over.
    public func endPatientMode(sessionTokenHash: String) async throws -> PatientModeLock? {
        guard let row = try await sql.raw("""
            SELECT patient_mode_patient_id, patient_mode_kind, patient_mode_started_at, patient_mode_consent_id
            FROM auth_sessions WHERE token_hash = \(bind: sessionTokenHash) AND patient_mode_patient_id IS NOT NULL
            """).first(), let lock = try Self.patientModeLock(row) else { return nil }
        try await sql.raw("""
            UPDATE auth_sessions SET patient_mode_patient_id = NULL, patient_mode_kind = NULL, patient_mode_started_at = NULL,
                   patient_mode_consent_id = NULL
            WHERE token_hash = \(bind: sessionTokenHash)
            """).run()
        return lock
    }

    /// The lock from a row with the four `patient_mode_*` columns; nil when the session is not handed over.
    static func patientModeLock(_ row: any SQLRow) throws -> PatientModeLock? {
        guard let patientId = try row.decode(column: "patient_mode_patient_id", as: UUID?.self),
              let kind = try row.decode(column: "patient_mode_kind", as: String?.self).flatMap(ConsentKind.init(rawValue:)),
              let startedAt = try row.decode(column: "patient_mode_started_at", as: Date?.self) else { return nil }
        return PatientModeLock(patientId: patientId, consentKind: kind, startedAt: startedAt,
                               signedConsentId: try row.decode(column: "patient_mode_consent_id", as: UUID?.self))
    }
}
