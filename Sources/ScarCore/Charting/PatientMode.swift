import Foundation

/// A staff member's browser session handed to a patient to sign a consent on the clinic's tablet.
/// While it holds, the server answers that session with the signing screen only; a member of staff
/// ends it with their password.
public struct PatientModeLock: Sendable, Equatable {
    public var patientId: UUID
    public var consentKind: ConsentKind
    public var startedAt: Date
    /// The consent the patient signed during this hand-over, once signed.
    public var signedConsentId: UUID?

    public init(patientId: UUID, consentKind: ConsentKind, startedAt: Date, signedConsentId: UUID? = nil) {
        self.patientId = patientId
        self.consentKind = consentKind
        self.startedAt = startedAt
        self.signedConsentId = signedConsentId
    }
}
