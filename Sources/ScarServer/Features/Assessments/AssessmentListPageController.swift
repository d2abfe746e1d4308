import Foundation
import Hummingbird
import ScarStore

/// `/patients/:id/assessments`: every scar assessment of a patient, newest first, a page at a time
/// (the patient page's card lists the newest few; issue 16).
struct AssessmentListPageController {
    let services: AppServices

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/assessments", .clinicalStaff, "All of a patient's scar assessments, newest first, a page at a time", c.list)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        try await PatientRecordListPage.respond(request, context, views: services.views, list: .assessments, segment: "assessments",
                                                heading: "Scar assessments", order: "newest first", load: { patientId, cursor in
            try await services.assessments.list(patientId: patientId, clinicId: context.signedInUser.clinicId, after: cursor,
                                                limit: PatientRecordListPage.perPage, by: context.auditActor)
        }) { a in
            .init(url: AssessmentView.url(a.id), date: ViewDates.day(a.details.assessedOn),
                  detail: "G&B quantitative \(a.scores.gbQuantitative.total) · ECCA \(a.scores.ecca.total) · G&B grade \(a.scores.gbQualitative.total)"
                      + " · \(a.raterName)" + (a.details.blinded ? " · blinded" : ""))
        }
    }
}
