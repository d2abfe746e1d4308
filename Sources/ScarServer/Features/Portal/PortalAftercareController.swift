import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The portal between visits: `/portal/after-your-session` (what is normal day by day, and the
/// daily check-in with an optional photo), `/portal/report-a-problem`, and `/portal/questions`
/// (the questions before the next session). The patient is always the portal session's
/// (`context.portalPatient`); an id in a form is checked against it and answers as unknown otherwise.
struct PortalAftercareController {
    let services: AppServices
    var views: Views { services.views }
    var photos: ReportedPhotoIntake {
        ReportedPhotoIntake(files: services.photoFiles, maxBytes: services.configuration.maxPhotoBytes)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        let limit = ProblemReport.maxPhotos * services.configuration.maxPhotoBytes + PhotoUpload.bodyOverhead
        routes.page("/portal/after-your-session", .patient, "Portal: what is normal after a session, and today's check-in", c.aftercare)
        routes.upload("/portal/check-ins", .patient, "Portal: send today's check-in (optional photo)", limit: limit, c.checkIn)
        routes.page("/portal/report-a-problem", .patient, "Portal: report a problem form", c.reportForm)
        routes.upload("/portal/problem-reports", .patient, "Portal: report a problem with photos", limit: limit, c.report)
        routes.page("/portal/questions", .patient, "Portal: the questions before the next session", c.questions)
        routes.form("/portal/questions", .patient, "Portal: answer the questions before the next session", c.answer)
    }

    @Sendable func aftercare(_ request: Request, _ context: AppContext) async throws -> Response {
        let care = try await ReadAftercare(services.database)(for: context.portalPatient, actor: context.portalActor, now: context.now)
        let sent = request.uri.queryParameters.get("sent")
        return views.portal(.portalAftercare, title: "After your session",
                            page: PortalAftercareView.page(care, sent: sent, input: nil, errors: []), context: context)
    }

    @Sendable func checkIn(_ request: Request, _ context: AppContext, _ form: MultipartForm) async throws -> Response {
        let input = PortalForms.checkIn(form)
        do {
            let r = try await RecordCheckIn(services.database, photos: photos)(input, photos: PortalForms.photos(form), for: context.portalPatient,
                                                                              actor: context.portalActor, now: context.now)
            return Response.redirect(to: "/portal/after-your-session?sent=\(r.evaluation.beyondExpected ? "beyond" : "expected")#check-in",
                                     type: .normal)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            let care = try await ReadAftercare(services.database)(for: context.portalPatient, actor: context.portalActor, now: context.now)
            return views.portal(.portalAftercare, title: "After your session",
                                page: PortalAftercareView.page(care, sent: nil, input: input, errors: refusal.fields), context: context,
                                status: .unprocessableContent)
        } catch let refusal as Refusal {
            throw AppError(refusal)
        }
    }

    @Sendable func reportForm(_ request: Request, _ context: AppContext) async throws -> Response {
        views.portal(.portalReport, title: "Report a problem", page: PortalAftercareView.report(input: nil, errors: [], sent: request.uri.queryParameters.get("sent") != nil),
                     context: context)
    }

    @Sendable func report(_ request: Request, _ context: AppContext, _ form: MultipartForm) async throws -> Response {
        let input = ProblemReport.Input(description: form["description"], signs: PortalForms.all(form, "signs"))
        do {
            _ = try await ReportProblem(services.database, photos: photos)(input, photos: PortalForms.photos(form), for: context.portalPatient,
                                                                           actor: context.portalActor, now: context.now)
            return Response.redirect(to: "/portal/report-a-problem?sent=1", type: .normal)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return views.portal(.portalReport, title: "Report a problem", page: PortalAftercareView.report(input: input, errors: refusal.fields, sent: false),
                                context: context, status: .unprocessableContent)
        } catch let refusal as Refusal {
            throw AppError(refusal)
        }
    }

    @Sendable func questions(_ request: Request, _ context: AppContext) async throws -> Response {
        let care = try await ReadAftercare(services.database)(for: context.portalPatient, actor: context.portalActor, now: context.now)
        return views.portal(.portalQuestions, title: "Before your session",
                            page: PortalAftercareView.questions(care.questionsFor, answers: [:], errors: [], result: nil, zone: context.clinicZone),
                            context: context)
    }

    @Sendable func answer(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let raw = form["appointmentId"], let appointmentId = UUID(uuidString: raw) else {
            throw AppError.validation([FieldError("appointmentId", "is required: open the questions from your portal")])
        }
        var answers: [String: String] = [:]
        for q in PreSessionQuestionnaire.questions { if let a = Text.trimmed(form["answers.\(q.id)"]) { answers[q.id] = a } }
        let care = try await ReadAftercare(services.database)(for: context.portalPatient, actor: context.portalActor, now: context.now)
        do {
            let result = try await AnswerPreSessionQuestions(services.database)(answers, appointmentId: appointmentId, for: context.portalPatient,
                                                                                actor: context.portalActor, now: context.now)
            return views.portal(.portalQuestions, title: "Before your session",
                                page: PortalAftercareView.questions(care.questionsFor, answers: answers, errors: [], result: result, zone: context.clinicZone),
                                context: context)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return views.portal(.portalQuestions, title: "Before your session",
                                page: PortalAftercareView.questions(care.questionsFor, answers: answers, errors: refusal.fields, result: nil,
                                                                    zone: context.clinicZone),
                                context: context, status: .unprocessableContent)
        } catch let refusal as Refusal {
            throw AppError(refusal)
        }
    }
}

/// Reading the portal's multipart forms: repeated fields (warning signs) and the photo parts.
enum PortalForms {
    static func all(_ form: MultipartForm, _ name: String) -> [String] {
        form.parts.filter { $0.name == name && $0.filename == nil }.compactMap { String(validating: $0.body, as: UTF8.self) }
    }

    /// The photo parts the patient chose (an empty file input sends an empty part: not a photo).
    static func photos(_ form: MultipartForm) -> [[UInt8]] {
        form.parts.filter { $0.name == "photos" && $0.filename != nil && !$0.body.isEmpty }.map(\.body)
    }

    static func checkIn(_ form: MultipartForm) -> CheckInAnswers.Input {
        CheckInAnswers.Input(redness: form["redness"], swelling: form["swelling"], pain: form["pain"], signs: all(form, "signs"),
                             unexpected: form["unexpected"], note: form["note"])
    }
}
