/// Schedule pages: day view (per practitioner or room), week calendar, booking a series with
/// a preview, one appointment (move, cancel, no-show, check in), resources admin and outbox.
enum SchedulePageRoutes {
    static func add(to routes: Routes, services: AppServices) {
        SchedulePageController.add(to: routes, services: services)
        BookingPageController.add(to: routes, services: services)
        AppointmentPageController.add(to: routes, services: services)
        AppointmentListPageController.add(to: routes, services: services)
        FollowUpVisitController.add(to: routes, services: services)
        ScheduleAdminPageController.add(to: routes, services: services)
    }
}
