import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore

/// The portal's between-visit reports as JSON, for a client app: the day's check-in, a problem
/// report, and the questions before a session. The same use cases as the portal's pages; the
/// patient is always the portal session's. Photos go with the pages' multipart forms.
struct PortalBetweenVisitsAPIController {
    let services: AppServices
    var limit: Int { services.configuration.maxJSONBodyBytes }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.api(.post, "/api/v1/portal/check-ins", .patient, "Portal: today's check-in after the last session", c.checkIn)
        routes.api(.post, "/api/v1/portal/problem-reports", .patient, "Portal: report a problem (the clinic sees it on its day home)", c.report)
        routes.api(.post, "/api/v1/portal/appointments/:id/pre-session-answers", .patient,
                   "Portal: answer the questions before one of the patient's sessions", c.answer)
    }

    struct CheckInJSON: Encodable {
        struct Reason: Encodable { var code: String; var text: String; var source: String }
        var id: String
        var day: Int
        var beyondExpected: Bool
        var summary: String
        var reasons: [Reason]
    }

    @Sendable func checkIn(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(CheckInAnswers.Input.self, from: request, limit: limit)
        let r = try await AppError.fromRefusal {
            try await RecordCheckIn(services.database, photos: Self.noPhotos(services))(input, for: context.portalPatient, actor: context.portalActor, now: context.now)
        }
        return try JSON.response(CheckInJSON(id: r.checkInId.lower, day: r.day, beyondExpected: r.evaluation.beyondExpected,
                                             summary: r.evaluation.summary,
                                             reasons: r.evaluation.reasons.map { .init(code: $0.code, text: $0.text, source: $0.source) }),
                                 status: .created)
    }

    @Sendable func report(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(ProblemReport.Input.self, from: request, limit: limit)
        let r = try await AppError.fromRefusal {
            try await ReportProblem(services.database, photos: Self.noPhotos(services))(input, for: context.portalPatient, actor: context.portalActor, now: context.now)
        }
        struct Out: Encodable { var id: String }
        return try JSON.response(Out(id: r.reportId.lower), status: .created)
    }

    struct AnswersInput: Decodable { var answers: [String: String]? }

    struct AnswersJSON: Encodable {
        struct Finding: Encodable { var question: String; var answer: String; var outcome: String; var meaning: String; var source: String }
        var outcome: String
        var findings: [Finding]
    }

    @Sendable func answer(_ request: Request, _ context: AppContext) async throws -> Response {
        let appointmentId = try context.apiUUID()
        let input = try await JSONRequest.decode(AnswersInput.self, from: request, limit: limit)
        guard let answers = input.answers else { throw AppError.validation([FieldError("answers", "is required: question id → yes, no or not-sure")]) }
        let result = try await AppError.fromRefusal {
            try await AnswerPreSessionQuestions(services.database)(answers, appointmentId: appointmentId, for: context.portalPatient,
                                                                   actor: context.portalActor, now: context.now)
        }
        return try JSON.response(AnswersJSON(outcome: result.outcome.rawValue, findings: result.findings.map {
            .init(question: $0.question.id, answer: $0.answer.rawValue, outcome: $0.outcome.rawValue, meaning: $0.meaning, source: $0.source)
        }), status: .created)
    }

    /// JSON reports carry no photos; the intake still checks sizes the same way.
    static func noPhotos(_ services: AppServices) -> ReportedPhotoIntake {
        ReportedPhotoIntake(files: services.photoFiles, maxBytes: services.configuration.maxPhotoBytes)
    }
}
