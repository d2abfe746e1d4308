import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarClinic
import ScarCore
import ScarStore

/// `/suspected-adverse-events/:id…`: what a patient reported (a check-in beyond what is expected,
/// a problem report), confirmed as an adverse event (the adverse-event form, linked to the
/// session) or dismissed by a clinician; and `/reported-photos/:id/image`, the photos they sent.
struct SuspectedAdverseEventPageController {
    let database: ScarDatabase
    let services: AppServices
    let adverseEventForm: AdverseEventPageController

    init(_ services: AppServices) {
        database = services.database
        self.services = services
        adverseEventForm = AdverseEventPageController(services)
    }


    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/suspected-adverse-events/:id", .clinicians, "A patient's report: confirm as an adverse event or dismiss", c.show)
        routes.form("/suspected-adverse-events/:id/confirm", .clinicians, "Confirm a suspected adverse event", c.confirm)
        routes.form("/suspected-adverse-events/:id/dismiss", .clinicians, "Dismiss a suspected adverse event", c.dismiss)
        routes.page("/reported-photos/:id/image", .clinicalStaff, "A photo a patient sent with a check-in or report", c.photo)
    }

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        let s = try await ReadPatientReports(database).suspected(try context.pageUUID(), by: context.clinician, actor: context.auditActor, now: context.now)
        let input = AdverseEventDetails.Input(term: s.suggestedTerm, sessionId: s.sessionId?.lower)
        return try await page(s, input: input, errors: [], context: context)
    }

    @Sendable func confirm(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let (input, errors) = AdverseEventPageController.input(form)
        do {
            if !errors.isEmpty { throw AppError.validation(errors) }
            _ = try await AppError.fromRefusal {
                try await ConfirmSuspectedAdverseEvent(database)(id, details: input, by: context.clinician, actor: context.auditActor, now: context.now)
            }
            return Response.redirect(to: "/#patient-reports", type: .normal)
        } catch let e as AppError where e.status == .unprocessableContent {
            let s = try await ReadPatientReports(database).suspected(id, by: context.clinician, actor: context.auditActor, now: context.now)
            return try await page(s, input: input, errors: e.fields, context: context, status: .unprocessableContent)
        }
    }

    @Sendable func dismiss(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        try await AppError.fromRefusal {
            try await DismissSuspectedAdverseEvent(database)(id, reason: form["reason"], by: context.clinician, actor: context.auditActor, now: context.now)
        }
        return Response.redirect(to: "/#patient-reports", type: .normal)
    }

    @Sendable func photo(_ request: Request, _ context: AppContext) async throws -> Response {
        let file = try await ReadPatientReports(database).photo(try context.pageUUID(), clinicId: context.signedInUser.clinicId,
                                                                actor: context.auditActor, now: context.now)
        let bytes = try await services.photoFiles.read(sha256: file.sha256, type: file.mediaType)
        var headers = HTTPFields()
        headers[.contentType] = file.mediaType.rawValue
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "inline"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func page(_ s: CheckInRepository.Suspected, input: AdverseEventDetails.Input, errors: [FieldError], context: AppContext,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let report = AdverseEventFormPage.Suspected(
            title: s.day.map { "Day \($0) check-in" } ?? "Problem report",
            reported: ViewDates.format(s.createdAt, context.clinicZone, "EEE d MMM HH:mm"),
            reasons: s.reasons.map { .init(text: $0.text, source: $0.source) },
            photos: s.photoIds.map { .init(url: "/reported-photos/\($0.lower)/image") },
            open: s.state == .open, state: s.state == .confirmed ? "Confirmed as an adverse event" : "Dismissed",
            dismissURL: "/suspected-adverse-events/\(s.id.lower)/dismiss")
        return try await adverseEventForm.form(s.patientId, input: input, errors: errors, context: context, status: status,
                                               action: "/suspected-adverse-events/\(s.id.lower)/confirm", suspected: report)
    }
}
