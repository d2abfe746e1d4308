import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/patients/:id/plans`, `/api/v1/plans/:id` (+ approve).
struct PlanAPIController {
    let services: AppServices
    var plans: PlanRepository { PlanWorkflow.plans(services) }
    var limit: Int { services.configuration.maxJSONBodyBytes }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.api(.post, "/api/v1/patients/:id/plans", AccessPolicy.clinicians, "Start a treatment plan from a protocol template (a draft)", c.start)
        routes.api(.get, "/api/v1/patients/:id/plans", .clinicalStaff, "A patient's treatment plans, newest first", c.list)
        routes.api(.get, "/api/v1/plans/:id", .clinicalStaff,
                   "One treatment plan: every version, hints from the scar profile, and whether it can be approved", c.read)
        routes.api(.patch, "/api/v1/plans/:id", AccessPolicy.clinicians,
                   "Change a plan (merge patch, If-Match required); after approval this creates a new version", c.change)
        routes.api(.post, "/api/v1/plans/:id/approve", AccessPolicy.clinicians,
                   "Approve the plan's draft version (If-Match required; refused while screening does not allow it)", c.approve)
    }

    @Sendable func start(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let (fields, readErrors) = try Self.read(try await JSONBody.data(request, limit: limit), creating: true)
        guard let raw = fields.templateId else { throw PlanWorkflow.validationError(readErrors + [FieldError("templateId", "is required")], nil) }
        guard let templateId = UUID(uuidString: raw) else {
            throw PlanWorkflow.validationError(readErrors + [FieldError("templateId", "must be a template id (UUID)")], nil)
        }
        let plan: TreatmentPlan
        do {
            plan = try await StartPlan(services.database)(patientId: patientId, templateId: templateId, by: context.clinician,
                                                          actor: context.auditActor, now: context.now) { template in
                var base = PlanInput(PlanContent(defaultsOf: template.definition))
                base.values = fields.merged(into: base.values).compactMapValues { $0 }
                if let adjuncts = fields.adjuncts { base.adjuncts = adjuncts }
                return try Self.checked(base, against: template, readErrors: readErrors)
            }
        } catch let refusal as Refusal where refusal.kind == .invalid {
            throw PlanWorkflow.validationError(readErrors + refusal.fields, nil)
        }
        var headers = PlanWorkflow.headers(plan)
        headers[.location] = "/api/v1/plans/\(plan.id.lower)"
        return try JSON.response(PlanJSON(plan), status: .created, headers: headers)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let page = try await plans.list(patientId: patientId, clinicId: context.signedInUser.clinicId, after: try paging.cursor(of: .plans),
                                        limit: paging.limit, by: context.auditActor)
        struct List: Encodable { var items: [PlanJSON] }
        return try JSON.response(List(items: page.items.map { PlanJSON($0) }),
                                 headers: paging.headers(path: "/api/v1/patients/\(patientId.lower)/plans", next: page.next?.text))
    }

    @Sendable func read(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let plan = try await plans.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let inputs = try await PlanWorkflow.inputs(patientId: plan.patientId, context: context, services: services)
        let check = plan.current.status == .draft ? inputs.check(plan.current) : nil
        return try JSON.response(PlanJSON(plan, hints: inputs.hints, check: check), headers: PlanWorkflow.headers(plan))
    }

    @Sendable func change(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
        let (fields, readErrors) = try Self.read(try await JSONBody.data(request, limit: limit), creating: false)
        let plan = try await EditPlan(services.database)(planId: id, expectedVersion: expected, by: context.clinician,
                                                         actor: context.auditActor, now: context.now) { plan in
            var input = PlanInput(plan.current.content)
            input.values = fields.merged(into: input.values).compactMapValues { $0 }
            if let adjuncts = fields.adjuncts { input.adjuncts = adjuncts }
            return try Self.checked(input, against: plan.current.template, readErrors: readErrors)
        }
        return try JSON.response(PlanJSON(plan), headers: PlanWorkflow.headers(plan))
    }

    @Sendable func approve(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
        let plan = try await PlanWorkflow.approve(planId: id, expectedVersion: expected, context: context, services: services)
        return try JSON.response(PlanJSON(plan), headers: PlanWorkflow.headers(plan))
    }

    static func read(_ data: Data, creating: Bool) throws -> (PlanningJSON.Fields, [FieldError]) {
        switch PlanningJSON.readPlan(data, creating: creating) {
        case .unreadable(let why): throw AppError.badRequest("The body is not a valid JSON object: \(why)")
        case .read(let f, let e): return (f, e)
        }
    }

    /// The input checked against the template; read errors and rule errors are reported together.
    static func checked(_ input: PlanInput, against template: ProtocolTemplateVersion, readErrors: [FieldError]) throws -> PlanContent {
        switch input.validate(against: template.definition) {
        case .success(let c) where readErrors.isEmpty: return c
        case .success: throw PlanWorkflow.validationError(readErrors, nil)
        case .failure(let f): throw PlanWorkflow.validationError(readErrors, f)
        }
    }
}
