import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/api/v1/protocol-templates`, `/api/v1/patients/:id/plans`, `/api/v1/plans/:id` (+ approve).
enum PlanAPIRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let templates = PlanWorkflow.templates(services)
        let plans = PlanWorkflow.plans(services)
        let limit = services.configuration.maxJSONBodyBytes

        // MARK: Protocol templates

        routes.api(.get, "/api/v1/protocol-templates", .clinicalStaff, "The clinic's protocol templates (current versions)") { _, context in
            let list = try await templates.list(clinicId: context.user!.clinicId, by: context.auditActor)
            struct List: Encodable { var items: [TemplateJSON] }
            return try JSON.response(List(items: list.map(TemplateJSON.init)))
        }

        routes.api(.post, "/api/v1/protocol-templates", .adminOnly, "Create a protocol template") { request, context in
            let definition = try await readTemplate(request, limit: limit)
            let saved = try await templates.create(definition, clinicId: context.user!.clinicId, by: context.auditActor)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/protocol-templates/\(saved.templateId.lower)"
            headers[.eTag] = ETag.make(saved.version)
            return try JSON.response(TemplateDetailJSON(current: saved, versions: [saved]), status: .created, headers: headers)
        }

        routes.api(.get, "/api/v1/protocol-templates/:id", .clinicalStaff, "One protocol template with its version history") { _, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let history = try await templates.find(id: id, clinicId: context.user!.clinicId)
            var headers = HTTPFields()
            headers[.eTag] = ETag.make(history.current.version)
            return try JSON.response(TemplateDetailJSON(current: history.current, versions: history.versions), headers: headers)
        }

        routes.api(.put, "/api/v1/protocol-templates/:id", .adminOnly,
                   "Change a protocol template: saved as a new version (If-Match required)") { request, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
            let definition = try await readTemplate(request, limit: limit)
            let clinicId = context.user!.clinicId
            _ = try await templates.update(id: id, clinicId: clinicId, expectedVersion: expected, definition: definition, by: context.auditActor)
            let history = try await templates.find(id: id, clinicId: clinicId)
            var headers = HTTPFields()
            headers[.eTag] = ETag.make(history.current.version)
            return try JSON.response(TemplateDetailJSON(current: history.current, versions: history.versions), headers: headers)
        }

        // MARK: Plans

        routes.api(.post, "/api/v1/patients/:id/plans", PlanWorkflow.planners,
                   "Start a treatment plan from a protocol template (a draft)") { request, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let clinicId = context.user!.clinicId
            let data = try await JSONBody.data(request, limit: limit)
            let fields: PlanningJSON.Fields
            let readErrors: [FieldError]
            switch PlanningJSON.readPlan(data, creating: true) {
            case .unreadable(let why): throw AppError.badRequest("The body is not a valid JSON object: \(why)")
            case .read(let f, let e): (fields, readErrors) = (f, e)
            }
            guard let raw = fields.templateId else { throw PlanWorkflow.validationError(readErrors + [FieldError("templateId", "is required")], nil) }
            guard let templateId = UUID(uuidString: raw) else {
                throw PlanWorkflow.validationError(readErrors + [FieldError("templateId", "must be a template id (UUID)")], nil)
            }
            // The patient first: another clinic's patient is simply not found.
            _ = try await services.patients.find(id: patientId, clinicId: clinicId, by: context.auditActor)
            let template: ProtocolTemplateVersion
            do {
                template = try await templates.find(id: templateId, clinicId: clinicId).current
            } catch StoreError.notFound {
                throw PlanWorkflow.validationError(readErrors + [FieldError("templateId", "is not one of the clinic's templates")], nil)
            }
            var base = PlanInput(PlanContent(defaultsOf: template.definition))
            base.values = fields.merged(into: base.values).compactMapValues { $0 }
            if let adjuncts = fields.adjuncts { base.adjuncts = adjuncts }
            let content: PlanContent
            switch base.validate(against: template.definition) {
            case .success(let c) where readErrors.isEmpty: content = c
            case .success: throw PlanWorkflow.validationError(readErrors, nil)
            case .failure(let f): throw PlanWorkflow.validationError(readErrors, f)
            }
            let latest = try await services.assessments.list(patientId: patientId, clinicId: clinicId, by: context.auditActor).first
            let plan = try await plans.create(patientId: patientId, clinicId: clinicId, templateVersionId: template.id, content: content,
                                              assessmentId: latest?.id, by: context.auditActor)
            var headers = PlanWorkflow.headers(plan)
            headers[.location] = "/api/v1/plans/\(plan.id.lower)"
            return try JSON.response(PlanJSON(plan), status: .created, headers: headers)
        }

        routes.api(.get, "/api/v1/patients/:id/plans", .clinicalStaff, "A patient's treatment plans, newest first") { _, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let list = try await plans.list(patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            struct List: Encodable { var items: [PlanJSON] }
            return try JSON.response(List(items: list.map { PlanJSON($0) }))
        }

        routes.api(.get, "/api/v1/plans/:id", .clinicalStaff,
                   "One treatment plan: every version, hints from the scar profile, and whether it can be approved") { _, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let plan = try await plans.find(id: id, clinicId: context.user!.clinicId, by: context.auditActor)
            let inputs = try await PlanWorkflow.inputs(patientId: plan.patientId, context: context, services: services)
            let check = plan.current.status == .draft ? inputs.check(plan.current) : nil
            return try JSON.response(PlanJSON(plan, hints: inputs.hints, check: check), headers: PlanWorkflow.headers(plan))
        }

        routes.api(.patch, "/api/v1/plans/:id", PlanWorkflow.planners,
                   "Change a plan (merge patch, If-Match required); after approval this creates a new version") { request, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
            let clinicId = context.user!.clinicId
            let data = try await JSONBody.data(request, limit: limit)
            let fields: PlanningJSON.Fields
            let readErrors: [FieldError]
            switch PlanningJSON.readPlan(data, creating: false) {
            case .unreadable(let why): throw AppError.badRequest("The body is not a valid JSON object: \(why)")
            case .read(let f, let e): (fields, readErrors) = (f, e)
            }
            let stored = try await plans.find(id: id, clinicId: clinicId, by: context.auditActor)
            let latest = try await services.assessments.list(patientId: stored.patientId, clinicId: clinicId, by: context.auditActor).first
            let plan = try await plans.save(id: id, clinicId: clinicId, expectedVersion: expected, assessmentId: latest?.id,
                                            by: context.auditActor) { plan in
                var input = PlanInput(plan.current.content)
                input.values = fields.merged(into: input.values).compactMapValues { $0 }
                if let adjuncts = fields.adjuncts { input.adjuncts = adjuncts }
                switch input.validate(against: plan.current.template.definition) {
                case .success(let c) where readErrors.isEmpty: return c
                case .success: throw PlanWorkflow.validationError(readErrors, nil)
                case .failure(let f): throw PlanWorkflow.validationError(readErrors, f)
                }
            }
            return try JSON.response(PlanJSON(plan), headers: PlanWorkflow.headers(plan))
        }

        routes.api(.post, "/api/v1/plans/:id/approve", PlanWorkflow.planners,
                   "Approve the plan's draft version (If-Match required; refused while screening does not allow it)") { request, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
            let plan = try await PlanWorkflow.approve(planId: id, expectedVersion: expected, context: context, services: services)
            return try JSON.response(PlanJSON(plan), headers: PlanWorkflow.headers(plan))
        }
    }

    static func readTemplate(_ request: Request, limit: Int) async throws -> ProtocolTemplateDefinition {
        let data = try await JSONBody.data(request, limit: limit)
        switch PlanningJSON.readTemplate(data) {
        case .unreadable(let why):
            throw AppError.badRequest("The body is not a valid JSON object: \(why)")
        case .read(let fields, let readErrors):
            let input = ProtocolTemplateInput(fields.values.compactMapValues { $0 }, adjuncts: fields.adjuncts ?? [])
            switch input.validate() {
            case .success(let d) where readErrors.isEmpty: return d
            case .success: throw PlanWorkflow.validationError(readErrors, nil)
            case .failure(let f): throw PlanWorkflow.validationError(readErrors, f)
            }
        }
    }
}
