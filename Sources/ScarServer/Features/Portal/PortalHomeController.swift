import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The portal's home: the patient's course in plain words (the plan, upcoming appointments with a
/// way to ask for a change or a cancellation, the aftercare sheet given after each session, what
/// to expect), a calendar link, and each sheet's page. The patient comes from the portal session
/// only (`context.portalPatient`); an id in the URL that is not theirs answers as an unknown one.
struct PortalHomeController {
    let services: AppServices
    var views: Views { services.views }
    var course: PortalCourseReader { PortalCourseReader(services: services) }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/portal", .patient, "Portal: the patient's course", c.home)
        routes.page("/portal/sessions/:id/post-care", .patient, "Portal: the aftercare sheet given after one of the patient's sessions", c.sheet)
        routes.form("/portal/calendar-link", .patient, "Portal: a new calendar link for the patient's appointments", c.calendarLink)
        routes.page("/portal/appointments/:id/change", .patient, "Portal: ask to change or cancel an appointment (form)", c.changeForm)
        routes.form("/portal/appointments/:id/change", .patient, "Portal: ask to change or cancel an appointment", c.askForChange)
        routes.api(.get, "/api/v1/portal/course", .patient, "Portal: the patient's course (plan, appointments, requests, aftercare sheets)", c.courseJSON)
        routes.api(.post, "/api/v1/portal/appointments/:id/change-requests", .patient,
                   "Portal: ask to change or cancel one of the patient's appointments", c.askJSON)
    }

    @Sendable func home(_ request: Request, _ context: AppContext) async throws -> Response {
        try await page(request, context, calendarURL: nil)
    }

    @Sendable func calendarLink(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let patient = context.portalPatient
        let token = try await services.schedule.createFeedToken(patientId: patient.patientId, clinicId: patient.clinicId, by: context.portalActor)
        return try await page(request, context, calendarURL: "http://\(request.head.authority ?? "localhost")/ical/patient/\(token).ics")
    }

    func page(_ request: Request, _ context: AppContext, calendarURL: String?) async throws -> Response {
        let c = try await course.read(context)
        let page = PortalHomePage(c, zone: context.clinicZone, now: context.now, calendarURL: calendarURL,
                                  asked: request.uri.queryParameters.get("asked") != nil)
        return views.portal(.portalHome, title: "Your course", page: page, context: context)
    }

    @Sendable func sheet(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let patient = context.portalPatient
        let session = try await SessionRepository(services.database).find(id: id, clinicId: patient.clinicId, by: context.portalActor)
        guard session.patientId == patient.patientId else { throw AppError.notFound }
        let sheet = try await PostCareRepository(services.database).recorded(session)
        return views.portal(.portalPostCare, title: sheet.title, page: PostCarePage(
            title: sheet.title, version: sheet.version, given: session.status == .signed,
            date: ViewDates.format(session.signedAt ?? session.createdAt, context.clinicZone, "EEE d MMM yyyy"),
            sections: sheet.sections.map { .init(window: $0.window, instruction: $0.instruction, source: $0.source) }), context: context)
    }

    @Sendable func changeForm(_ request: Request, _ context: AppContext) async throws -> Response {
        try await changePage(context, kind: nil, reason: "", errors: [], status: .ok)
    }

    @Sendable func askForChange(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        do {
            _ = try await AskForAppointmentChange(services.database)(kind: form["kind"], reason: form["reason"], appointmentId: id,
                                                                     for: context.portalPatient, actor: context.portalActor, now: context.now)
            return Response.redirect(to: "/portal?asked=1#portal-appointments", type: .normal)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return try await changePage(context, kind: form["kind"], reason: form["reason"] ?? "", errors: refusal.fields, status: .unprocessableContent)
        } catch let refusal as Refusal {
            throw AppError(refusal)
        }
    }

    func changePage(_ context: AppContext, kind: String?, reason: String, errors: [FieldError], status: HTTPResponse.Status) async throws -> Response {
        let id = try context.pageUUID()
        let c = try await course.read(context)
        guard let appointment = c.appointments.first(where: { $0.id == id }) else { throw AppError.notFound }
        let page = PortalChangePage(appointment, course: c, zone: context.clinicZone, now: context.now, kind: kind, reason: reason, errors: errors)
        return views.portal(.portalChange, title: "Change or cancel", page: page, context: context, status: status)
    }

    @Sendable func courseJSON(_ request: Request, _ context: AppContext) async throws -> Response {
        try JSON.response(PortalCourseJSON(try await course.read(context), now: context.now))
    }

    struct AskInput: Decodable { var kind: String?; var reason: String? }

    @Sendable func askJSON(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(AskInput.self, from: request, limit: services.configuration.maxJSONBodyBytes)
        let asked = try await AppError.fromRefusal {
            try await AskForAppointmentChange(services.database)(kind: input.kind, reason: input.reason, appointmentId: id,
                                                                 for: context.portalPatient, actor: context.portalActor, now: context.now)
        }
        return try JSON.response(ChangeRequestJSON(asked), status: .created)
    }
}
