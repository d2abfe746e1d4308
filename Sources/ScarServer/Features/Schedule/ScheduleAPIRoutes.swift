/// `/api/v1/…` for the schedule: resources (admin), series preview and booking, appointment
/// changes (`If-Match`), the outbox pass and the practitioner's iCalendar feed.
enum ScheduleAPIRoutes {
    static func add(to routes: Routes, services: AppServices) {
        ScheduleSetupAPIController.add(to: routes, services: services)
        AppointmentAPIController.add(to: routes, services: services)
        ScheduleSetupAPIController.addDispatch(to: routes, services: services)
        AppointmentAPIController.addCalendar(to: routes, services: services)
    }
}
