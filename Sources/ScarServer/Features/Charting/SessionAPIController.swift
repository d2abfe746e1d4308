import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/patients/:id/sessions` and `/api/v1/sessions/:id…`: a patient's session charts,
/// drafts, the pre-session checklist, signing, amendments and the post-care sheet given.
struct SessionAPIController {
    let sessions: SessionRepository
    let postcare: PostCareRepository
    let database: ScarDatabase
    let limit: Int

    init(_ services: AppServices) {
        sessions = SessionRepository(services.database)
        postcare = PostCareRepository(services.database)
        database = services.database
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services), clinicians = AccessPolicy.clinicians
        routes.api(.get, "/api/v1/patients/:id/sessions", .clinicalStaff, "A patient's sessions, newest first", c.list)
        routes.api(.post, "/api/v1/patients/:id/sessions", clinicians, "Start a session chart (a draft)", c.start)
        routes.api(.get, "/api/v1/sessions/:id", .clinicalStaff, "Read a session with its amendments", c.read)
        routes.api(.put, "/api/v1/sessions/:id", clinicians, "Save a draft chart (If-Match required; 409 once signed)", c.save)
        routes.api(.post, "/api/v1/sessions/:id/checklist", clinicians, "Evaluate the pre-session checklist with today's answers", c.checklist)
        routes.api(.post, "/api/v1/sessions/:id/sign", clinicians, "Sign a draft (If-Match required): the checklist must pass; the chart becomes immutable",
                   c.sign)
        routes.api(.post, "/api/v1/sessions/:id/amendments", clinicians, "Amend a signed session (reason and corrected chart)", c.amend)
        routes.api(.get, "/api/v1/sessions/:id/post-care", .clinicalStaff, "The post-care sheet given with a session", c.postCare)
    }

    struct CreateInput: Decodable {
        var chart: SessionChart.Input?
        var appointmentId: String?
        var planVersionId: String?
    }

    struct SignInput: Decodable {
        var dayAnswers: DayAnswers?
    }

    struct AmendmentInput: Decodable {
        var reason: String?
        var chart: SessionChart.Input?
    }

    /// One page of the patient's sessions, newest first; the next page's URL is in the `Link` header.
    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let cursor = try paging.cursor.map(ChartingHTTP.sessionCursor)
        let page = try await ReadSessionList(database)(patientId: patientId, after: cursor, limit: paging.limit, by: context.clinician,
                                                       actor: context.auditActor, now: context.now)
        return try JSON.response(page.sessions.map(SessionJSON.init),
                                 headers: paging.headers(path: "/api/v1/patients/\(patientId.lower)/sessions", next: page.next?.text))
    }

    @Sendable func start(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let input = try await JSONRequest.decode(CreateInput.self, from: request, limit: limit)
        let appointmentId = try ChartingHTTP.optionalUUID(input.appointmentId, "appointmentId")
        let planVersionId = try ChartingHTTP.optionalUUID(input.planVersionId, "planVersionId")
        let s = try await StartSessionDraft(database)(.init(patientId: patientId, chart: input.chart ?? SessionChart.Input(), appointmentId: appointmentId,
                                                            planVersionId: planVersionId),
                                                      by: context.clinician, actor: context.auditActor, now: context.now)
        var headers = ChartingHTTP.etagHeaders(s.version)
        headers[.location] = "/api/v1/sessions/\(s.id.lower)"
        return try JSON.response(SessionJSON(s), status: .created, headers: headers)
    }

    @Sendable func read(_ request: Request, _ context: AppContext) async throws -> Response {
        let s = try await sessions.find(id: try context.apiUUID(), clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(SessionJSON(s), headers: ChartingHTTP.etagHeaders(s.version))
    }

    @Sendable func save(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let expected = try ChartingHTTP.ifMatch(request)
        let input = try await JSONRequest.decode(SessionChart.Input.self, from: request, limit: limit)
        let s = try await SaveSessionDraft(database)(sessionId: id, chart: input, expectedVersion: expected, by: context.clinician,
                                                     actor: context.auditActor, now: context.now)
        return try JSON.response(SessionJSON(s), headers: ChartingHTTP.etagHeaders(s.version))
    }

    @Sendable func checklist(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(SignInput.self, from: request, limit: limit)
        _ = try await sessions.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let checked = try await CheckSession(database)(sessionId: id, dayAnswers: input.dayAnswers, by: context.clinician)
        struct R: Encodable { var passed: Bool; var items: [PreSessionChecklist.Item] }
        return try JSON.response(R(passed: checked.result.passed, items: checked.result.items))
    }

    @Sendable func sign(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let expected = try ChartingHTTP.ifMatch(request)
        let input = try await JSONRequest.decode(SignInput.self, from: request, limit: limit)
        let signed = try await SignSession(database)(.init(sessionId: id, expectedVersion: expected, dayAnswers: input.dayAnswers),
                                                     by: context.clinician, actor: context.auditActor, now: context.now)
        return try JSON.response(SessionJSON(signed.session, completion: signed.completion), headers: ChartingHTTP.etagHeaders(signed.session.version))
    }

    @Sendable func amend(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(AmendmentInput.self, from: request, limit: limit)
        let s = try await AmendSession(database)(.init(sessionId: id, reason: input.reason, chart: input.chart), by: context.clinician,
                                                 actor: context.auditActor, now: context.now)
        return try JSON.response(SessionJSON(s), status: .created, headers: ChartingHTTP.etagHeaders(s.version))
    }

    @Sendable func postCare(_ request: Request, _ context: AppContext) async throws -> Response {
        let s = try await sessions.find(id: try context.apiUUID(), clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(try await postcare.recorded(s))
    }
}
