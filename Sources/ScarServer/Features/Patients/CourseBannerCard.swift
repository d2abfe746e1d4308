import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The top of the patient page: what a clinician must see before touching the face
/// (`SafetyBanner`) and the course's one next step (`CourseNextStep`), both decided in ScarCore
/// from the page's one read.
struct CourseBannerCard {
    var items: [SafetyBanner.Item]
    var nextLabel: String
    var nextURL: String
    var nextId: String

    static let patientPageCard = PatientPageCard(key: "courseBanner", order: 5) { page, context in
        card(page, today: context.today, zone: ScheduleView.zone(context))
    }

    static func card(_ page: PatientPageRead, today: CalendarDate, zone: TimeZone) -> CourseBannerCard {
        let r = page.records
        let valid = Set(r.consents.filter(\.isValid).map(\.kind))
        let banner = SafetyBanner.items(age: page.patient.age(on: today), intake: page.screening.intake?.intake,
                                        photoConsent: valid.contains(.photoUse), researchConsent: valid.contains(.research))
        let facts = facts(page, today: today, zone: zone, validConsents: valid)
        let step = CourseNextStep.decide(facts)
        return CourseBannerCard(items: banner, nextLabel: step.label, nextURL: url(step, page: page), nextId: "next-step")
    }

    static func facts(_ page: PatientPageRead, today: CalendarDate, zone: TimeZone, validConsents: Set<ConsentKind>) -> CourseNextStep.Facts {
        let r = page.records, s = page.screening
        let open = Set(s.results.flatMap { $0.openAcknowledgements(s.acknowledgements).map(\.rule) })
        let stops = !s.results.isEmpty && s.results.allSatisfy { $0.outcome == .contraindicated || $0.outcome == .defer }
        let inForce = r.plans.compactMap(\.inForce).first
        let plan: CourseNextStep.PlanState = inForce != nil ? .approved
            : (r.plans.first { $0.current.status == .draft }.map { .draft(planId: $0.id) } ?? .none)
        let live = r.appointments.filter { $0.status == .booked || $0.status == .checkedIn }
        let onDay = live.filter { CalendarDate(clinicDayOf: $0.startsAt, in: zone) == today }
        let visit: CourseNextStep.TodayVisit? = onDay.first { $0.kind == .followUp }.map { .followUp(appointmentId: $0.id) }
            ?? onDay.first { $0.kind == .session }.map { .session(appointmentId: $0.id, checkedIn: $0.status == .checkedIn) }
        let ahead = live.filter { $0.kind == .session && CalendarDate(clinicDayOf: $0.startsAt, in: zone) >= today }.count
        return .init(hasIntake: s.intake != nil, findingsToAcknowledge: open.count, screeningStops: stops, plan: plan,
                     consentValid: inForce.map { validConsents.contains(ConsentKind($0.modality)) } ?? false,
                     sessionsAhead: ahead, today: visit, draftSessionId: r.latestSessions.first { $0.status == .draft }?.id)
    }

    /// Where the step's button leads; every gate still runs there.
    static func url(_ step: CourseNextStep.Step, page: PatientPageRead) -> String {
        let patient = PatientLinks.url(page.patient.id)
        switch step {
        case .recordIntake: return patient + "/intake/new"
        case .finishChart(let id): return "/sessions/\(id.lower)#checklist"
        case .followUpVisit(let id): return "/appointments/\(id.lower)/follow-up"
        case .acknowledgeFindings, .screeningStops: return patient + "#screening"
        case .startPlan: return patient + "/plans/new"
        case .approvePlan(let id): return "/plans/\(id.lower)"
        case .signConsent: return patient + "/consents/new"
        case .checkIn(let id): return "/appointments/\(id.lower)"
        case .chart(let id): return patient + "/sessions/new?appointment=\(id.lower)"
        case .bookSeries: return patient + "/book" + (page.records.plans.first { $0.inForce != nil }.map { "?plan=\($0.id.lower)" } ?? "")
        case .onTrack: return patient + "#course"
        }
    }
}
