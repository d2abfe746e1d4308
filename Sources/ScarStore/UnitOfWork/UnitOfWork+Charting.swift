import Foundation
import ScarCore

/// What signing or withdrawing a consent and recording or updating an adverse event read and
/// write inside their one transaction. None of these is audited on its own: each use case
/// audits its intent (`consent.sign`, `consent.withdraw`, `adverse-event.create`,
/// `adverse-event.update`) once.
extension UnitOfWork {
    // MARK: Consents

    /// The newest version of the clinic's template for `kind`, if any.
    public func currentConsentTemplate(kind: ConsentKind, clinicId: UUID) async throws -> ConsentRepository.Template? {
        try await ConsentRepository.currentTemplate(kind: kind, clinicId: clinicId, on: sql)
    }

    /// The patient's name and record number as a consent document shows them (not found outside the clinic).
    public func consentSigner(patientId: UUID, clinicId: UUID) async throws -> (name: String, mrn: String) {
        try await ConsentRepository.signer(patientId: patientId, clinicId: clinicId, on: sql)
    }

    /// Stores a signed consent rendered from `templateId`, witnessed by `witnessId`.
    public func insert(consent: ConsentRepository.SignedConsent, templateId: UUID, clinicId: UUID, witnessId: UUID,
                       signedVia: String = "clinic") async throws {
        try await ConsentRepository.insert(consent, templateId: templateId, clinicId: clinicId, witnessId: witnessId, signedVia: signedVia, on: sql)
    }

    /// The patient a consent of this clinic belongs to (not found otherwise).
    public func patientId(ofConsent consentId: UUID, clinicId: UUID) async throws -> UUID {
        try await ConsentRepository.patientId(ofConsent: consentId, clinicId: clinicId, on: sql)
    }

    public func isWithdrawn(consentId: UUID) async throws -> Bool {
        try await ConsentRepository.isWithdrawn(consentId: consentId, on: sql)
    }

    public func insertWithdrawal(consentId: UUID, reason: String, recordedBy: UUID, now: Date) async throws {
        try await ConsentRepository.insertWithdrawal(consentId: consentId, reason: reason, recordedBy: recordedBy, at: now, on: sql)
    }

    // MARK: Adverse events

    /// Not found unless the patient is one of this clinic's.
    public func requirePatient(_ patientId: UUID, clinicId: UUID) async throws {
        try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
    }

    /// The clinic's charting settings (the sequela thresholds an adverse event is checked against).
    public func chartingSettings(clinicId: UUID) async throws -> ChartingSettings {
        try await DeviceLotRepository.settings(clinicId: clinicId, on: sql)
    }

    public func sessionBelongs(_ sessionId: UUID, toPatient patientId: UUID, clinicId: UUID) async throws -> Bool {
        try await AdverseEventRepository.sessionBelongs(sessionId, patientId: patientId, clinicId: clinicId, on: sql)
    }

    public func lotExists(_ lotId: UUID, clinicId: UUID) async throws -> Bool {
        try await AdverseEventRepository.lotExists(lotId, clinicId: clinicId, on: sql)
    }

    public func adverseEvent(id: UUID, clinicId: UUID) async throws -> AdverseEventRepository.Record {
        try await AdverseEventRepository.load(id: id, clinicId: clinicId, on: sql)
    }

    public func insert(adverseEvent d: AdverseEventDetails, id: UUID, patientId: UUID, clinicId: UUID, reporterId: UUID, now: Date) async throws {
        try await AdverseEventRepository.insert(d, id: id, patientId: patientId, clinicId: clinicId, reporterId: reporterId, now: now, on: sql)
    }

    /// Stores the follow-up change the use case decided; returns the event as stored.
    public func write(_ d: AdverseEventDetails, of event: AdverseEventRepository.Record, clinicId: UUID, now: Date) async throws
        -> AdverseEventRepository.Record {
        try await AdverseEventRepository.write(d, of: event, clinicId: clinicId, now: now, on: sql)
    }
}
