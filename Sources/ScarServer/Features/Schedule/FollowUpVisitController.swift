import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/appointments/:id/follow-up…`: a follow-up visit on one page, step by step — the standard
/// views in one upload (the patient's photo batch, which comes back here), the scar assessment, the outcome questions, the adverse events still open
/// — and "Mark the follow-up done" (`CompleteFollowUpVisit`), after which the course timeline shows
/// it done.
struct FollowUpVisitController {
    let services: AppServices
    var database: ScarDatabase { services.database }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/appointments/:id/follow-up", .clinicalStaff, "A follow-up visit step by step: photos, assessment, outcome questions, adverse events", c.show)
        routes.form("/appointments/:id/follow-up/complete", .clinicalStaff, "Mark a follow-up visit done", c.complete)
    }

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        try await page(try context.pageUUID(), context: context)
    }

    @Sendable func complete(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        guard let version = form["version"].flatMap(Int.init) else {
            throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
        }
        do {
            let done = try await CompleteFollowUpVisit(database)(appointmentId: id, expectedVersion: version,
                                                                 adverseEventsReviewed: form["adverseEventsReviewed"] != nil,
                                                                 by: context.clinician, actor: context.auditActor, now: context.now)
            return Response.redirect(to: PatientLinks.url(done.patientId) + "#course", type: .normal)
        } catch let refusal as Refusal {
            return try await page(id, context: context, completeErrors: refusal.fields, status: .unprocessableContent)
        } catch StoreError.versionConflict {
            return try await page(id, context: context, completeErrors: [FieldError("appointment", "was changed by someone else meanwhile; check and try again")],
                                  status: .conflict)
        }
    }

    func page(_ id: UUID, context: AppContext, completeErrors: [FieldError] = [],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let visit = try await ReadFollowUpVisit(database)(appointmentId: id, by: context.clinician, actor: context.auditActor, now: context.now)
        let page = FollowUpVisitView.page(visit, zone: context.clinicZone, today: context.today, maxMB: services.configuration.maxPhotoBytes / (1024 * 1024),
                                          completeErrors: completeErrors)
        return services.views.render(.followUpVisit, title: "Follow-up · \(visit.appointment.patientName)", section: "schedule", page: page,
                                     context: context, status: status)
    }
}
