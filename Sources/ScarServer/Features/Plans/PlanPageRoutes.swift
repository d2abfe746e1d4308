import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The protocol-template pages (list, detail; create and edit for admins) and the plan pages
/// (new plan from a template, plan page with history, edit, approve). Forms work without
/// JavaScript; errors re-show the form with each message beside its field.
enum PlanPageRoutes {
    static let staleMessage = "This record was changed by someone else while you were editing. The form now shows the saved values; re-apply your change and save again."

    static func add(to routes: Routes, services: AppServices) {
        let templates = PlanWorkflow.templates(services)
        let plans = PlanWorkflow.plans(services)
        let views = services.views

        // MARK: Templates

        routes.page("/protocol-templates", .clinicalStaff, "Protocol templates") { _, context in
            let list = try await templates.list(clinicId: context.user!.clinicId, by: context.auditActor)
            return views.render("protocol-templates", title: "Protocol templates", section: "protocols", data: [
                "templates": list.map(PlanView.templateRow), "canEdit": context.user!.role == .admin,
            ], context: context)
        }

        routes.page("/protocol-templates/new", .adminOnly, "New protocol template form") { _, context in
            var input = ProtocolTemplateInput(["modality": Modality.microneedling.rawValue, "deviceType": MechanicalDeviceType.pen.rawValue])
            input["isExample"] = "no"
            return templateForm(views, context, input: input, errors: [], action: "/protocol-templates", version: nil,
                                title: "New protocol template", banner: nil, status: .ok)
        }

        routes.form("/protocol-templates", .adminOnly, "Create a protocol template") { _, context, form in
            let input = templateInput(form)
            switch input.validate() {
            case .failure(let f):
                return templateForm(views, context, input: input, errors: f.errors, action: "/protocol-templates", version: nil,
                                    title: "New protocol template", banner: nil, status: .unprocessableContent)
            case .success(let d):
                let saved = try await templates.create(d, clinicId: context.user!.clinicId, by: context.auditActor)
                return Response.redirect(to: PlanWorkflow.templateURL(saved.templateId), type: .normal)
            }
        }

        routes.page("/protocol-templates/:id", .clinicalStaff, "Protocol template with its versions") { _, context in
            let id = try PatientPageRoutes.pageUUID(context)
            let history = try await templates.find(id: id, clinicId: context.user!.clinicId)
            return views.render("protocol-template", title: history.current.definition.name, section: "protocols", data: [
                "template": PlanView.templateDetail(history.current), "canEdit": context.user!.role == .admin,
                "editURL": PlanWorkflow.templateURL(id) + "/edit",
                "versions": history.versions.map { v in
                    ["version": v.version, "name": v.definition.name, "createdBy": v.createdBy, "createdAt": PatientView.timestamp(v.createdAt),
                     "isCurrent": v.id == history.current.id, "sessions": "\(v.definition.sessionsDefault) (\(v.definition.sessionsMin)–\(v.definition.sessionsMax))",
                     "interval": PlanView.intervalText(v.definition.intervalDaysDefault)] as [String: Any]
                },
            ], context: context)
        }

        routes.page("/protocol-templates/:id/edit", .adminOnly, "Edit a protocol template") { _, context in
            let id = try PatientPageRoutes.pageUUID(context)
            let history = try await templates.find(id: id, clinicId: context.user!.clinicId)
            return templateForm(views, context, input: ProtocolTemplateInput(history.current.definition), errors: [],
                                action: PlanWorkflow.templateURL(id) + "/edit", version: history.current.version,
                                title: "Edit template (saves version \(history.current.version + 1))", banner: nil, status: .ok)
        }

        routes.form("/protocol-templates/:id/edit", .adminOnly, "Save a protocol template as a new version") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            let clinicId = context.user!.clinicId
            let action = PlanWorkflow.templateURL(id) + "/edit"
            guard let version = form["version"].flatMap(Int.init) else {
                throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
            }
            let input = templateInput(form)
            switch input.validate() {
            case .failure(let f):
                return templateForm(views, context, input: input, errors: f.errors, action: action, version: version,
                                    title: "Edit template (saves version \(version + 1))", banner: nil, status: .unprocessableContent)
            case .success(let d):
                do {
                    _ = try await templates.update(id: id, clinicId: clinicId, expectedVersion: version, definition: d, by: context.auditActor)
                    return Response.redirect(to: PlanWorkflow.templateURL(id), type: .normal)
                } catch StoreError.versionConflict {
                    let history = try await templates.find(id: id, clinicId: clinicId)
                    return templateForm(views, context, input: ProtocolTemplateInput(history.current.definition), errors: [], action: action,
                                        version: history.current.version, title: "Edit template (saves version \(history.current.version + 1))",
                                        banner: staleMessage, status: .conflict)
                }
            }
        }

        // MARK: Plans

