import Foundation
import Hummingbird
import ScarStore

/// `/patients/:id/appointments`: every appointment of a patient, earliest first, a page at a time
/// (the patient page's Course card shows the latest few; issue 16).
struct AppointmentListPageController {
    let services: AppServices

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/appointments", .clinicalStaff, "All of a patient's appointments, earliest first, a page at a time", c.list)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let zone = ScheduleView.zone(context)
        return try await PatientRecordListPage.respond(request, context, views: services.views, list: .appointments, segment: "appointments",
                                                       heading: "Appointments", order: "earliest first", load: { patientId, cursor in
            try await services.schedule.patientAppointments(patientId: patientId, clinicId: context.signedInUser.clinicId, after: cursor,
                                                            limit: PatientRecordListPage.perPage, by: context.auditActor)
        }) { a in
            let row = AppointmentRow(a, zone: zone)
            let status = row.isCompleted ? "done" : row.status
            return .init(url: row.url, date: "\(row.date) \(row.time)", detail: "\(row.label) · \(status) · \(row.practitioner) · \(row.room)")
        }
    }
}
