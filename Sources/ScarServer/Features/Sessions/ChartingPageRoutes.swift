import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// Charting pages: devices and lots (admin), consent templates and signing, the session chart
/// (draft form → checklist → signature → amendments), post-care printout, adverse events, recall.
enum ChartingPageRoutes {
    static func add(to routes: Routes, services: AppServices) {
        PostCarePageRoutes.add(to: routes, services: services)
        addInventory(to: routes, services: services)
        addConsents(to: routes, services: services)
        addSessions(to: routes, services: services)
        addAdverseEvents(to: routes, services: services)
        addRecall(to: routes, services: services)
    }
}
