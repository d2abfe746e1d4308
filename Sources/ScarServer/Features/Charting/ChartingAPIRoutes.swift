/// The charting API (all in openapi.json): devices and lots, charting settings, consents,
/// sessions (draft → checklist → signed → amendments), post-care, adverse events, recall.
enum ChartingAPIRoutes {
    static func add(to routes: Routes, services: AppServices) {
        InventoryAPIController.add(to: routes, services: services)
        ConsentAPIController.add(to: routes, services: services)
        SessionAPIController.add(to: routes, services: services)
        AdverseEventAPIController.add(to: routes, services: services)
        SuspectedAdverseEventAPIController.add(to: routes, services: services)
        InventoryAPIController.addRecall(to: routes, services: services)
    }
}
