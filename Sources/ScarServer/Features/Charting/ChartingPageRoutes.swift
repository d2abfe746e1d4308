/// Charting pages: post-care sheets, devices and lots (admin), consent templates and signing,
/// the session chart (draft form → checklist → signature → amendments), adverse events, recall.
enum ChartingPageRoutes {
    static func add(to routes: Routes, services: AppServices) {
        PostCarePageController.add(to: routes, services: services)
        InventoryPageController.add(to: routes, services: services)
        ConsentPageController.add(to: routes, services: services)
        PatientModeController.add(to: routes, services: services)
        SessionPageController.add(to: routes, services: services)
        SessionListPageController.add(to: routes, services: services)
        AdverseEventPageController.add(to: routes, services: services)
        AdverseEventFollowUpController.add(to: routes, services: services)
        SuspectedAdverseEventPageController.add(to: routes, services: services)
        RecallPageController.add(to: routes, services: services)
    }
}
