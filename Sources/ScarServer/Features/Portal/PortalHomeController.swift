import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The portal's home: the patient's course in plain words. The patient comes from the portal
/// session only (`context.portalPatient`), never from the URL.
struct PortalHomeController {
    let views: Views

    init(_ services: AppServices) {
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/portal", .patient, "Portal: the patient's course", c.home)
    }

    @Sendable func home(_ request: Request, _ context: AppContext) async throws -> Response {
        views.portal(.portalHome, title: "Your course", data: [:], context: context)
    }
}
