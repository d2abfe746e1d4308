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
