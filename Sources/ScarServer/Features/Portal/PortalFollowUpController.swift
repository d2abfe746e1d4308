import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The portal at the follow-ups: the outcome questions the clinic asks at a follow-up visit
/// (`/portal/follow-up`, and as JSON for an app) and the patient's photos side by side
/// (`/portal/photos`, when the clinic shows them). The patient is the portal session's only;
/// another patient's visit or photo answers as an unknown one.
struct PortalFollowUpController {
    let services: AppServices
    var views: Views { services.views }
    var read: ReadFollowUpQuestions { ReadFollowUpQuestions(services.database) }
    var record: RecordReportedOutcome { RecordReportedOutcome(services.database) }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/portal/follow-up", .patient, "Portal: the outcome questions at a follow-up visit", c.questions)
        routes.form("/portal/follow-up", .patient, "Portal: answer the outcome questions at a follow-up visit", c.answer)
        routes.page("/portal/photos", .patient, "Portal: the patient's photos side by side, when the clinic shows them", c.photos)
        routes.page("/portal/photos/:id/image", .patient, "Portal: one of the patient's own photos", c.image)
        routes.api(.get, "/api/v1/portal/follow-up-questions", .patient,
                   "Portal: the clinic's outcome questions and the follow-up visits they are open for", c.questionsJSON)
        routes.api(.post, "/api/v1/portal/appointments/:id/outcome-answers", .patient,
                   "Portal: answer the outcome questions for one of the patient's follow-up visits", c.answerJSON)
    }

    @Sendable func questions(_ request: Request, _ context: AppContext) async throws -> Response {
        let view = try await read(for: context.portalPatient, actor: context.portalActor, now: context.now)
        let sent = request.uri.queryParameters.get("sent") != nil
        return views.portal(.portalFollowUp, title: "Your follow-up questions",
                            page: FollowUpPage(view, answers: [:], errors: [], sent: sent, zone: context.clinicZone), context: context)
    }

    @Sendable func answer(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let raw = form["appointmentId"], let visit = UUID(uuidString: raw) else {
            throw AppError.validation([FieldError("appointmentId", "is required: open the questions from your portal")])
        }
        let view = try await read(for: context.portalPatient, actor: context.portalActor, now: context.now)
        var answers: [String: String] = [:]
        for item in view.setup.items { if let a = Text.trimmed(form["answers.\(item.id)"]) { answers[item.id] = a } }
        do {
            _ = try await record(answers: answers, followUpId: visit, for: context.portalPatient, actor: context.portalActor, now: context.now)
            return Response.redirect(to: "/portal/follow-up?sent=1", type: .normal)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return views.portal(.portalFollowUp, title: "Your follow-up questions",
                                page: FollowUpPage(view, answers: answers, errors: refusal.fields, sent: false, zone: context.clinicZone),
                                context: context, status: .unprocessableContent)
        } catch let refusal as Refusal {
            throw AppError(refusal)
        }
    }

    @Sendable func photos(_ request: Request, _ context: AppContext) async throws -> Response {
        let pairs = try await ReadPortalPhotos(services.database)(for: context.portalPatient, actor: context.portalActor, now: context.now)
        return views.portal(.portalPhotos, title: "Your photos", page: PortalPhotosPage(pairs), context: context)
    }

    @Sendable func image(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let photo = try await ReadPortalPhotos(services.database).photo(id: id, for: context.portalPatient, actor: context.portalActor, now: context.now)
        let bytes = try await services.photoFiles.read(sha256: photo.sha256, type: photo.mediaType)
        return ImageResponse.make(bytes, type: photo.mediaType)
    }

    @Sendable func questionsJSON(_ request: Request, _ context: AppContext) async throws -> Response {
        try JSON.response(FollowUpQuestionsJSON(try await read(for: context.portalPatient, actor: context.portalActor, now: context.now)))
    }

    struct AnswersInput: Decodable { var answers: [String: String]? }

    @Sendable func answerJSON(_ request: Request, _ context: AppContext) async throws -> Response {
        let visit = try context.apiUUID()
        let input = try await JSONRequest.decode(AnswersInput.self, from: request, limit: services.configuration.maxJSONBodyBytes)
        guard let answers = input.answers else { throw AppError.validation([FieldError("answers", "is required: item id → answer")]) }
        let recorded = try await AppError.fromRefusal {
            try await record(answers: answers, followUpId: visit, for: context.portalPatient, actor: context.portalActor, now: context.now)
        }
        return try JSON.response(PortalOutcomeJSON(recorded), status: .created)
    }
}
