import Foundation
import ScarCore
import ScarStore

/// Approving a treatment plan's draft: one write transaction that locks the patient, reads the
/// latest intake, acknowledgements and the clinic's rule set, screens every modality as of the
/// clinic's today (ScarCore), checks the plan against that screening and its template
/// (`PlanApproval.check`), records the approval with the screening it rested on and appends one
/// `plan.approve` entry. An intake recorded at the same moment is seen or waits until this lands.
public struct ApprovePlan: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(planId: UUID, expectedVersion: Int, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> TreatmentPlan {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let found = try await tx.plan(id: planId, clinicId: clinicId)
            try await tx.lockPatient(found.patientId, clinicId: clinicId)
            let plan = try await tx.plan(id: planId, clinicId: clinicId)
            guard plan.version == expectedVersion else { throw StoreError.versionConflict(current: plan.version) }
            guard plan.current.status == .draft else {
                throw Refusal(.conflict, "Nothing to approve",
                              detail: "The latest version is already approved. Edit the plan to start a new version, then approve that.")
            }
            let inputs = try await tx.screeningInputs(patientId: plan.patientId, clinicId: clinicId)
            let screening = inputs.intake.map { intake in
                Modality.allCases.map { Screening.evaluate(intake: intake.intake, modality: $0, asOf: clinician.today, ruleSet: inputs.ruleSet) }
            } ?? []
            let check = PlanApproval.check(content: plan.current.content, template: plan.current.template.definition, screening: screening,
                                           acknowledgements: inputs.acknowledgements)
            guard check.canApprove else {
                throw Refusal(.conflict, "The plan cannot be approved yet", detail: check.blockers.map(\.message).joined(separator: " "),
                              fields: check.blockers.map { FieldError($0.field, $0.message + ($0.source.map { " Source: \($0)" } ?? "")) })
            }
            let result = screening.first { $0.modality == plan.current.modality }
            let record = PlanApprovalRecord(approvedAt: now, approvedById: clinician.user.id, approvedBy: clinician.user.email,
                                            intakeId: inputs.intake?.id, ruleSetVersion: inputs.ruleSet.version,
                                            screeningOutcome: result?.outcome ?? .eligible)
            let approved = try await tx.writeApproval(of: plan, record: record, expectedVersion: expectedVersion, now: now)
            try await tx.audit(PlanRepository.approvalEvent(plan, record: record), by: actor, now: now)
            return approved
        })
    }
}
