import Foundation
import ScarCore
import SQLKit

// Issue 16, "every list is paged": a patient's intakes, treatment plans, consents, adverse events and
// reported outcomes, a page at a time by keyset, in the order each list always had, each page one
// transaction with its scope check and one audit entry (`PatientListPaging.page`).

extension IntakeRepository {
    /// One page of the patient's intakes, newest first, audited as `intake.list`.
    public func intakes(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                        by actor: AuditActor) async throws -> PatientListPage<IntakeRecord> {
        try await PatientListPaging.page(db, patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, list: .intakes,
                                         action: "intake.list", recordType: "intake", by: actor, id: \.id) { sql, limit in
            let after = PatientListPaging.after(cursor, table: "intakes", alias: "i", columns: ["recorded_at"], patientId: patientId)
            return try await sql.raw("""
                SELECT \(unsafeRaw: Self.intakeColumns) FROM intakes i LEFT JOIN staff_users u ON u.id = i.recorded_by
                WHERE i.clinic_id = \(bind: clinicId) AND i.patient_id = \(bind: patientId) \(after) ORDER BY i.recorded_at DESC, i.id \(limit)
                """).all().map(Self.intakeRecord)
        }
    }
}

extension PlanRepository {
    /// One page of the patient's treatment plans (each with every version), newest first, audited as `plan.list`.
    public func list(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                     by actor: AuditActor) async throws -> PatientListPage<TreatmentPlan> {
        try await PatientListPaging.page(db, patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, list: .plans,
                                         action: "plan.list", recordType: "treatment_plan", by: actor, id: \.id) { sql, limit in
            let after = PatientListPaging.after(cursor, table: "treatment_plans", alias: "tp", columns: ["created_at"], patientId: patientId)
            return try await Self.plans(patientIds: [patientId], clinicId: clinicId, order: "created_at DESC, id", after: after, limit: limit,
                                        on: sql)[patientId] ?? []
        }
    }
}

extension ConsentRepository {
    /// One page of the patient's consents (with any withdrawal), newest first, audited as `consent.list`.
    public func list(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                     by actor: AuditActor) async throws -> PatientListPage<SignedConsent> {
        try await PatientListPaging.page(db, patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, list: .consents,
                                         action: "consent.list", recordType: "consent", by: actor, id: \.id) { sql, limit in
            let after = PatientListPaging.after(cursor, table: "consents", alias: "c", columns: ["signed_at"], patientId: patientId)
            return try await sql.raw("""
                SELECT c.*, w.withdrawn_at, w.reason AS withdrawal_reason FROM consents c LEFT JOIN consent_withdrawals w ON w.consent_id = c.id
                WHERE c.clinic_id = \(bind: clinicId) AND c.patient_id = \(bind: patientId) \(after) ORDER BY c.signed_at DESC, c.id \(limit)
                """).all().map(Self.decode)
        }
    }
}

extension AdverseEventRepository {
    /// One page of the patient's adverse events, serious first, then newest onset, audited as `adverse-event.list`.
    public func list(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                     by actor: AuditActor) async throws -> PatientListPage<Record> {
        try await PatientListPaging.page(db, patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, list: .adverseEvents,
                                         action: "adverse-event.list", recordType: "adverse_event", by: actor, id: \.id) { sql, limit in
            let after = PatientListPaging.after(cursor, table: "adverse_events", alias: "e", columns: ["serious", "onset_on", "created_at"],
                                                patientId: patientId)
            return try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE e.clinic_id = \(bind: clinicId) AND e.patient_id = \(bind: patientId)
                \(after) ORDER BY e.serious DESC, e.onset_on DESC, e.created_at DESC, e.id \(limit)
                """).all().map(Self.record)
        }
    }
}

extension AdverseEventRepository {
    /// One page of the clinic's adverse events (or only the open ones: ongoing or unknown outcome),
    /// serious first, then newest onset, audited as `adverse-event.list` in the same transaction.
    public func list(openOnly: Bool, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                     by actor: AuditActor) async throws -> PatientListPage<Record> {
        try await PatientListPaging.page(db, patientId: nil, clinicId: clinicId, after: cursor, limit: limit, list: .clinicAdverseEvents,
                                         action: "adverse-event.list", recordType: "adverse_event", details: ["open": String(openOnly)],
                                         by: actor, id: \.id) { sql, limit in
            let after = PatientListPaging.after(cursor, table: "adverse_events", alias: "e", columns: ["serious", "onset_on", "created_at"],
                                                clinicId: clinicId)
            let open: SQLQueryString = openOnly ? "AND e.outcome IN ('ongoing', 'unknown')" : ""
            return try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE e.clinic_id = \(bind: clinicId) \(open) \(after)
                ORDER BY e.serious DESC, e.onset_on DESC, e.created_at DESC, e.id \(limit)
                """).all().map(Self.record)
        }
    }
}

extension OutcomeRepository {
    /// One page of the patient's reported outcomes, earliest first (the order of the course), audited as `pro.list`.
    public func list(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                     by actor: AuditActor) async throws -> PatientListPage<Recorded> {
        try await PatientListPaging.page(db, patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, list: .reportedOutcomes,
                                         action: "pro.list", recordType: "pro", by: actor, id: \.id) { sql, limit in
            let after = PatientListPaging.after(cursor, table: "patient_reported_outcomes", alias: "q", columns: ["recorded_on", "recorded_at"],
                                                ascending: true, patientId: patientId)
            return try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM patient_reported_outcomes q
                WHERE q.clinic_id = \(bind: clinicId) AND q.patient_id = \(bind: patientId) \(after) ORDER BY q.recorded_on, q.recorded_at, q.id \(limit)
                """).all().map(Self.recorded)
        }
    }
}
