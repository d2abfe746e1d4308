import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/patients/:id/adverse-events` and `/api/v1/adverse-events…`: recording adverse
/// events and following them up.
struct AdverseEventAPIController {
    let adverseEvents: AdverseEventRepository
    let database: ScarDatabase
    let limit: Int

    init(_ services: AppServices) {
        adverseEvents = AdverseEventRepository(services.database)
        database = services.database
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/patients/:id/adverse-events", .clinicalStaff, "A patient's adverse events", c.listForPatient)
        routes.api(.post, "/api/v1/patients/:id/adverse-events", .clinicalStaff, "Record an adverse event", c.record)
        routes.api(.get, "/api/v1/adverse-events", .clinicalStaff, "The clinic's adverse events (open only with ?open=true)", c.list)
        routes.api(.patch, "/api/v1/adverse-events/:id", .clinicalStaff, "Update an adverse event's grade, outcome or resolution (If-Match required)",
                   c.update)
    }

    @Sendable func listForPatient(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let page = try await adverseEvents.list(patientId: patientId, clinicId: context.signedInUser.clinicId,
                                                after: try paging.cursor(of: .adverseEvents), limit: paging.limit, by: context.auditActor)
        return try JSON.response(page.items.map(AdverseEventJSON.init),
                                 headers: paging.headers(path: "/api/v1/patients/\(patientId.lower)/adverse-events", next: page.next?.text))
    }

    @Sendable func record(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let input = try await JSONRequest.decode(AdverseEventDetails.Input.self, from: request, limit: limit)
        let r = try await Self.record(input, patientId: patientId, context: context, database: database)
        return try JSON.response(AdverseEventJSON(r), status: .created, headers: ChartingHTTP.etagHeaders(r.version))
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let open = try QueryValues.oneOf(request.uri.queryParameters.get("open"), "open", ["true", "false"]) == "true"
        let paging = try ListPaging.read(request)
        let page = try await adverseEvents.list(openOnly: open, clinicId: context.signedInUser.clinicId,
                                                after: try paging.cursor(of: .clinicAdverseEvents), limit: paging.limit, by: context.auditActor)
        return try JSON.response(page.items.map(AdverseEventJSON.init),
                                 headers: paging.headers(path: "/api/v1/adverse-events", next: page.next?.text,
                                                         filters: open ? [URLQueryItem(name: "open", value: "true")] : []))
    }

    @Sendable func update(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let expected = try ChartingHTTP.ifMatch(request)
        let patch = try await JSONRequest.decode(AdverseEventDetails.Input.self, from: request, limit: limit)
        let change = UpdateAdverseEvent.Change(grade: patch.grade, serious: patch.serious, relatedness: patch.relatedness,
                                               actionTaken: patch.actionTaken, outcome: patch.outcome, resolvedOn: patch.resolvedOn, notes: patch.notes,
                                               sessionId: patch.sessionId)
        let r = try await UpdateAdverseEvent(database)(id: id, expectedVersion: expected, change: change, by: context.clinician,
                                                       actor: context.auditActor, now: context.now)
        return try JSON.response(AdverseEventJSON(r), headers: ChartingHTTP.etagHeaders(r.version))
    }

    /// `RecordAdverseEvent`, as the API and the adverse-event form both call it.
    static func record(_ input: AdverseEventDetails.Input, patientId: UUID, context: AppContext,
                       database: ScarDatabase) async throws -> AdverseEventRepository.Record {
        try await AppError.fromRefusal {
            try await RecordAdverseEvent(database)(input, patientId: patientId, by: context.clinician, actor: context.auditActor, now: context.now)
        }
    }
}
