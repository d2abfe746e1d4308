import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/api/v1/protocol-templates`: the clinic's protocol templates; a change is saved as a new version.
struct ProtocolTemplateAPIController {
    let templates: ProtocolTemplateRepository
    let limit: Int

    init(_ services: AppServices) {
        templates = PlanWorkflow.templates(services)
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/protocol-templates", .clinicalStaff, "The clinic's protocol templates (current versions)", c.list)
        routes.api(.post, "/api/v1/protocol-templates", .adminOnly, "Create a protocol template", c.create)
        routes.api(.get, "/api/v1/protocol-templates/:id", .clinicalStaff, "One protocol template with its version history", c.read)
        routes.api(.put, "/api/v1/protocol-templates/:id", .adminOnly,
                   "Change a protocol template: saved as a new version (If-Match required)", c.update)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let list = try await templates.list(clinicId: context.signedInUser.clinicId, by: context.auditActor)
        struct List: Encodable { var items: [TemplateJSON] }
        return try JSON.response(List(items: list.map(TemplateJSON.init)))
    }

    @Sendable func create(_ request: Request, _ context: AppContext) async throws -> Response {
        let definition = try await Self.readTemplate(request, limit: limit)
        let saved = try await templates.create(definition, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        var headers = HTTPFields()
        headers[.location] = "/api/v1/protocol-templates/\(saved.templateId.lower)"
        headers[.eTag] = ETag.make(saved.version)
        return try JSON.response(TemplateDetailJSON(current: saved, versions: [saved]), status: .created, headers: headers)
    }

    @Sendable func read(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        return try await detail(id, context: context)
    }

    @Sendable func update(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
        let definition = try await Self.readTemplate(request, limit: limit)
        _ = try await templates.update(id: id, clinicId: context.signedInUser.clinicId, expectedVersion: expected, definition: definition,
                                       by: context.auditActor)
        return try await detail(id, context: context)
    }

    func detail(_ id: UUID, context: AppContext) async throws -> Response {
        let history = try await templates.find(id: id, clinicId: context.signedInUser.clinicId)
        var headers = HTTPFields()
        headers[.eTag] = ETag.make(history.current.version)
        return try JSON.response(TemplateDetailJSON(current: history.current, versions: history.versions), headers: headers)
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
