import Foundation
import Hummingbird
import ScarStore

/// `/patients/:id/photos`: every photo of a patient, newest first, a page at a time (the patient
/// page's photo strip shows the newest few; issue 16).
struct PhotoListPageController {
    let services: AppServices

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/photos", .clinicalStaff, "All of a patient's photos, newest first, a page at a time", c.list)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        try await PatientRecordListPage.respond(request, context, views: services.views, list: .photos, segment: "photos",
                                                heading: "Photos", order: "newest first", load: { patientId, cursor in
            try await services.photos.list(patientId: patientId, clinicId: context.signedInUser.clinicId, after: cursor,
                                           limit: PatientRecordListPage.perPage, by: context.auditActor)
        }) { p in
            let item = PhotoStripView.item(p)
            return .init(url: item.imageURL, date: ViewDates.day(p.capturedOn), detail: item.label, imageURL: item.imageURL)
        }
    }
}
