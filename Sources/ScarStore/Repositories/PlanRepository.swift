import Foundation
import ScarCore
import SQLKit

/// Treatment plans of one clinic's patients. A plan keeps a stable id; its versions are rows
/// of their own. A draft is edited in place; a change after approval adds a version that
/// supersedes the approved one, which stays readable. Every call is scoped by clinic and
/// audited in the same transaction; `treatment_plans.version` guards concurrent edits.
public struct PlanRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    /// Thrown by `approve` when the latest version is not a draft any more.
    public struct NotADraft: Error, Sendable {}

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    static let versionColumns = """
        pv.id, pv.plan_id, pv.version_number, pv.supersedes_id, pv.status, pv.assessment_id, pv.content, pv.created_at,
        pv.created_by_label, pv.updated_at, pv.approval,
        tv.id AS tv_id, tv.template_id AS tv_template_id, tv.version AS tv_version, tv.created_at AS tv_created_at,
        tv.created_by_label AS tv_created_by_label, tv.definition AS tv_definition
        """

    static func decodeVersion(_ row: any SQLRow) throws -> PlanVersion {
        var templates: [UUID: ProtocolTemplateVersion] = [:]
        return try decodeVersion(row, templates: &templates)
    }

    /// `templates`: the template versions already decoded by this read, by id. A template version
    /// never changes, and many plans follow the same one, so its definition (JSON) is decoded once
    /// per read, not once per plan version (an export reads every plan of the clinic).
    static func decodeVersion(_ row: any SQLRow, templates: inout [UUID: ProtocolTemplateVersion]) throws -> PlanVersion {
        let decoder = JSONDecoder()
        let templateVersionId = try row.decode(column: "tv_id", as: UUID.self)
        let template = try templates[templateVersionId] ?? ProtocolTemplateVersion(
            id: templateVersionId, templateId: try row.decode(column: "tv_template_id", as: UUID.self),
            version: try row.decode(column: "tv_version", as: Int.self), createdAt: try row.decode(column: "tv_created_at", as: Date.self),
            createdBy: try row.decode(column: "tv_created_by_label", as: String.self),
            definition: try decoder.decode(ProtocolTemplateDefinition.self, from: Data(try row.decode(column: "tv_definition", as: String.self).utf8)))
        templates[templateVersionId] = template
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = PlanStatus(rawValue: statusText) else { throw StoreError.configuration("Unknown plan status \(statusText)") }
        let approval = try row.decode(column: "approval", as: String?.self).map { try decoder.decode(PlanApprovalRecord.self, from: Data($0.utf8)) }
        return PlanVersion(
            id: try row.decode(column: "id", as: UUID.self), planId: try row.decode(column: "plan_id", as: UUID.self),
            number: try row.decode(column: "version_number", as: Int.self), supersedes: try row.decode(column: "supersedes_id", as: UUID?.self),
            status: status, template: template, assessmentId: try row.decode(column: "assessment_id", as: UUID?.self),
            content: try decoder.decode(PlanContent.self, from: Data(try row.decode(column: "content", as: String.self).utf8)),
            createdAt: try row.decode(column: "created_at", as: Date.self), createdBy: try row.decode(column: "created_by_label", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self), approval: approval)
    }

    static func load(planId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> TreatmentPlan {
        guard let row = try await sql.raw("""
            SELECT id, clinic_id, patient_id, version, created_at FROM treatment_plans WHERE id = \(bind: planId) AND clinic_id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        let versions = try await sql.raw("""
            SELECT \(unsafeRaw: versionColumns) FROM treatment_plan_versions pv
            JOIN protocol_template_versions tv ON tv.id = pv.template_version_id
            WHERE pv.plan_id = \(bind: planId) ORDER BY pv.version_number DESC
            """).all().map(decodeVersion)
        guard !versions.isEmpty else { throw StoreError.configuration("Plan \(planId) has no versions") }
        return TreatmentPlan(id: planId, clinicId: clinicId, patientId: try row.decode(column: "patient_id", as: UUID.self),
                             version: try row.decode(column: "version", as: Int.self), createdAt: try row.decode(column: "created_at", as: Date.self),
                             versions: versions)
    }

    /// The patient's plans, newest first, each with every version: two statements however many plans.
    static func plans(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [TreatmentPlan] {
        try await plans(patientIds: [patientId], clinicId: clinicId, order: "created_at DESC, id", on: sql)[patientId] ?? []
    }

    /// These patients' plans by patient, in `order` (columns of `treatment_plans`), each with every
    /// version: two statements however many patients and plans.
    /// `after` and `limit` read one page (the table is aliased `tp`).
    static func plans(patientIds: [UUID], clinicId: UUID, order: String, after: SQLQueryString = "", limit: SQLQueryString = "",
                      on sql: any SQLDatabase) async throws -> [UUID: [TreatmentPlan]] {
        let among = SQLList(patientIds.map { SQLBind($0) })
        let rows = try await sql.raw("""
            SELECT id, patient_id, version, created_at FROM treatment_plans tp
            WHERE clinic_id = \(bind: clinicId) AND patient_id IN (\(among)) \(after) ORDER BY \(unsafeRaw: order) \(limit)
            """).all()
        guard !rows.isEmpty else { return [:] }
        var versions: [UUID: [PlanVersion]] = [:]
        var templates: [UUID: ProtocolTemplateVersion] = [:]
        for version in try await sql.raw("""
            SELECT \(unsafeRaw: versionColumns) FROM treatment_plan_versions pv
            JOIN protocol_template_versions tv ON tv.id = pv.template_version_id JOIN treatment_plans p ON p.id = pv.plan_id
            WHERE p.clinic_id = \(bind: clinicId) AND p.patient_id IN (\(among)) ORDER BY pv.plan_id, pv.version_number DESC
            """).all().map({ try decodeVersion($0, templates: &templates) }) {
            versions[version.planId, default: []].append(version)
        }
        var out: [UUID: [TreatmentPlan]] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self), patientId = try row.decode(column: "patient_id", as: UUID.self)
            guard let planVersions = versions[id], !planVersions.isEmpty else { throw StoreError.configuration("Plan \(id) has no versions") }
            out[patientId, default: []].append(TreatmentPlan(id: id, clinicId: clinicId, patientId: patientId,
                                                             version: try row.decode(column: "version", as: Int.self),
                                                             createdAt: try row.decode(column: "created_at", as: Date.self), versions: planVersions))
        }
        return out
    }

    /// Starts a plan (version 1, a draft) for a patient of the clinic from a template version.
    public func create(patientId: UUID, clinicId: UUID, templateVersionId: UUID, content: PlanContent, assessmentId: UUID?,
                       by actor: AuditActor, now: Date = Date()) async throws -> TreatmentPlan {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let template = try await ProtocolTemplateRepository.version(id: templateVersionId, clinicId: clinicId, on: sql)
            let plan = try await Self.insert(patientId: patientId, clinicId: clinicId, template: template, content: content,
                                             assessmentId: assessmentId, by: actor, now: now, on: sql)
            try await AuditTrail.append(Self.creationEvent(plan), by: actor, engine: engine, on: sql, now: now)
            return plan
        }
    }

    /// The `plan.create` entry: the plan, its first version and the template version it follows.
    public static func creationEvent(_ plan: TreatmentPlan) -> AuditEvent {
        AuditEvent(action: "plan.create", recordType: "treatment_plan", recordId: plan.id.uuidString, patientId: plan.patientId,
                   details: ["planVersionId": plan.current.id.lower, "versionNumber": "1",
                             "templateVersionId": plan.current.template.id.lower])
    }

    /// Stores a new plan (version 1, a draft) and returns it as stored; not audited here.
    static func insert(patientId: UUID, clinicId: UUID, template: ProtocolTemplateVersion, content: PlanContent, assessmentId: UUID?,
                       by actor: AuditActor, now: Date, on sql: any SQLDatabase) async throws -> TreatmentPlan {
        let contentJSON = try Self.json(content)
        let planId = UUID()
        try await sql.raw("""
            INSERT INTO treatment_plans (id, clinic_id, patient_id, version, created_at, updated_at)
            VALUES (\(bind: planId), \(bind: clinicId), \(bind: patientId), \(bind: 1), \(bind: now), \(bind: now))
            """).run()
        try await Self.insertVersion(id: UUID(), planId: planId, clinicId: clinicId, patientId: patientId, number: 1, supersedes: nil,
                                     template: template, assessmentId: assessmentId, content: content, contentJSON: contentJSON,
                                     by: actor, on: sql, now: now)
        return try await Self.load(planId: planId, clinicId: clinicId, on: sql)
    }

    static func insertVersion(id: UUID, planId: UUID, clinicId: UUID, patientId: UUID, number: Int, supersedes: UUID?,
                              template: ProtocolTemplateVersion, assessmentId: UUID?, content: PlanContent, contentJSON: String,
                              by actor: AuditActor, on sql: any SQLDatabase, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO treatment_plan_versions (id, plan_id, clinic_id, patient_id, version_number, supersedes_id, status,
                                                 template_version_id, assessment_id, modality, sessions, interval_days, content,
                                                 created_at, created_by, created_by_label, updated_at)
            VALUES (\(bind: id), \(bind: planId), \(bind: clinicId), \(bind: patientId), \(bind: number), \(bind: supersedes), 'draft',
                    \(bind: template.id), \(bind: assessmentId), \(bind: template.definition.modality.rawValue), \(bind: content.sessions),
                    \(bind: content.intervalDays), \(bind: contentJSON), \(bind: now), \(bind: actor.userId), \(bind: actor.label), \(bind: now))
            """).run()
    }

    /// One plan with every version, audited as a read. Not found for another clinic's plan.
    public func find(id: UUID, clinicId: UUID, by actor: AuditActor) async throws -> TreatmentPlan {
        let engine = db.engine
        return try await db.write { sql in
            let plan = try await Self.load(planId: id, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "plan.read", recordType: "treatment_plan", recordId: id.uuidString,
                                                   patientId: plan.patientId), by: actor, engine: engine, on: sql)
            return plan
        }
    }

    /// The patient's plans, newest first, audited as a listing.
    public func list(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> [TreatmentPlan] {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let plans = try await Self.plans(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "plan.list", recordType: "treatment_plan", patientId: patientId,
                                                   details: ["results": String(plans.count)]), by: actor, engine: engine, on: sql)
            return plans
        }
    }

    /// Saves changed content if the plan is still at `expectedVersion`. A draft is changed in
    /// place; when the latest version is approved, a new draft version is added that
    /// supersedes it. `change` computes the new content from the stored plan (it may throw a
    /// validation failure, which leaves everything unchanged).
    public func save(id: UUID, clinicId: UUID, expectedVersion: Int, assessmentId: UUID?, by actor: AuditActor, now: Date = Date(),
                     change: @escaping @Sendable (TreatmentPlan) throws -> PlanContent) async throws -> TreatmentPlan {
        let engine = db.engine
        return try await db.write { sql in
            let plan = try await Self.load(planId: id, clinicId: clinicId, on: sql)
            guard plan.version == expectedVersion else { throw StoreError.versionConflict(current: plan.version) }
            let event = try await Self.write(try change(plan), over: plan, expectedVersion: expectedVersion, assessmentId: assessmentId,
                                             by: actor, now: now, on: sql)
            try await AuditTrail.append(event, by: actor, engine: engine, on: sql, now: now)
            return try await Self.load(planId: id, clinicId: clinicId, on: sql)
        }
    }

    /// Stores changed content over `plan` (whose version the caller checked): a draft changes in
    /// place (`plan.update`), an approved plan gets a new draft version superseding it
    /// (`plan.version`). Returns the audit entry that says which; not audited here.
    static func write(_ content: PlanContent, over plan: TreatmentPlan, expectedVersion: Int, assessmentId: UUID?, by actor: AuditActor,
                      now: Date, on sql: any SQLDatabase) async throws -> AuditEvent {
        let contentJSON = try Self.json(content)
        try await Self.bump(plan, expectedVersion: expectedVersion, on: sql, now: now)
        let current = plan.current
        var details = ["version": String(plan.version + 1)]
        if current.status == .draft {
            try await sql.raw("""
                UPDATE treatment_plan_versions SET content = \(bind: contentJSON), sessions = \(bind: content.sessions),
                    interval_days = \(bind: content.intervalDays), assessment_id = \(bind: assessmentId), updated_at = \(bind: now)
                WHERE id = \(bind: current.id) AND status = 'draft'
                """).run()
            details["planVersionId"] = current.id.lower
            details["versionNumber"] = String(current.number)
            return AuditEvent(action: "plan.update", recordType: "treatment_plan", recordId: plan.id.uuidString, patientId: plan.patientId,
                              details: details)
        }
        let newId = UUID()
        try await Self.insertVersion(id: newId, planId: plan.id, clinicId: plan.clinicId, patientId: plan.patientId, number: current.number + 1,
                                     supersedes: current.id, template: current.template, assessmentId: assessmentId,
                                     content: content, contentJSON: contentJSON, by: actor, on: sql, now: now)
        details["planVersionId"] = newId.lower
        details["versionNumber"] = String(current.number + 1)
        details["supersedes"] = current.id.lower
        return AuditEvent(action: "plan.version", recordType: "treatment_plan", recordId: plan.id.uuidString, patientId: plan.patientId,
                          details: details)
    }

    static func bump(_ plan: TreatmentPlan, expectedVersion: Int, on sql: any SQLDatabase, now: Date) async throws {
        let moved = try await sql.raw("""
            UPDATE treatment_plans SET version = \(bind: expectedVersion + 1), updated_at = \(bind: now)
            WHERE id = \(bind: plan.id) AND clinic_id = \(bind: plan.clinicId) AND version = \(bind: expectedVersion) RETURNING id
            """).first()
        guard moved != nil else { throw StoreError.versionConflict(current: expectedVersion + 1) }
    }

    /// Approves the plan's draft with the approval `decide` returns (the synthetic courses' path;
    /// clinicians approve through the `ApprovePlan` use case, which decides inside its transaction).
    public func approve(id: UUID, clinicId: UUID, expectedVersion: Int, by actor: AuditActor, now: Date = Date(),
                        decide: @escaping @Sendable (TreatmentPlan) throws -> PlanApprovalRecord) async throws -> TreatmentPlan {
        let engine = db.engine
        return try await db.write { sql in
            let plan = try await Self.load(planId: id, clinicId: clinicId, on: sql)
            guard plan.version == expectedVersion else { throw StoreError.versionConflict(current: plan.version) }
            guard plan.current.status == .draft else { throw NotADraft() }
            let record = try decide(plan)
            try await Self.writeApproval(plan, record: record, expectedVersion: expectedVersion, on: sql, now: now)
            try await AuditTrail.append(Self.approvalEvent(plan, record: record), by: actor, engine: engine, on: sql, now: now)
            return try await Self.load(planId: id, clinicId: clinicId, on: sql)
        }
    }

    /// The one writer of an approval: the draft becomes the approved version, the one it replaces is superseded.
    static func writeApproval(_ plan: TreatmentPlan, record: PlanApprovalRecord, expectedVersion: Int, on sql: any SQLDatabase,
                              now: Date) async throws {
        try await bump(plan, expectedVersion: expectedVersion, on: sql, now: now)
        if let previous = plan.inForce {
            try await sql.raw("""
                UPDATE treatment_plan_versions SET status = 'superseded', updated_at = \(bind: now)
                WHERE id = \(bind: previous.id) AND status = 'approved'
                """).run()
        }
        try await sql.raw("""
            UPDATE treatment_plan_versions SET status = 'approved', approved_at = \(bind: record.approvedAt),
                approved_by = \(bind: record.approvedById), approved_by_label = \(bind: record.approvedBy),
                approval = \(bind: try json(record)), updated_at = \(bind: now)
            WHERE id = \(bind: plan.current.id) AND status = 'draft'
            """).run()
    }

    public static func approvalEvent(_ plan: TreatmentPlan, record: PlanApprovalRecord) -> AuditEvent {
        AuditEvent(action: "plan.approve", recordType: "treatment_plan", recordId: plan.id.uuidString, patientId: plan.patientId,
                   details: ["planVersionId": plan.current.id.lower, "versionNumber": String(plan.current.number),
                             "screeningOutcome": record.screeningOutcome.rawValue, "ruleSetVersion": record.ruleSetVersion])
    }
}
