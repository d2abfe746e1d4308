import Crypto
import Foundation
import ScarCore
import SQLKit

/// Consent templates (versioned, per kind) and signed consents. A signed consent is stored as
/// the rendered document with its SHA-256; consents and withdrawals are append-only in the
/// database, so a withdrawal is a new row, never a change or a deletion.
public struct ConsentRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct Template: Sendable, Equatable {
        public var id: UUID
        public var details: ConsentTemplateDetails
        public var version: Int
        public var createdAt: Date
    }

    public struct SignedConsent: Sendable, Equatable {
        public var id: UUID
        public var patientId: UUID
        public var kind: ConsentKind
        public var templateVersion: Int
        public var renderedHTML: String
        public var sha256: String
        public var signerName: String
        public var signedAt: Date
        public var clientAddress: String
        public var withdrawnAt: Date?
        public var withdrawalReason: String?
        public var isValid: Bool { withdrawnAt == nil }

        public init(id: UUID, patientId: UUID, kind: ConsentKind, templateVersion: Int, renderedHTML: String, sha256: String, signerName: String,
                    signedAt: Date, clientAddress: String, withdrawnAt: Date? = nil, withdrawalReason: String? = nil) {
            self.id = id
            self.patientId = patientId
            self.kind = kind
            self.templateVersion = templateVersion
            self.renderedHTML = renderedHTML
            self.sha256 = sha256
            self.signerName = signerName
            self.signedAt = signedAt
            self.clientAddress = clientAddress
            self.withdrawnAt = withdrawnAt
            self.withdrawalReason = withdrawalReason
        }
    }

    public static func sha256(_ text: String) -> String {
        SHA256Hex.of(text)
    }


    static func template(_ row: any SQLRow) throws -> Template {
        guard let kind = ConsentKind(rawValue: try row.decode(column: "kind", as: String.self)) else { throw StoreError.configuration("Bad consent kind") }
        return Template(id: try row.decode(column: "id", as: UUID.self),
                        details: ConsentTemplateDetails(kind: kind, title: try row.decode(column: "title", as: String.self),
                                                        body: try row.decode(column: "body", as: String.self)),
                        version: try row.decode(column: "template_version", as: Int.self), createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    /// Adds a new version of the clinic's template for its kind (old versions stay).
    public func addTemplate(_ d: ConsentTemplateDetails, clinicId: UUID, authorId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> Template {
        let engine = db.engine
        let at = now.wholeMilliseconds
        return try await db.write { sql in
            let t = try await Self.insert(template: d, clinicId: clinicId, authorId: authorId, at: at, on: sql)
            try await AuditTrail.append(AuditEvent(action: "consent-template.create", recordType: "consent_template", recordId: t.id.uuidString,
                                                   details: ["kind": d.kind.rawValue, "version": String(t.version)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return t
        }
    }

    /// Adds the next version of a kind's template inside the caller's transaction.
    static func insert(template d: ConsentTemplateDetails, clinicId: UUID, authorId: UUID, at: Date, on sql: any SQLDatabase) async throws -> Template {
        let last = try await sql.raw("""
            SELECT MAX(template_version) AS v FROM consent_templates WHERE clinic_id = \(bind: clinicId) AND kind = \(bind: d.kind.rawValue)
            """).first()?.decode(column: "v", as: Int?.self) ?? 0
        let t = Template(id: UUID(), details: d, version: last + 1, createdAt: at)
        try await sql.raw("""
            INSERT INTO consent_templates (id, clinic_id, kind, template_version, title, body, created_by, created_at)
            VALUES (\(bind: t.id), \(bind: clinicId), \(bind: d.kind.rawValue), \(bind: t.version), \(bind: d.title), \(bind: d.body),
                    \(bind: authorId), \(bind: at))
            """).run()
        return t
    }

    /// Every version of every template, newest version first within a kind.
    public func templates(clinicId: UUID) async throws -> [Template] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM consent_templates WHERE clinic_id = \(bind: clinicId) ORDER BY kind, template_version DESC")
                .all().map(Self.template)
        }
    }

    public func currentTemplate(kind: ConsentKind, clinicId: UUID) async throws -> Template? {
        try await db.read { sql in try await Self.currentTemplate(kind: kind, clinicId: clinicId, on: sql) }
    }

    static func currentTemplate(kind: ConsentKind, clinicId: UUID, on sql: any SQLDatabase) async throws -> Template? {
        try await sql.raw("""
            SELECT * FROM consent_templates WHERE clinic_id = \(bind: clinicId) AND kind = \(bind: kind.rawValue)
            ORDER BY template_version DESC LIMIT 1
            """).first().map(Self.template)
    }

    /// The name and record number a consent document is rendered with.
    static func signer(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> (name: String, mrn: String) {
        guard let patient = try await sql.raw("""
            SELECT given_name, family_name, mrn FROM patients WHERE id = \(bind: patientId) AND clinic_id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        return ("\(try patient.decode(column: "given_name", as: String.self)) \(try patient.decode(column: "family_name", as: String.self))",
                try patient.decode(column: "mrn", as: String.self))
    }

    /// Stores a signed consent (append-only) against the template it was rendered from.
    /// `signedVia`: `clinic`, or `portal` when the patient signed it in the patient portal.
    static func insert(_ consent: SignedConsent, templateId: UUID, clinicId: UUID, witnessId: UUID, signedVia: String = "clinic",
                   on sql: any SQLDatabase) async throws {
        try await sql.raw("""
        INSERT INTO consents (id, clinic_id, patient_id, template_id, kind, template_version, rendered_html, sha256, signer_name, signed_at,
                              client_address, witnessed_by, signed_via)
        VALUES (\(bind: consent.id), \(bind: clinicId), \(bind: consent.patientId), \(bind: templateId), \(bind: consent.kind.rawValue),
                \(bind: consent.templateVersion), \(bind: consent.renderedHTML), \(bind: consent.sha256), \(bind: consent.signerName),
                \(bind: consent.signedAt), \(bind: consent.clientAddress), \(bind: witnessId), \(bind: signedVia))
        """).run()
    }

    /// The patient a consent of this clinic belongs to.
    static func patientId(ofConsent consentId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> UUID {
        guard let row = try await sql.raw("SELECT patient_id FROM consents WHERE id = \(bind: consentId) AND clinic_id = \(bind: clinicId)").first()
        else { throw StoreError.notFound }
        return try row.decode(column: "patient_id", as: UUID.self)
    }

    static func isWithdrawn(consentId: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM consent_withdrawals WHERE consent_id = \(bind: consentId)").first() != nil
    }

    /// Stores a withdrawal (a new row; the consent itself never changes).
    static func insertWithdrawal(consentId: UUID, reason: String, recordedBy: UUID, at: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO consent_withdrawals (consent_id, withdrawn_at, reason, recorded_by)
            VALUES (\(bind: consentId), \(bind: at.wholeMilliseconds), \(bind: reason), \(bind: recordedBy))
            """).run()
    }

    /// Withdraws a consent outside a use case (tests that race a withdrawal against a signature);
    /// the product withdraws through ScarClinic's `WithdrawConsent`, which does the same steps.
    public func withdraw(consentId: UUID, reason: String, clinicId: UUID, recordedBy: UUID, by actor: AuditActor, now: Date = Date()) async throws {
        let engine = db.engine
        try await db.write { sql in
            let patientId = try await Self.patientId(ofConsent: consentId, clinicId: clinicId, on: sql)
            try await PatientScope.lock(patientId, clinicId: clinicId, engine: engine, on: sql)
            if try await Self.isWithdrawn(consentId: consentId, on: sql) { throw ConsentStoreError.alreadyWithdrawn }
            try await Self.insertWithdrawal(consentId: consentId, reason: reason, recordedBy: recordedBy, at: now, on: sql)
            try await AuditTrail.append(AuditEvent(action: "consent.withdraw", recordType: "consent", recordId: consentId.uuidString, patientId: patientId),
                                        by: actor, engine: engine, on: sql, now: now)
        }
    }

    static func consents(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [SignedConsent] {
        try await consents(patientIds: [patientId], clinicId: clinicId, on: sql)
    }

    /// The consents of several patients, newest first, with any withdrawal.
    static func consents(patientIds: [UUID], clinicId: UUID, on sql: any SQLDatabase) async throws -> [SignedConsent] {
        guard !patientIds.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT c.*, w.withdrawn_at, w.reason AS withdrawal_reason FROM consents c LEFT JOIN consent_withdrawals w ON w.consent_id = c.id
            WHERE c.clinic_id = \(bind: clinicId) AND c.patient_id IN (\(binds: patientIds)) ORDER BY c.signed_at DESC, c.id
            """).all().map(Self.decode)
    }

    /// A `consents` row joined with its withdrawal (`withdrawn_at`, `withdrawal_reason`).
    static func decode(_ row: any SQLRow) throws -> SignedConsent {
        SignedConsent(id: try row.decode(column: "id", as: UUID.self), patientId: try row.decode(column: "patient_id", as: UUID.self),
                      kind: ConsentKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .research,
                      templateVersion: try row.decode(column: "template_version", as: Int.self),
                      renderedHTML: try row.decode(column: "rendered_html", as: String.self), sha256: try row.decode(column: "sha256", as: String.self),
                      signerName: try row.decode(column: "signer_name", as: String.self), signedAt: try row.decode(column: "signed_at", as: Date.self),
                      clientAddress: try row.decode(column: "client_address", as: String.self),
                      withdrawnAt: try row.decode(column: "withdrawn_at", as: Date?.self),
                      withdrawalReason: try row.decode(column: "withdrawal_reason", as: String?.self))
    }

    /// The newest valid (not withdrawn) consent of a kind, if any.
    public func valid(kind: ConsentKind, patientId: UUID, clinicId: UUID) async throws -> SignedConsent? {
        try await db.read { sql in try await Self.valid(kind: kind, patientId: patientId, clinicId: clinicId, on: sql) }
    }

    static func valid(kind: ConsentKind, patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> SignedConsent? {
        try await consents(patientId: patientId, clinicId: clinicId, on: sql).first { $0.kind == kind && $0.isValid }
    }

    public func find(id: UUID, clinicId: UUID, by actor: AuditActor) async throws -> SignedConsent {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await sql.raw("SELECT patient_id FROM consents WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            let patientId = try row.decode(column: "patient_id", as: UUID.self)
            guard let consent = try await Self.consents(patientId: patientId, clinicId: clinicId, on: sql).first(where: { $0.id == id })
            else { throw StoreError.notFound }
            try await AuditTrail.append(AuditEvent(action: "consent.read", recordType: "consent", recordId: id.uuidString, patientId: patientId),
                                        by: actor, engine: engine, on: sql)
            return consent
        }
    }
}

/// What `ConsentRepository.withdraw` refuses (the product's `WithdrawConsent` refuses it as a
/// `Refusal` conflict with the same words).
public enum ConsentStoreError: Error, Sendable, Equatable {
    case alreadyWithdrawn
}
