import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// What the portal's course pages read for the signed-in patient: the plan in force, their
/// appointments, the aftercare sheets given, their change requests and the clinic's notice period.
struct PortalCourse {
    struct Sheet { var sessionId: UUID; var title: String; var version: String; var givenAt: Date }
    var plan: PlanVersion?
    var appointments: [Appointment]
    var sheets: [Sheet]
    var requests: [ChangeRequest]
    var noticeHours: Int

    /// The appointments to come, soonest first.
    func upcoming(now: Date) -> [Appointment] {
        appointments.filter { $0.startsAt >= now && [.booked, .checkedIn].contains($0.status) }.sorted { $0.startsAt < $1.startsAt }
    }

    func latestRequest(_ appointmentId: UUID) -> ChangeRequest? { requests.first { $0.appointmentId == appointmentId } }

    func canAsk(_ a: Appointment, now: Date) -> Bool {
        a.status == .booked && ChangeRequestRules.canAsk(startsAt: a.startsAt, noticeHours: noticeHours, now: now)
            && latestRequest(a.id)?.status != .open
    }
}

struct PortalCourseReader {
    let services: AppServices

    func read(_ context: AppContext) async throws -> PortalCourse {
        let patient = context.portalPatient, actor = context.portalActor
        let plan = try await PlanRepository(services.database).list(patientId: patient.patientId, clinicId: patient.clinicId, by: actor)
            .compactMap(\.inForce).first
        let appointments = try await services.schedule.patientAppointments(patientId: patient.patientId, clinicId: patient.clinicId, by: actor)
        var sheets: [PortalCourse.Sheet] = []
        let postCare = PostCareRepository(services.database)
        for session in try await SessionRepository(services.database).list(patientId: patient.patientId, clinicId: patient.clinicId, by: actor)
        where session.status == .signed {
            let sheet = try await postCare.recorded(session)
            sheets.append(.init(sessionId: session.id, title: sheet.title, version: sheet.version, givenAt: session.signedAt ?? session.createdAt))
        }
        let mine = try await ReadChangeRequests(services.database).mine(for: patient, actor: actor, now: context.now)
        return PortalCourse(plan: plan, appointments: appointments, sheets: sheets, requests: mine.requests, noticeHours: mine.noticeHours)
    }
}

/// The `portal-home` page's view model.
struct PortalHomePage {
    struct Upcoming {
        var label: String
        var date: String
        var time: String
        var canAsk: Bool
        var changeURL: String
        var request: String
        var hasRequest: Bool
        var reply: String
        var hasReply: Bool
    }

    struct Sheet { var date: String; var title: String; var version: String; var url: String }
    struct Expect { var when: String; var text: String; var source: String }

    var upcoming: [Upcoming]
    var hasUpcoming: Bool
    var noticeHours: Int
    var asked: Bool
    var hasPlan: Bool
    var planSummary: String
    var sessionInvolves: String
    var sheets: [Sheet]
    var hasSheets: Bool
    var calendarURL: String
    var hasCalendarURL: Bool
    var expect = PortalWords.resultsTimeline.map { Expect(when: $0.when, text: $0.text, source: $0.source) }

    init(_ c: PortalCourse, zone: TimeZone, now: Date, calendarURL: String?, asked: Bool) {
        upcoming = c.upcoming(now: now).map { a in
            let r = c.latestRequest(a.id)
            return Upcoming(label: a.kind.label(a.number), date: ViewDates.format(a.startsAt, zone, "EEEE d MMMM yyyy"),
                            time: ViewDates.format(a.startsAt, zone, "HH:mm"), canAsk: c.canAsk(a, now: now),
                            changeURL: "/portal/appointments/\(a.id.lower)/change",
                            request: r.map { "You asked to \($0.kind == .cancel ? "cancel" : "change the time"): \($0.status.label)." } ?? "",
                            hasRequest: r != nil, reply: r?.reply ?? "", hasReply: !(r?.reply ?? "").isEmpty)
        }
        hasUpcoming = !upcoming.isEmpty
        noticeHours = c.noticeHours
        self.asked = asked
        hasPlan = c.plan != nil
        planSummary = c.plan.map(Self.summary) ?? ""
        sessionInvolves = c.plan.map { PortalWords.sessionInvolves($0.modality) } ?? ""
        sheets = c.sheets.map { Sheet(date: ViewDates.format($0.givenAt, zone, "EEE d MMM yyyy"), title: $0.title, version: $0.version,
                                      url: "/portal/sessions/\($0.sessionId.lower)/post-care") }
        hasSheets = !sheets.isEmpty
        self.calendarURL = calendarURL ?? ""
        hasCalendarURL = calendarURL != nil
    }

