import Foundation
import ScarCore
import SQLKit

/// Writing session charts: drafts (inserted, then saved over while unsigned) and amendments of
/// signed sessions. The use cases (`StartSessionDraft`, `SaveSessionDraft`, `AmendSession`) call
/// the static writes inside their one transaction and audit their intent; `create` and `amend`
/// remain for the synthetic courses and tests, each one audited transaction too.
extension SessionRepository {
    public func create(_ checked: SessionChart.Checked, patientId: UUID, clinicId: UUID, practitionerId: UUID, appointmentId: UUID?,
                       planVersionId: UUID?, by actor: AuditActor, now: Date = Date()) async throws -> SessionRecord {
        let engine = db.engine
        let id = try await db.write { sql in
            let id = try await Self.insertDraft(checked, patientId: patientId, clinicId: clinicId, practitionerId: practitionerId,
                                                appointmentId: appointmentId, planVersionId: planVersionId, on: sql, now: now)
            try await AuditTrail.append(Self.createdEvent(id: id, patientId: patientId, checked: checked), by: actor, engine: engine, on: sql, now: now)
            return id
        }
        return try await find(id: id, clinicId: clinicId, by: nil)
    }

    /// Records a correction to a signed session: who, when, why and which fields, with the
    /// chart before and after. The signed row itself is never changed.
    public func amend(id: UUID, clinicId: UUID, reason: String, after: SessionChart, authorId: UUID, by actor: AuditActor,
                      now: Date = Date()) async throws -> SessionRecord {
        let engine = db.engine
        try await db.write { sql in
            let current = try await Self.load(id: id, clinicId: clinicId, on: sql)
            guard current.status == .signed else { throw ChartingStoreError.notSigned }
            let changed = SessionChart.changedFields(current.currentChart, after)
            try await Self.insertAmendment(sessionId: id, clinicId: clinicId, reason: reason, before: current.currentChart, after: after,
                                           changed: changed, authorId: authorId, on: sql, now: now)
            try await AuditTrail.append(Self.amendedEvent(id: id, patientId: current.patientId, changed: changed), by: actor, engine: engine,
                                        on: sql, now: now)
        }
        return try await find(id: id, clinicId: clinicId, by: nil)
    }

    // MARK: Inside a use case's transaction

    /// The audit entries of the chart's intents, one place for their details.
    public static func createdEvent(id: UUID, patientId: UUID, checked: SessionChart.Checked) -> AuditEvent {
        AuditEvent(action: "session.create", recordType: "session", recordId: id.uuidString, patientId: patientId,
                   details: ["warnings": String(checked.warnings.count)])
    }

    public static func updatedEvent(_ draft: SessionRecord, checked: SessionChart.Checked) -> AuditEvent {
        AuditEvent(action: "session.update", recordType: "session", recordId: draft.id.uuidString, patientId: draft.patientId,
                   details: ["fields": SessionChart.changedFields(draft.chart, checked.chart).joined(separator: ","),
                             "version": String(draft.version + 1)])
    }

    public static func amendedEvent(id: UUID, patientId: UUID, changed: [String]) -> AuditEvent {
        AuditEvent(action: "session.amend", recordType: "session", recordId: id.uuidString, patientId: patientId,
                   details: ["fields": changed.joined(separator: ",")])
    }

    static func latest(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> SessionRecord? {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: Self.sessionColumns) FROM treatment_sessions t JOIN staff_users p ON p.id = t.practitioner_id
            LEFT JOIN staff_users s ON s.id = t.signed_by WHERE t.clinic_id = \(bind: clinicId) AND t.patient_id = \(bind: patientId)
            ORDER BY t.performed_on DESC, t.created_at DESC LIMIT 1
            """).first() else { return nil }
        let id = try row.decode(column: "id", as: UUID.self)
        return try Self.record(row, amendments: try await Self.amendments(sessionId: id, on: sql))
    }

    static func insertDraft(_ checked: SessionChart.Checked, patientId: UUID, clinicId: UUID, practitionerId: UUID, appointmentId: UUID?,
                            planVersionId: UUID?, on sql: any SQLDatabase, now: Date) async throws -> UUID {
        let at = now.wholeMilliseconds
        let id = UUID()
        try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
        let c = checked.chart
        try await sql.raw("""
            INSERT INTO treatment_sessions (id, clinic_id, patient_id, status, modality, performed_on, device_id, cartridge_lot_id, chart, warnings,
                                            appointment_id, plan_version_id, practitioner_id, created_at, updated_at, version)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), 'draft', \(bind: c.modality.rawValue), \(bind: c.performedOn.description),
                    \(bind: c.deviceId), \(bind: c.cartridgeLotId), \(bind: try Self.json(c)), \(bind: try Self.json(checked.warnings)),
                    \(bind: appointmentId), \(bind: planVersionId), \(bind: practitionerId), \(bind: at), \(bind: at), 1)
            """).run()
        try await Self.writeLots(c, sessionId: id, on: sql)
        return id
    }

    /// Version-checked in the WHERE clause too; the caller has checked status and version.
    static func writeDraft(_ checked: SessionChart.Checked, over draft: SessionRecord, on sql: any SQLDatabase, now: Date) async throws {
        let at = now.wholeMilliseconds
        let c = checked.chart
        try await sql.raw("""
            UPDATE treatment_sessions SET modality = \(bind: c.modality.rawValue), performed_on = \(bind: c.performedOn.description),
                device_id = \(bind: c.deviceId), cartridge_lot_id = \(bind: c.cartridgeLotId), chart = \(bind: try Self.json(c)),
                warnings = \(bind: try Self.json(checked.warnings)), updated_at = \(bind: at), version = \(bind: draft.version + 1)
            WHERE id = \(bind: draft.id) AND clinic_id = \(bind: draft.clinicId) AND version = \(bind: draft.version) AND status = 'draft'
            """).run()
        try await Self.writeLots(c, sessionId: draft.id, on: sql)
    }

    static func insertAmendment(sessionId: UUID, clinicId: UUID, reason: String, before: SessionChart, after: SessionChart, changed: [String],
                                authorId: UUID, on sql: any SQLDatabase, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO session_amendments (id, session_id, clinic_id, author_id, at, reason, changed_fields, before_json, after_json)
            VALUES (\(bind: UUID()), \(bind: sessionId), \(bind: clinicId), \(bind: authorId), \(bind: now.wholeMilliseconds), \(bind: reason),
                    \(bind: changed.joined(separator: ",")), \(bind: try Self.json(before)), \(bind: try Self.json(after)))
            """).run()
        try await AnalyticsFacts.sessionChanged(sessionId, on: sql)
    }
}
