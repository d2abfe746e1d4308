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
            let last = try await sql.raw("""
                SELECT MAX(template_version) AS v FROM consent_templates WHERE clinic_id = \(bind: clinicId) AND kind = \(bind: d.kind.rawValue)
                """).first()?.decode(column: "v", as: Int?.self) ?? 0
            let t = Template(id: UUID(), details: d, version: last + 1, createdAt: at)
            try await sql.raw("""
                INSERT INTO consent_templates (id, clinic_id, kind, template_version, title, body, created_by, created_at)
                VALUES (\(bind: t.id), \(bind: clinicId), \(bind: d.kind.rawValue), \(bind: t.version), \(bind: d.title), \(bind: d.body),
                        \(bind: authorId), \(bind: at))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "consent-template.create", recordType: "consent_template", recordId: t.id.uuidString,
                                                   details: ["kind": d.kind.rawValue, "version": String(t.version)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return t
        }
    }

    /// Every version of every template, newest version first within a kind.
    public func templates(clinicId: UUID) async throws -> [Template] {
        try await db.read { sql in
            try await sql.raw("SELECT * FROM consent_templates WHERE clinic_id = \(bind: clinicId) ORDER BY kind, template_version DESC")
                .all().map(Self.template)
        }
    }

    public func currentTemplate(kind: ConsentKind, clinicId: UUID) async throws -> Template? {
        try await db.read { sql in
            try await sql.raw("""
                SELECT * FROM consent_templates WHERE clinic_id = \(bind: clinicId) AND kind = \(bind: kind.rawValue)
                ORDER BY template_version DESC LIMIT 1
                """).first().map(Self.template)
        }
    }

    /// Signs the current template of `kind` for a patient: renders the document, hashes it and
    /// stores signer, time and client address with it.
    public func sign(kind: ConsentKind, signature: ConsentSignature, patientId: UUID, clinicId: UUID, witnessId: UUID, clinicName: String,
                     by actor: AuditActor, now: Date = Date()) async throws -> SignedConsent {
        let engine = db.engine
        let at = now.wholeMilliseconds
        return try await db.write { sql in
            guard let patient = try await sql.raw("""
                SELECT given_name, family_name, mrn FROM patients WHERE id = \(bind: patientId) AND clinic_id = \(bind: clinicId)
                """).first() else { throw StoreError.notFound }
            guard let template = try await sql.raw("""
                SELECT * FROM consent_templates WHERE clinic_id = \(bind: clinicId) AND kind = \(bind: kind.rawValue)
                ORDER BY template_version DESC LIMIT 1
                """).first().map(Self.template) else { throw ConsentStoreError.noTemplate(kind) }
            let name = "\(try patient.decode(column: "given_name", as: String.self)) \(try patient.decode(column: "family_name", as: String.self))"
            let f = ISO8601DateFormatter()
            let html = ConsentDocument.render(template: template.details, templateVersion: template.version, clinicName: clinicName,
                                              patientName: name, patientMRN: try patient.decode(column: "mrn", as: String.self),
                                              signature: signature, signedAt: f.string(from: at))
            let consent = SignedConsent(id: UUID(), patientId: patientId, kind: kind, templateVersion: template.version, renderedHTML: html,
                                        sha256: Self.sha256(html), signerName: signature.signerName, signedAt: at,
                                        clientAddress: actor.clientAddress, withdrawnAt: nil, withdrawalReason: nil)
            try await sql.raw("""
                INSERT INTO consents (id, clinic_id, patient_id, template_id, kind, template_version, rendered_html, sha256, signer_name, signed_at,
                                      client_address, witnessed_by)
                VALUES (\(bind: consent.id), \(bind: clinicId), \(bind: patientId), \(bind: template.id), \(bind: kind.rawValue), \(bind: template.version),
                        \(bind: html), \(bind: consent.sha256), \(bind: signature.signerName), \(bind: at), \(bind: actor.clientAddress), \(bind: witnessId))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "consent.sign", recordType: "consent", recordId: consent.id.uuidString, patientId: patientId,
                                                   details: ["kind": kind.rawValue, "sha256": consent.sha256]),
                                        by: actor, engine: engine, on: sql, now: now)
            return consent
        }
    }

    public func withdraw(consentId: UUID, reason: String, clinicId: UUID, recordedBy: UUID, by actor: AuditActor, now: Date = Date()) async throws {
        let engine = db.engine
        let at = now.wholeMilliseconds
        try await db.write { sql in
            guard let row = try await sql.raw("SELECT patient_id FROM consents WHERE id = \(bind: consentId) AND clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            try await PatientScope.lock(try row.decode(column: "patient_id", as: UUID.self), clinicId: clinicId, engine: engine, on: sql)
            if try await sql.raw("SELECT 1 AS x FROM consent_withdrawals WHERE consent_id = \(bind: consentId)").first() != nil {
                throw ConsentStoreError.alreadyWithdrawn
            }
            try await sql.raw("""
                INSERT INTO consent_withdrawals (consent_id, withdrawn_at, reason, recorded_by)
                VALUES (\(bind: consentId), \(bind: at), \(bind: reason), \(bind: recordedBy))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "consent.withdraw", recordType: "consent", recordId: consentId.uuidString,
                                                   patientId: try row.decode(column: "patient_id", as: UUID.self)),
                                        by: actor, engine: engine, on: sql, now: now)
        }
    }

    static func consents(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [SignedConsent] {
        try await sql.raw("""
            SELECT c.*, w.withdrawn_at, w.reason AS withdrawal_reason FROM consents c LEFT JOIN consent_withdrawals w ON w.consent_id = c.id
            WHERE c.clinic_id = \(bind: clinicId) AND c.patient_id = \(bind: patientId) ORDER BY c.signed_at DESC, c.id
            """).all().map { row in
            SignedConsent(id: try row.decode(column: "id", as: UUID.self), patientId: patientId,
                          kind: ConsentKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .research,
                          templateVersion: try row.decode(column: "template_version", as: Int.self),
                          renderedHTML: try row.decode(column: "rendered_html", as: String.self), sha256: try row.decode(column: "sha256", as: String.self),
                          signerName: try row.decode(column: "signer_name", as: String.self), signedAt: try row.decode(column: "signed_at", as: Date.self),
                          clientAddress: try row.decode(column: "client_address", as: String.self),
                          withdrawnAt: try row.decode(column: "withdrawn_at", as: Date?.self),
                          withdrawalReason: try row.decode(column: "withdrawal_reason", as: String?.self))
        }
    }

    /// The patient's consents, newest first, with any withdrawal. Audited.
    public func list(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> [SignedConsent] {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let list = try await Self.consents(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "consent.list", recordType: "consent", patientId: patientId,
                                                   details: ["results": String(list.count)]),
                                        by: actor, engine: engine, on: sql)
            return list
        }
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

public enum ConsentStoreError: Error, Sendable, Equatable {
    case noTemplate(ConsentKind)
    case alreadyWithdrawn
}
