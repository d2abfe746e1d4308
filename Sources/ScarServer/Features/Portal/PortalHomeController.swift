import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The portal's home: the patient's course in plain words (the plan, upcoming appointments, the
/// aftercare sheet given after each session, what to expect), a calendar link, and each sheet's
/// page. The patient comes from the portal session only (`context.portalPatient`); a session id in
/// the URL that is not theirs answers as an unknown one.
struct PortalHomeController {
    let views: Views
    let plans: PlanRepository
    let schedule: ScheduleRepository
    let sessions: SessionRepository
    let postCare: PostCareRepository

    init(_ services: AppServices) {
        views = services.views
        plans = PlanRepository(services.database)
        schedule = services.schedule
        sessions = SessionRepository(services.database)
        postCare = PostCareRepository(services.database)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/portal", .patient, "Portal: the patient's course", c.home)
        routes.page("/portal/sessions/:id/post-care", .patient, "Portal: the aftercare sheet given after one of the patient's sessions", c.sheet)
        routes.form("/portal/calendar-link", .patient, "Portal: a new calendar link for the patient's appointments", c.calendarLink)
    }

    @Sendable func home(_ request: Request, _ context: AppContext) async throws -> Response {
        try await page(request, context, calendarURL: nil)
    }

    @Sendable func calendarLink(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let patient = context.portalPatient
        let token = try await schedule.createFeedToken(patientId: patient.patientId, clinicId: patient.clinicId, by: context.portalActor)
        return try await page(request, context, calendarURL: "http://\(request.head.authority ?? "localhost")/ical/patient/\(token).ics")
    }

    func page(_ request: Request, _ context: AppContext, calendarURL: String?) async throws -> Response {
        let patient = context.portalPatient, actor = context.portalActor
        let plan = try await plans.list(patientId: patient.patientId, clinicId: patient.clinicId, by: actor).compactMap(\.inForce).first
        let appointments = try await schedule.patientAppointments(patientId: patient.patientId, clinicId: patient.clinicId, by: actor)
        var sheets: [[String: Any]] = []
        for session in try await sessions.list(patientId: patient.patientId, clinicId: patient.clinicId, by: actor) where session.status == .signed {
            let sheet = try await postCare.recorded(session)
            sheets.append(["date": ViewDates.format(session.signedAt ?? session.createdAt, context.clinicZone, "EEE d MMM yyyy"),
                           "title": sheet.title, "version": sheet.version, "url": "/portal/sessions/\(session.id.lower)/post-care"])
        }
        var data = PortalCourseView.data(plan: plan, appointments: appointments, zone: context.clinicZone, now: Date())
        data["sheets"] = sheets
        data["hasSheets"] = !sheets.isEmpty
        data["calendarURL"] = calendarURL ?? ""
        data["hasCalendarURL"] = calendarURL != nil
        return views.portal(.portalHome, title: "Your course", data: data, context: context)
    }

    @Sendable func sheet(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let patient = context.portalPatient
        let session = try await sessions.find(id: id, clinicId: patient.clinicId, by: context.portalActor)
        guard session.patientId == patient.patientId else { throw AppError.notFound }
        let sheet = try await postCare.recorded(session)
        return views.portal(.portalPostCare, title: sheet.title, data: [
            "title": sheet.title, "version": sheet.version, "given": session.status == .signed,
            "date": ViewDates.format(session.signedAt ?? session.createdAt, context.clinicZone, "EEE d MMM yyyy"),
            "sections": sheet.sections.map { ["window": $0.window, "instruction": $0.instruction, "source": $0.source] },
        ], context: context)
    }
}

/// The course as the patient reads it: the plan in plain words, the appointments to come, and
/// what to expect (each line with its source).
enum PortalCourseView {
    static func data(plan: PlanVersion?, appointments: [Appointment], zone: TimeZone, now: Date) -> [String: Any] {
        let upcoming = appointments.filter { $0.startsAt >= now && [.booked, .checkedIn].contains($0.status) }.sorted { $0.startsAt < $1.startsAt }
        var data: [String: Any] = [
            "upcoming": upcoming.map { a in
                ["label": a.kind.label(a.number), "date": ViewDates.format(a.startsAt, zone, "EEEE d MMMM yyyy"), "time": ViewDates.format(a.startsAt, zone, "HH:mm")]
            },
            "hasUpcoming": !upcoming.isEmpty,
            "expect": PortalWords.resultsTimeline.map { ["when": $0.when, "text": $0.text, "source": $0.source] },
            "hasPlan": plan != nil,
        ]
        if let version = plan {
            let sessions = version.content.sessions, days = version.content.intervalDays
            let weeks = days % 7 == 0 ? "every \(days / 7) week\(days == 7 ? "" : "s")" : "every \(days) days"
            data["planSummary"] = "\(sessions) session\(sessions == 1 ? "" : "s") of \(version.modality == .rfMicroneedling ? "RF microneedling" : "microneedling"), \(weeks)."
            data["sessionInvolves"] = PortalWords.sessionInvolves(version.modality)
        }
        return data
    }
}
