import Foundation
import ScarCore
import ScarStore

/// Signing a consent: the signature is checked with ScarCore (`ConsentSignature.validate`), then
/// one write transaction reads the clinic's current template for the kind and the patient,
/// renders and hashes the document (ScarCore `ConsentDocument.render`), stores it witnessed by the
/// signed-in member of staff and appends one `consent.sign` audit entry.
public struct SignConsent: Sendable {
    public struct Request: Sendable {
        /// The kind as sent (a form field or JSON string); refused unless it is a `ConsentKind`.
        public var kind: String?
        public var signerName: String?
        public var agreed: Bool
        public var drawnPNG: String?
        /// The clinic's name as the document shows it.
        public var clinicName: String
        /// Signed by the patient on a tablet handed over in patient mode: that sign-in session's token
        /// hash, so the same transaction notes the consent on its lock.
        public var patientModeSession: String?

        public init(kind: String?, signerName: String?, agreed: Bool, drawnPNG: String?, clinicName: String, patientModeSession: String? = nil) {
            self.kind = kind
            self.signerName = signerName
            self.agreed = agreed
            self.drawnPNG = drawnPNG
            self.clinicName = clinicName
            self.patientModeSession = patientModeSession
        }
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The signed consent, or a `Refusal`: invalid (kind or signature fields), conflict (no
    /// template for the kind). A patient of another clinic is `StoreError.notFound`.
    public func callAsFunction(_ request: Request, patientId: UUID, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> ConsentRepository.SignedConsent {
        let (kind, signature) = try Self.validated(request, drawnPNG: request.drawnPNG)
        let handedOver = request.patientModeSession
        return try await sign(kind: kind, signature: signature, clinicName: request.clinicName, patientId: patientId,
                              clinicId: clinician.clinicId, actor: actor, now: now, patientModeSession: handedOver) { _ in (clinician.user.id, "clinic") }
    }

    /// The patient signs in the portal (identity from the portal session), the same versioned,
    /// hashed document; no drawn signature. Stored as signed in the portal; the required witness
    /// is the member of staff who invited the patient (answerable for the portal access).
    public func callAsFunction(_ request: Request, for patient: PortalPatient, actor: AuditActor,
                               now: Date) async throws -> ConsentRepository.SignedConsent {
        let (kind, signature) = try Self.validated(request, drawnPNG: nil)
        return try await sign(kind: kind, signature: signature, clinicName: request.clinicName, patientId: patient.patientId,
                              clinicId: patient.clinicId, actor: actor, now: now) { tx in
            guard let invitation = try await tx.activePortalInvitation(patientId: patient.patientId, clinicId: patient.clinicId) else {
                throw StoreError.notFound
            }
            return (invitation.invitedBy, "portal")
        }
    }

    /// The kind and the signature, every field checked at once.
    static func validated(_ request: Request, drawnPNG: String?) throws -> (ConsentKind, ConsentSignature) {
        var errors: [FieldError] = []
        let kind = request.kind.flatMap(ConsentKind.init(rawValue:))
        if kind == nil { errors.append(FieldError("kind", "must be one of " + ConsentKind.allCases.map(\.rawValue).joined(separator: ", "))) }
        var signature: ConsentSignature?
        switch ConsentSignature.validate(signerName: request.signerName, agreed: request.agreed, drawnPNG: drawnPNG) {
        case .success(let s): signature = s
        case .failure(let f): errors += f.errors
        }
        guard errors.isEmpty, let kind, let signature else { throw Refusal.invalid(errors) }
        return (kind, signature)
    }

    func sign(kind: ConsentKind, signature: ConsentSignature, clinicName: String, patientId: UUID, clinicId: UUID, actor: AuditActor,
              now: Date, patientModeSession: String? = nil, witness: @escaping @Sendable (UnitOfWork) async throws -> (UUID, String)) async throws -> ConsentRepository.SignedConsent {
        let at = now.wholeMilliseconds
        return try await database.write(unitOfWork: { tx in
            let signer = try await tx.consentSigner(patientId: patientId, clinicId: clinicId)
            guard let template = try await tx.currentConsentTemplate(kind: kind, clinicId: clinicId) else {
                throw Refusal(.conflict, "No consent template",
                              detail: "The clinic has no consent template for \(kind.rawValue). An admin adds one on /consent-templates.",
                              fields: [FieldError("kind", "has no consent template yet")])
            }
            let html = ConsentDocument.render(template: template.details, templateVersion: template.version, clinicName: clinicName,
                                              patientName: signer.name, patientMRN: signer.mrn, signature: signature,
                                              signedAt: ISO8601DateFormatter().string(from: at))
            let consent = ConsentRepository.SignedConsent(id: UUID(), patientId: patientId, kind: kind, templateVersion: template.version,
                                                          renderedHTML: html, sha256: ConsentRepository.sha256(html),
                                                          signerName: signature.signerName, signedAt: at, clientAddress: actor.clientAddress)
            let (witnessId, via) = try await witness(tx)
            try await tx.insert(consent: consent, templateId: template.id, clinicId: clinicId, witnessId: witnessId, signedVia: via)
            var details = ["kind": kind.rawValue, "sha256": consent.sha256, "signedVia": via]
            if let patientModeSession {
                try await tx.notePatientModeConsent(sessionTokenHash: patientModeSession, consentId: consent.id)
                details["patientMode"] = "yes"
            }
            try await tx.audit(AuditEvent(action: "consent.sign", recordType: "consent", recordId: consent.id.uuidString, patientId: patientId,
                                          details: details), by: actor, now: now)
            return consent
        })
    }
}
