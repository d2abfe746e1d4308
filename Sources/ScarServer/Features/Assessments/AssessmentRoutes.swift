/// Scar assessments: the API and the pages. Added to the app with one line in `ScarApp.build`.
enum AssessmentRoutes {
    static func add(to routes: Routes, services: AppServices) {
        AssessmentAPIRoutes.add(to: routes, services: services)
        AssessmentPageRoutes.add(to: routes, services: services)
    }
}
