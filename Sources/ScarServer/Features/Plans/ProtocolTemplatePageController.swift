import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The protocol-template pages: list and detail for clinical staff, create and edit (a new
/// version each time) for admins. Forms work without JavaScript; errors re-show the form.
struct ProtocolTemplatePageController {
    let services: AppServices
    var templates: ProtocolTemplateRepository { PlanWorkflow.templates(services) }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/protocol-templates", .clinicalStaff, "Protocol templates", c.list)
        routes.page("/protocol-templates/new", .adminOnly, "New protocol template form", c.newForm)
        routes.form("/protocol-templates", .adminOnly, "Create a protocol template", c.create)
        routes.page("/protocol-templates/:id", .clinicalStaff, "Protocol template with its versions", c.detail)
        routes.page("/protocol-templates/:id/edit", .adminOnly, "Edit a protocol template", c.editForm)
        routes.form("/protocol-templates/:id/edit", .adminOnly, "Save a protocol template as a new version", c.save)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let list = try await templates.list(clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let page = ProtocolTemplatesPage(templates: list.map(PlanView.templateRow), canEdit: context.signedInUser.role == .admin)
        return services.views.render(.protocolTemplates, title: "Protocol templates", section: "protocols", page: page, context: context)
    }

    @Sendable func newForm(_ request: Request, _ context: AppContext) async throws -> Response {
        var input = ProtocolTemplateInput(["modality": Modality.microneedling.rawValue, "deviceType": MechanicalDeviceType.pen.rawValue])
        input["isExample"] = "no"
        return templateForm(context, input: input, errors: [], action: "/protocol-templates", version: nil, title: "New protocol template",
                            banner: nil, status: .ok)
    }

    @Sendable func create(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let input = Self.templateInput(form)
        switch input.validate() {
        case .failure(let f):
            return templateForm(context, input: input, errors: f.errors, action: "/protocol-templates", version: nil,
                                title: "New protocol template", banner: nil, status: .unprocessableContent)
        case .success(let d):
            let saved = try await templates.create(d, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            return Response.redirect(to: PlanWorkflow.templateURL(saved.templateId), type: .normal)
        }
    }

    @Sendable func detail(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let history = try await templates.find(id: id, clinicId: context.signedInUser.clinicId)
        let page = ProtocolTemplatePage(
            template: PlanView.templateDetail(history.current), canEdit: context.signedInUser.role == .admin,
            editURL: PlanWorkflow.templateURL(id) + "/edit",
            versions: history.versions.map { v in
                .init(version: v.version, name: v.definition.name, createdBy: v.createdBy, createdAt: ViewDates.timestamp(v.createdAt),
                      isCurrent: v.id == history.current.id, sessions: "\(v.definition.sessionsDefault) (\(v.definition.sessionsMin)–\(v.definition.sessionsMax))",
                      interval: PlanView.intervalText(v.definition.intervalDaysDefault))
            })
        return services.views.render(.protocolTemplate, title: history.current.definition.name, section: "protocols", page: page, context: context)
    }

    @Sendable func editForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let history = try await templates.find(id: id, clinicId: context.signedInUser.clinicId)
        return templateForm(context, input: ProtocolTemplateInput(history.current.definition), errors: [],
                            action: PlanWorkflow.templateURL(id) + "/edit", version: history.current.version,
                            title: "Edit template (saves version \(history.current.version + 1))", banner: nil, status: .ok)
    }

    @Sendable func save(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let clinicId = context.signedInUser.clinicId
        let action = PlanWorkflow.templateURL(id) + "/edit"
        guard let version = form["version"].flatMap(Int.init) else {
            throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
        }
        let input = Self.templateInput(form)
        switch input.validate() {
        case .failure(let f):
            return templateForm(context, input: input, errors: f.errors, action: action, version: version,
                                title: "Edit template (saves version \(version + 1))", banner: nil, status: .unprocessableContent)
        case .success(let d):
            do {
                _ = try await templates.update(id: id, clinicId: clinicId, expectedVersion: version, definition: d, by: context.auditActor)
                return Response.redirect(to: PlanWorkflow.templateURL(id), type: .normal)
            } catch StoreError.versionConflict {
                let history = try await templates.find(id: id, clinicId: clinicId)
                return templateForm(context, input: ProtocolTemplateInput(history.current.definition), errors: [], action: action,
                                    version: history.current.version, title: "Edit template (saves version \(history.current.version + 1))",
                                    banner: FormMessages.stale, status: .conflict)
            }
        }
    }

    static func templateInput(_ form: FormBody) -> ProtocolTemplateInput {
        var values: [String: String] = [:]
        for name in ProtocolTemplateInput.fieldNames { if let v = form[name] { values[name] = v } }
        values["isExample"] = form["isExample"] == nil ? "no" : "yes"
        return ProtocolTemplateInput(values, adjuncts: form.values["adjuncts"] ?? [])
    }

    func templateForm(_ context: AppContext, input: ProtocolTemplateInput, errors: [FieldError], action: String, version: Int?,
                      title: String, banner: String?, status: HTTPResponse.Status) -> Response {
        services.views.render(.protocolTemplateForm, title: title, section: "protocols",
                              page: PlanView.templateForm(input: input, errors: errors, action: action, version: version, title: title, banner: banner),
                              context: context, status: status)
    }
}