        routes.page("/patients/:id/plans/new", PlanWorkflow.planners, "New treatment plan from a template") { request, context in
            let patientId = try PatientPageRoutes.pageUUID(context)
            let clinicId = context.user!.clinicId
            let patient = try await services.patients.find(id: patientId, clinicId: clinicId, by: context.auditActor)
            let list = try await templates.list(clinicId: clinicId, by: context.auditActor)
            let chosen = request.uri.queryParameters.get("template").flatMap(UUID.init(uuidString:))
            guard let template = list.first(where: { $0.templateId == chosen }) ?? list.first else {
                throw AppError(.conflict, "No protocol templates", detail: "An admin must create a protocol template first.")
            }
            let inputs = try await PlanWorkflow.inputs(patientId: patientId, context: context, services: services)
            return planForm(views, context, patient: patient, template: template, templates: list,
                            input: PlanInput(PlanContent(defaultsOf: template.definition)), errors: [], inputs: inputs,
                            action: PatientView.url(patientId) + "/plans", version: nil, editing: nil, banner: nil, status: .ok)
        }

        routes.form("/patients/:id/plans", PlanWorkflow.planners, "Start a treatment plan (draft)") { _, context, form in
            let patientId = try PatientPageRoutes.pageUUID(context)
            let clinicId = context.user!.clinicId
            let patient = try await services.patients.find(id: patientId, clinicId: clinicId, by: context.auditActor)
            guard let templateId = form["template"].flatMap(UUID.init(uuidString:)) else {
                throw AppError.badRequest("Choose a protocol template.", field: "template")
            }
            let template = try await templates.find(id: templateId, clinicId: clinicId).current
            let input = planInput(form)
            switch input.validate(against: template.definition) {
            case .failure(let f):
                let list = try await templates.list(clinicId: clinicId, by: context.auditActor)
                let inputs = try await PlanWorkflow.inputs(patientId: patientId, context: context, services: services)
                return planForm(views, context, patient: patient, template: template, templates: list, input: input, errors: f.errors,
                                inputs: inputs, action: PatientView.url(patientId) + "/plans", version: nil, editing: nil, banner: nil,
                                status: .unprocessableContent)
            case .success(let content):
                let latest = try await services.assessments.list(patientId: patientId, clinicId: clinicId, by: context.auditActor).first
                let plan = try await plans.create(patientId: patientId, clinicId: clinicId, templateVersionId: template.id, content: content,
                                                  assessmentId: latest?.id, by: context.auditActor)
                return Response.redirect(to: PlanWorkflow.url(plan.id), type: .normal)
            }
        }

        routes.page("/plans/:id", .clinicalStaff, "Treatment plan with its version history") { _, context in
            try await planPage(try PatientPageRoutes.pageUUID(context), context: context, services: services, banner: nil, refusal: nil, status: .ok)
        }

        routes.page("/plans/:id/edit", PlanWorkflow.planners, "Edit a treatment plan") { _, context in
            let id = try PatientPageRoutes.pageUUID(context)
            let clinicId = context.user!.clinicId
            let plan = try await plans.find(id: id, clinicId: clinicId, by: context.auditActor)
            let patient = try await services.patients.find(id: plan.patientId, clinicId: clinicId, by: context.auditActor)
            let inputs = try await PlanWorkflow.inputs(patientId: plan.patientId, context: context, services: services)
            return planForm(views, context, patient: patient, template: plan.current.template, templates: [], input: PlanInput(plan.current.content),
                            errors: [], inputs: inputs, action: PlanWorkflow.url(id) + "/edit", version: plan.version, editing: plan,
                            banner: nil, status: .ok)
        }

