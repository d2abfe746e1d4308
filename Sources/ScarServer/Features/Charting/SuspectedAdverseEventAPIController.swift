import Foundation
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/suspected-adverse-events…`: what patients reported beyond what is expected, for a
/// clinician to confirm as an adverse event (linked to the session, graded) or dismiss.
struct SuspectedAdverseEventAPIController {
    let database: ScarDatabase
    let limit: Int

    init(_ services: AppServices) {
        database = services.database
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        let clinicians = AccessPolicy.clinicians
        routes.api(.get, "/api/v1/suspected-adverse-events", clinicians, "Patients' reports waiting for a clinician (open only)", c.list)
        routes.api(.post, "/api/v1/suspected-adverse-events/:id/confirm", clinicians, "Confirm a suspected adverse event as an adverse event",
                   c.confirm)
        routes.api(.post, "/api/v1/suspected-adverse-events/:id/dismiss", clinicians, "Dismiss a suspected adverse event", c.dismiss)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let list = try await ReadPatientReports(database).openSuspected(by: context.clinician, actor: context.auditActor, now: context.now)
        return try JSON.response(["items": list.map(SuspectedAdverseEventJSON.init)])
    }

    @Sendable func confirm(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(AdverseEventDetails.Input.self, from: request, limit: limit)
        let r = try await AppError.fromRefusal {
            try await ConfirmSuspectedAdverseEvent(database)(id, details: input, by: context.clinician, actor: context.auditActor, now: context.now)
        }
        return try JSON.response(AdverseEventJSON(r), status: .created, headers: ChartingHTTP.etagHeaders(r.version))
    }

    struct DismissInput: Decodable {
        var reason: String?
    }

    @Sendable func dismiss(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(DismissInput.self, from: request, limit: limit)
        try await AppError.fromRefusal {
            try await DismissSuspectedAdverseEvent(database)(id, reason: input.reason, by: context.clinician, actor: context.auditActor, now: context.now)
        }
        return Response(status: .noContent)
    }
}

struct SuspectedAdverseEventJSON: Encodable {
    struct Reason: Encodable {
        var code: String
        var text: String
        var source: String
        var suggestedTerm: String?
    }

    var id: String
    var patientId: String
    var sessionId: String?
    var checkInDay: Int?
    var kind: String
    var reasons: [Reason]
    var suggestedTerm: String?
    var state: String
    var photoIds: [String]
    var createdAt: Date

    init(_ s: CheckInRepository.Suspected) {
        id = s.id.lower
        patientId = s.patientId.lower
        sessionId = s.sessionId?.lower
        checkInDay = s.day
        kind = s.source.rawValue
        reasons = s.reasons.map { Reason(code: $0.code, text: $0.text, source: $0.source, suggestedTerm: $0.suggestedTerm) }
        suggestedTerm = s.suggestedTerm
        state = s.state.rawValue
        photoIds = s.photoIds.map(\.lower)
        createdAt = s.createdAt
    }
}
