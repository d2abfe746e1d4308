import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The plan pages: new plan from a template, plan page with history, edit, approve. Forms work
/// without JavaScript; errors re-show the form with each message beside its field.
struct PlanPageController {
    let services: AppServices
    var templates: ProtocolTemplateRepository { PlanWorkflow.templates(services) }
    var plans: PlanRepository { PlanWorkflow.plans(services) }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/plans/new", AccessPolicy.clinicians, "New treatment plan from a template", c.newForm)
        routes.form("/patients/:id/plans", AccessPolicy.clinicians, "Start a treatment plan (draft)", c.start)
        routes.page("/plans/:id", .clinicalStaff, "Treatment plan with its version history", c.plan)
        routes.page("/plans/:id/edit", AccessPolicy.clinicians, "Edit a treatment plan", c.editForm)
        routes.form("/plans/:id/edit", AccessPolicy.clinicians, "Save a treatment plan (a new version after approval)", c.save)
        routes.form("/plans/:id/approve", AccessPolicy.clinicians, "Approve a treatment plan", c.approve)
    }

    @Sendable func newForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.pageUUID()
        let clinicId = context.signedInUser.clinicId
        let patient = try await services.patients.find(id: patientId, clinicId: clinicId, by: context.auditActor)
        let list = try await templates.list(clinicId: clinicId, by: context.auditActor)
        let chosen = request.uri.queryParameters.get("template").flatMap(UUID.init(uuidString:))
        guard let template = list.first(where: { $0.templateId == chosen }) ?? list.first else {
            throw AppError(.conflict, "No protocol templates", detail: "An admin must create a protocol template first.")
        }
        let inputs = try await PlanWorkflow.inputs(patientId: patientId, context: context, services: services)
        return planForm(context, patient: patient, template: template, templates: list, input: PlanInput(PlanContent(defaultsOf: template.definition)),
                        errors: [], inputs: inputs, action: PatientLinks.url(patientId) + "/plans", version: nil, editing: nil, banner: nil,
                        status: .ok)
    }

    @Sendable func start(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let patientId = try context.pageUUID()
        guard let templateId = form["template"].flatMap(UUID.init(uuidString:)) else {
            throw AppError.badRequest("Choose a protocol template.", field: "template")
        }
        let input = Self.planInput(form)
        do {
            let plan = try await StartPlan(services.database)(patientId: patientId, templateId: templateId, by: context.clinician,
                                                              actor: context.auditActor, now: context.now) { template in
                try input.validate(against: template.definition).get()
            }
            // "Save and approve": the plan just written is approved at once, through the same approval check.
            if request.uri.queryParameters.get("then") == "approve" { return try await approving(plan.id, version: plan.version, context: context) }
            return Response.redirect(to: PlanWorkflow.url(plan.id), type: .normal)
        } catch is Refusal {
            throw AppError.notFound  // not one of the clinic's templates: the page is not there
        } catch let failure as ValidationFailure {
            let clinicId = context.signedInUser.clinicId
            let patient = try await services.patients.find(id: patientId, clinicId: clinicId, by: context.auditActor)
            let template = try await templates.find(id: templateId, clinicId: clinicId).current
            let list = try await templates.list(clinicId: clinicId, by: context.auditActor)
            let inputs = try await PlanWorkflow.inputs(patientId: patientId, context: context, services: services)
            return planForm(context, patient: patient, template: template, templates: list, input: input, errors: failure.errors,
                            inputs: inputs, action: PatientLinks.url(patientId) + "/plans", version: nil, editing: nil, banner: nil,
                            status: .unprocessableContent)
        }
    }

    @Sendable func plan(_ request: Request, _ context: AppContext) async throws -> Response {
        try await planPage(try context.pageUUID(), context: context, banner: nil, refusal: nil, status: .ok)
    }

    @Sendable func editForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let plan = try await plans.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try await editPage(plan, context: context, input: PlanInput(plan.current.content), errors: [], version: plan.version,
                                  banner: nil, status: .ok)
    }

    @Sendable func save(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        guard let version = form["version"].flatMap(Int.init) else {
            throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
        }
        let input = Self.planInput(form)
        do {
            _ = try await EditPlan(services.database)(planId: id, expectedVersion: version, by: context.clinician, actor: context.auditActor, now: context.now) { plan in
                try input.validate(against: plan.current.template.definition).get()
            }
            return Response.redirect(to: PlanWorkflow.url(id), type: .normal)
        } catch let failure as ValidationFailure {
            let stored = try await plans.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            return try await editPage(stored, context: context, input: input, errors: failure.errors, version: version, banner: nil,
                                      status: .unprocessableContent)
        } catch StoreError.versionConflict {
            let fresh = try await plans.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            return try await editPage(fresh, context: context, input: PlanInput(fresh.current.content), errors: [], version: fresh.version,
                                      banner: FormMessages.stale, status: .conflict)
        }
    }

    @Sendable func approve(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        guard let version = form["version"].flatMap(Int.init) else {
            throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
        }
        return try await approving(id, version: version, context: context)
    }

    /// Approves the plan at `version`; a refusal re-shows the plan page with each reason.
    func approving(_ id: UUID, version: Int, context: AppContext) async throws -> Response {
        do {
            _ = try await PlanWorkflow.approve(planId: id, expectedVersion: version, context: context, services: services)
            return Response.redirect(to: PlanWorkflow.url(id), type: .normal)
        } catch StoreError.versionConflict {
            return try await planPage(id, context: context, banner: FormMessages.stale, refusal: nil, status: .conflict)
        } catch let error as AppError where error.status == .conflict {
            let refusal = error.fields.isEmpty ? nil : error.fields.map { PlanApprovalIssue(field: $0.field, message: $0.message) }
            return try await planPage(id, context: context, banner: "\(error.title). \(error.detail ?? "")", refusal: refusal, status: .conflict)
        }
    }

    func planPage(_ id: UUID, context: AppContext, banner: String?, refusal: [PlanApprovalIssue]?, status: HTTPResponse.Status) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let plan = try await plans.find(id: id, clinicId: clinicId, by: context.auditActor)
        let patient = try await services.patients.find(id: plan.patientId, clinicId: clinicId, by: context.auditActor)
        let inputs = try await PlanWorkflow.inputs(patientId: plan.patientId, context: context, services: services)
        let page = PlanView.planPage(plan, patient: patient, inputs: inputs, canPlan: AccessPolicy.clinicians.allows(context.signedInUser.role),
                                     banner: banner, refusal: refusal)
        return services.views.render(.plan, title: "Treatment plan · \(patient.fullName)", section: "patients", page: page,
                                     context: context, status: status)
    }

    /// The edit form of a stored plan, showing `input` (what was typed, or what is stored).
    func editPage(_ plan: TreatmentPlan, context: AppContext, input: PlanInput, errors: [FieldError], version: Int, banner: String?,
                  status: HTTPResponse.Status) async throws -> Response {
        let patient = try await services.patients.find(id: plan.patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let inputs = try await PlanWorkflow.inputs(patientId: plan.patientId, context: context, services: services)
        return planForm(context, patient: patient, template: plan.current.template, templates: [], input: input, errors: errors, inputs: inputs,
                        action: PlanWorkflow.url(plan.id) + "/edit", version: version, editing: plan, banner: banner, status: status)
    }

    static func planInput(_ form: FormBody) -> PlanInput {
        var values: [String: String] = [:]
        for name in PlanInput.fieldNames { if let v = form[name] { values[name] = v } }
        return PlanInput(values, adjuncts: form.values["adjuncts"] ?? [])
    }

    func planForm(_ context: AppContext, patient: Patient, template: ProtocolTemplateVersion, templates: [ProtocolTemplateVersion],
                  input: PlanInput, errors: [FieldError], inputs: PlanningInputs, action: String, version: Int?, editing: TreatmentPlan?,
                  banner: String?, status: HTTPResponse.Status) -> Response {
        services.views.render(.planForm, title: (editing == nil ? "New treatment plan" : "Edit treatment plan") + " · \(patient.fullName)",
                              section: "patients",
                              page: PlanView.planForm(patient: patient, template: template, templates: templates, input: input,
                                                      errors: errors, inputs: inputs, action: action, version: version,
                                                      editing: editing, banner: banner),
                              context: context, status: status)
    }
}