        routes.form("/plans/:id/edit", PlanWorkflow.planners, "Save a treatment plan (a new version after approval)") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            let clinicId = context.user!.clinicId
            guard let version = form["version"].flatMap(Int.init) else {
                throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
            }
            let stored = try await plans.find(id: id, clinicId: clinicId, by: context.auditActor)
            let input = planInput(form)
            let latest = try await services.assessments.list(patientId: stored.patientId, clinicId: clinicId, by: context.auditActor).first
            do {
                _ = try await plans.save(id: id, clinicId: clinicId, expectedVersion: version, assessmentId: latest?.id, by: context.auditActor) { plan in
                    switch input.validate(against: plan.current.template.definition) {
                    case .success(let c): return c
                    case .failure(let f): throw f
                    }
                }
                return Response.redirect(to: PlanWorkflow.url(id), type: .normal)
            } catch let failure as ValidationFailure {
                let patient = try await services.patients.find(id: stored.patientId, clinicId: clinicId, by: context.auditActor)
                let inputs = try await PlanWorkflow.inputs(patientId: stored.patientId, context: context, services: services)
                return planForm(views, context, patient: patient, template: stored.current.template, templates: [], input: input,
                                errors: failure.errors, inputs: inputs, action: PlanWorkflow.url(id) + "/edit", version: version,
                                editing: stored, banner: nil, status: .unprocessableContent)
            } catch StoreError.versionConflict {
                let fresh = try await plans.find(id: id, clinicId: clinicId, by: context.auditActor)
                let patient = try await services.patients.find(id: fresh.patientId, clinicId: clinicId, by: context.auditActor)
                let inputs = try await PlanWorkflow.inputs(patientId: fresh.patientId, context: context, services: services)
                return planForm(views, context, patient: patient, template: fresh.current.template, templates: [],
                                input: PlanInput(fresh.current.content), errors: [], inputs: inputs, action: PlanWorkflow.url(id) + "/edit",
                                version: fresh.version, editing: fresh, banner: staleMessage, status: .conflict)
            }
        }

        routes.form("/plans/:id/approve", PlanWorkflow.planners, "Approve a treatment plan") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            guard let version = form["version"].flatMap(Int.init) else {
                throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
            }
            do {
                _ = try await PlanWorkflow.approve(planId: id, expectedVersion: version, context: context, services: services)
                return Response.redirect(to: PlanWorkflow.url(id), type: .normal)
            } catch StoreError.versionConflict {
                return try await planPage(id, context: context, services: services, banner: staleMessage, refusal: nil, status: .conflict)
            } catch let error as AppError where error.status == .conflict {
                let refusal = error.fields.isEmpty ? nil : error.fields.map { PlanApprovalIssue(field: $0.field, message: $0.message) }
                return try await planPage(id, context: context, services: services, banner: "\(error.title). \(error.detail ?? "")",
                                          refusal: refusal, status: .conflict)
            }
        }
    }

    static func planPage(_ id: UUID, context: AppContext, services: AppServices, banner: String?, refusal: [PlanApprovalIssue]?,
                         status: HTTPResponse.Status) async throws -> Response {
        let clinicId = context.user!.clinicId
        let plan = try await PlanWorkflow.plans(services).find(id: id, clinicId: clinicId, by: context.auditActor)
        let patient = try await services.patients.find(id: plan.patientId, clinicId: clinicId, by: context.auditActor)
        let inputs = try await PlanWorkflow.inputs(patientId: plan.patientId, context: context, services: services)
        let data = PlanView.planPage(plan, patient: patient, inputs: inputs, canPlan: PlanWorkflow.planners.allows(context.user!.role),
                                     banner: banner, refusal: refusal)
        return services.views.render("plan", title: "Treatment plan · \(patient.fullName)", section: "patients", data: ["plan": data],
                                     context: context, status: status)
    }

    static func templateInput(_ form: FormBody) -> ProtocolTemplateInput {
        var values: [String: String] = [:]
        for name in ProtocolTemplateInput.fieldNames { if let v = form[name] { values[name] = v } }
        values["isExample"] = form["isExample"] == nil ? "no" : "yes"
        return ProtocolTemplateInput(values, adjuncts: form.values["adjuncts"] ?? [])
    }

    static func planInput(_ form: FormBody) -> PlanInput {
        var values: [String: String] = [:]
        for name in PlanInput.fieldNames { if let v = form[name] { values[name] = v } }
        return PlanInput(values, adjuncts: form.values["adjuncts"] ?? [])
    }

    static func templateForm(_ views: Views, _ context: AppContext, input: ProtocolTemplateInput, errors: [FieldError], action: String,
                             version: Int?, title: String, banner: String?, status: HTTPResponse.Status) -> Response {
        views.render("protocol-template-form", title: title, section: "protocols",
                     data: ["form": PlanView.templateForm(input: input, errors: errors, action: action, version: version, title: title, banner: banner)],
                     context: context, status: status)
    }

    static func planForm(_ views: Views, _ context: AppContext, patient: Patient, template: ProtocolTemplateVersion,
                         templates: [ProtocolTemplateVersion], input: PlanInput, errors: [FieldError], inputs: PlanningInputs, action: String,
                         version: Int?, editing: TreatmentPlan?, banner: String?, status: HTTPResponse.Status) -> Response {
        views.render("plan-form", title: (editing == nil ? "New treatment plan" : "Edit treatment plan") + " · \(patient.fullName)",
                     section: "patients",
                     data: ["form": PlanView.planForm(patient: patient, template: template, templates: templates, input: input, errors: errors,
                                                      inputs: inputs, action: action, version: version, editing: editing, banner: banner)],
                     context: context, status: status)
    }
}

/// Protocol templates and treatment plans: the API and the pages. Added with one line in `ScarApp.build`.
enum PlanRoutes {
    static func add(to routes: Routes, services: AppServices) {
        PlanAPIRoutes.add(to: routes, services: services)
        PlanPageRoutes.add(to: routes, services: services)
    }
}
