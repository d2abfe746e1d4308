import Foundation
import ScarCore

/// Treatment plans inside a use case's transaction (not audited on their own).
extension UnitOfWork {
    public func plan(id: UUID, clinicId: UUID) async throws -> TreatmentPlan {
        try await PlanRepository.load(planId: id, clinicId: clinicId, on: sql)
    }

    /// Stores the approval the use case decided and returns the plan as stored.
    public func writeApproval(of plan: TreatmentPlan, record: PlanApprovalRecord, expectedVersion: Int, now: Date) async throws -> TreatmentPlan {
        try await PlanRepository.writeApproval(plan, record: record, expectedVersion: expectedVersion, on: sql, now: now)
        return try await PlanRepository.load(planId: plan.id, clinicId: plan.clinicId, on: sql)
    }
}

/// Starting and editing a plan inside their one transaction (the use case audits
/// `plan.create`, `plan.update` or `plan.version` once).
extension UnitOfWork {
    /// A template's current version (not found outside the clinic).
    public func currentTemplate(id: UUID, clinicId: UUID) async throws -> ProtocolTemplateVersion {
        try await ProtocolTemplateRepository.history(id: id, clinicId: clinicId, on: sql).current
    }

    /// The patient's latest scar assessment, which a plan records it was made from.
    public func latestAssessmentId(patientId: UUID, clinicId: UUID) async throws -> UUID? {
        try await AssessmentRepository.latestId(patientId: patientId, clinicId: clinicId, on: sql)
    }

    public func insert(planFor patientId: UUID, clinicId: UUID, template: ProtocolTemplateVersion, content: PlanContent,
                       assessmentId: UUID?, by actor: AuditActor, now: Date) async throws -> TreatmentPlan {
        try await PlanRepository.insert(patientId: patientId, clinicId: clinicId, template: template, content: content,
                                        assessmentId: assessmentId, by: actor, now: now, on: sql)
    }

    /// Stores the change and returns the audit entry naming what it was (`plan.update` or `plan.version`).
    public func write(_ content: PlanContent, over plan: TreatmentPlan, expectedVersion: Int, assessmentId: UUID?, by actor: AuditActor,
                      now: Date) async throws -> AuditEvent {
        try await PlanRepository.write(content, over: plan, expectedVersion: expectedVersion, assessmentId: assessmentId, by: actor,
                                       now: now, on: sql)
    }
}
