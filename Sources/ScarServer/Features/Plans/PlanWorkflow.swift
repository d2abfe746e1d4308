import Foundation
import HTTPTypes
import Hummingbird
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
    static let planners = AccessPolicy.staff([.admin, .practitioner])

    static func templates(_ services: AppServices) -> ProtocolTemplateRepository { ProtocolTemplateRepository(services.database) }
    static func plans(_ services: AppServices) -> PlanRepository { PlanRepository(services.database) }

    static func inputs(patientId: UUID, context: AppContext, services: AppServices) async throws -> PlanningInputs {
        let latest = try await services.assessments.list(patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor).first
        let screening = try await CurrentScreening.load(patientId: patientId, context: context, intakes: services.intakes)
        return PlanningInputs(assessment: latest, screening: screening,
                              hints: PlanHints.hints(assessment: latest?.details, intake: screening.intake?.intake))
    }

    static func validationError(_ read: [FieldError], _ failure: ValidationFailure?) -> AppError {
        let more = failure?.errors.filter { e in !read.contains { $0.field == e.field } } ?? []
        return AppError.validation(read + more)
    }

    /// Approves the plan's draft if today's screening and the plan's content allow it;
    /// otherwise throws 409 naming each reason with its source.
    static func approve(planId: UUID, expectedVersion: Int, context: AppContext, services: AppServices) async throws -> TreatmentPlan {
        let user = context.user!
        let repository = Self.plans(services)
        let stored = try await repository.find(id: planId, clinicId: user.clinicId, by: context.auditActor)
        let planning = try await Self.inputs(patientId: stored.patientId, context: context, services: services)
        let screening = planning.screening
        do {
            return try await repository.approve(id: planId, clinicId: user.clinicId, expectedVersion: expectedVersion, by: context.auditActor) { plan in
                let check = planning.check(plan.current)
                guard check.canApprove else { throw refusal(check) }
                let result = screening.results.first { $0.modality == plan.current.modality }
                return PlanApprovalRecord(approvedAt: Date(), approvedById: user.id, approvedBy: user.email, intakeId: screening.intake?.id,
                                          ruleSetVersion: screening.ruleSet.version, screeningOutcome: result?.outcome ?? .eligible)
            }
        } catch is PlanRepository.NotADraft {
            throw AppError(.conflict, "Nothing to approve",
                           detail: "The latest version is already approved. Edit the plan to start a new version, then approve that.")
        } catch is PlanRepository.ScreeningChanged {
            throw AppError(.conflict, "The screening changed",
                           detail: "A new intake was recorded while approving. Review today's screening and approve again.")
        }
    }

    static func refusal(_ check: PlanApproval.Check) -> AppError {
        let fields = check.blockers.map { b in FieldError(b.field, b.message + (b.source.map { " Source: \($0)" } ?? "")) }
        return AppError(.conflict, "The plan cannot be approved yet", detail: check.blockers.map(\.message).joined(separator: " "), fields: fields)
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