    static func summary(_ version: PlanVersion) -> String {
        let sessions = version.content.sessions, days = version.content.intervalDays
        let weeks = days % 7 == 0 ? "every \(days / 7) week\(days == 7 ? "" : "s")" : "every \(days) days"
        return "\(sessions) session\(sessions == 1 ? "" : "s") of \(version.modality == .rfMicroneedling ? "RF microneedling" : "microneedling"), \(weeks)."
    }
}

/// The `portal-post-care` page's view model: the aftercare sheet as it was given.
struct PostCarePage {
    struct Section { var window: String; var instruction: String; var source: String }
    var title: String
    var version: String
    var given: Bool
    var date: String
    var sections: [Section]
}

/// The `portal-change` page's view model: ask to change or cancel one appointment.
struct PortalChangePage {
    struct Choice { var id: String; var value: String; var label: String; var checked: Bool }
    var appointmentURL: String
    var label: String
    var when: String
    var canAsk: Bool
    var noticeHours: Int
    var choices: [Choice]
    var reason: String
    var maxReason = ChangeRequestRules.maxReason
    var kindError: String
    var hasKindError: Bool
    var reasonError: String
    var hasReasonError: Bool
    var hasErrors: Bool

    init(_ a: Appointment, course: PortalCourse, zone: TimeZone, now: Date, kind: String?, reason: String, errors: [FieldError]) {
        appointmentURL = "/portal/appointments/\(a.id.lower)/change"
        label = a.kind.label(a.number)
        when = ViewDates.format(a.startsAt, zone, "EEEE d MMMM yyyy 'at' HH:mm")
        canAsk = course.canAsk(a, now: now)
        noticeHours = course.noticeHours
        choices = ChangeRequestRules.Kind.allCases.map { Choice(id: "kind-\($0.rawValue)", value: $0.rawValue, label: $0.label, checked: kind == $0.rawValue) }
        self.reason = reason
        kindError = errors.first { $0.field == "kind" }?.message ?? ""
        reasonError = errors.first { $0.field == "reason" }?.message ?? ""
        hasKindError = !kindError.isEmpty
        hasReasonError = !reasonError.isEmpty
        hasErrors = !errors.isEmpty
    }
}

/// `GET /api/v1/portal/course`.
struct PortalCourseJSON: Encodable {
    struct AppointmentJSON: Encodable {
        var id: String; var label: String; var startsAt: Date; var endsAt: Date; var status: String; var canAskForChange: Bool
    }
    struct SheetJSON: Encodable { var sessionId: String; var title: String; var version: String; var givenAt: Date }
    var plan: String?
    var appointments: [AppointmentJSON]
    var changeNoticeHours: Int
    var changeRequests: [ChangeRequestJSON]
    var aftercareSheets: [SheetJSON]

    init(_ c: PortalCourse, now: Date) {
        plan = c.plan.map(PortalHomePage.summary)
        appointments = c.appointments.sorted { $0.startsAt < $1.startsAt }.map {
            AppointmentJSON(id: $0.id.lower, label: $0.kind.label($0.number), startsAt: $0.startsAt, endsAt: $0.endsAt, status: $0.status.rawValue,
                            canAskForChange: c.canAsk($0, now: now))
        }
        changeNoticeHours = c.noticeHours
        changeRequests = c.requests.map(ChangeRequestJSON.init)
        aftercareSheets = c.sheets.map { SheetJSON(sessionId: $0.sessionId.lower, title: $0.title, version: $0.version, givenAt: $0.givenAt) }
    }
}
