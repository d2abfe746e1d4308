import Foundation
import ScarCore
import ScarStore

/// Starting a treatment plan: one write transaction that reads the patient (not found outside the
/// clinic), the template's current version and the patient's latest scar assessment, lets the
/// caller turn its input into content checked against that template (`PlanInput.validate`, ScarCore),
/// stores version 1 as a draft and appends one `plan.create` entry.
public struct StartPlan: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// A template that is not one of the clinic's is refused as invalid (`templateId`); a refusal
    /// thrown by `content` (the input checked against the template) writes nothing.
    public func callAsFunction(patientId: UUID, templateId: UUID, by clinician: Clinician, actor: AuditActor, now: Date,
                               content: @escaping @Sendable (ProtocolTemplateVersion) throws -> PlanContent) async throws -> TreatmentPlan {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            _ = try await tx.patient(id: patientId, clinicId: clinicId)
            let template: ProtocolTemplateVersion
            do {
                template = try await tx.currentTemplate(id: templateId, clinicId: clinicId)
            } catch StoreError.notFound {
                throw Refusal.invalid([FieldError("templateId", "is not one of the clinic's templates")])
            }
            let checked = try content(template)
            let assessmentId = try await tx.latestAssessmentId(patientId: patientId, clinicId: clinicId)
            let plan = try await tx.insert(planFor: patientId, clinicId: clinicId, template: template, content: checked,
                                           assessmentId: assessmentId, by: actor, now: now)
            try await tx.audit(PlanRepository.creationEvent(plan), by: actor, now: now)
            return plan
        })
    }
}

/// Changing a plan: one write transaction that reads the plan, checks the version the planner saw,
/// lets the caller compute the new content from the stored plan (checked against its template),
/// records the patient's latest scar assessment with it, and stores it — a draft in place
/// (`plan.update`), after approval as a new draft version that supersedes the approved one
/// (`plan.version`) — appending that one entry. A stale version is `StoreError.versionConflict`.
public struct EditPlan: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(planId: UUID, expectedVersion: Int, by clinician: Clinician, actor: AuditActor, now: Date,
                               change: @escaping @Sendable (TreatmentPlan) throws -> PlanContent) async throws -> TreatmentPlan {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let plan = try await tx.plan(id: planId, clinicId: clinicId)
            guard plan.version == expectedVersion else { throw StoreError.versionConflict(current: plan.version) }
            let content = try change(plan)
            let assessmentId = try await tx.latestAssessmentId(patientId: plan.patientId, clinicId: clinicId)
            let event = try await tx.write(content, over: plan, expectedVersion: expectedVersion, assessmentId: assessmentId, by: actor, now: now)
            try await tx.audit(event, by: actor, now: now)
            return try await tx.plan(id: planId, clinicId: clinicId)
        })
    }
}
