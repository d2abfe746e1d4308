import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// What planning shows beside a plan: the latest scar assessment, today's screening, and the
/// hints read from them (ScarCore decides; this only gathers the inputs).
struct PlanningInputs: Sendable {
    var assessment: ScarAssessment?
    var screening: CurrentScreening
    var hints: [PlanHint]

    func check(_ version: PlanVersion) -> PlanApproval.Check {
        PlanApproval.check(content: version.content, template: version.template.definition, screening: screening.results,
                           acknowledgements: screening.acknowledgements)
    }
}

/// The steps the API and the pages share: gathering planning inputs, reading plan bodies, approving.
enum PlanWorkflow {
    /// Practitioners and admins plan and approve; the front desk may read plans; researchers see none.

    static func templates(_ services: AppServices) -> ProtocolTemplateRepository { ProtocolTemplateRepository(services.database) }
    static func plans(_ services: AppServices) -> PlanRepository { PlanRepository(services.database) }

    static func inputs(patientId: UUID, context: AppContext, services: AppServices) async throws -> PlanningInputs {
        let latest = try await services.assessments.list(patientId: patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor).first
        let screening = try await ReadScreening(services.database)(patientId: patientId, by: context.clinician, actor: context.auditActor, now: context.now)
        return PlanningInputs(assessment: latest, screening: screening,
                              hints: PlanHints.hints(assessment: latest?.details, intake: screening.intake?.intake))
    }

    static func validationError(_ read: [FieldError], _ failure: ValidationFailure?) -> AppError {
        let more = failure?.errors.filter { e in !read.contains { $0.field == e.field } } ?? []
        return AppError.validation(read + more)
    }

    /// Approves the plan's draft through the use case (screening read and checked inside its
    /// transaction); a refusal (409 naming each reason with its source) reaches the pages as an AppError.
    static func approve(planId: UUID, expectedVersion: Int, context: AppContext, services: AppServices) async throws -> TreatmentPlan {
        try await AppError.fromRefusal {
            try await ApprovePlan(services.database)(planId: planId, expectedVersion: expectedVersion, by: context.clinician,
                                                     actor: context.auditActor, now: context.now)
        }
    }

    /// The plan's ETag header.
    static func headers(_ plan: TreatmentPlan) -> HTTPFields {
        var h = HTTPFields()
        h[.eTag] = ETag.make(plan.version)
        return h
    }

    static func url(_ planId: UUID) -> String { "/plans/\(planId.lower)" }
    static func templateURL(_ templateId: UUID) -> String { "/protocol-templates/\(templateId.lower)" }
}
