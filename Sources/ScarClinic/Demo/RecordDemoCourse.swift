import Foundation
import ScarCore
import ScarStore

/// A past course of treatment for the demo clinic, written as the clinic would have written it:
/// every step through its use case, on its own day (the clinic clock walked forward through the
/// course), so the demo passes every check real data passes. Registration; the intake and its
/// screening (a finding that asks for an acknowledgement gets one, with a reason); the baseline
/// assessment; the plan started from the template and approved; consent signed before the first
/// session; before-photos of the standard views; the chart started and signed through the
/// pre-session checklist with the day's questions answered; follow-up assessments; adverse
/// events recorded at onset and resolved on the day they resolved. A step after today is not
/// written (a course still under way stops at today).
public struct RecordDemoCourse: Sendable {
    /// What the course was written with: the clinic's synthetic equipment and staff.
    public struct Setting: Sendable {
        public var clinic: Clinic
        public var staff: [StaffUser]
        public var equipment: SyntheticCourses.Equipment
        public var deviceId: UUID
        public var prpLotId: UUID

        public init(clinic: Clinic, staff: [StaffUser], equipment: SyntheticCourses.Equipment, deviceId: UUID, prpLotId: UUID) {
            (self.clinic, self.staff, self.equipment, self.deviceId, self.prpLotId) = (clinic, staff, equipment, deviceId, prpLotId)
        }
    }

    public struct Written: Sendable {
        public var patientId: UUID
        public var signedSessions: Int
    }

    let database: ScarDatabase
    let files: any PhotoFiles

    public init(_ database: ScarDatabase, files: any PhotoFiles) {
        self.database = database
        self.files = files
    }

    static let noToEveryQuestion = DayAnswers(answers: Dictionary(uniqueKeysWithValues: DayAnswers.fields.map { ($0, DayAnswers.Answer.no) }))
    static let acknowledgement = "Demo course: discussed with the patient before planning."

    /// `rater` registers, screens, grades and plans; each session is charted and signed by its own practitioner.
    public func callAsFunction(_ course: SyntheticCourse, in setting: Setting, rater: StaffUser, actor: AuditActor,
                               now: Date) async throws -> Written {
        let zone = TimeZone(identifier: setting.clinic.timeZone) ?? TimeZone(identifier: "UTC")!
        let today = CalendarDate(clinicDayOf: now, in: zone)
        let clock = CourseClock(start: course.start, hours: Availability(timeZone: zone, weeklyHours: [:]), rater: rater)
        let (who, at) = clock.on(0)
        let patient = try await RegisterPatient(database)(course.details, by: who, actor: actor, now: at)
        let writer = CourseWriter(database: database, files: files, course: course, setting: setting, patient: patient, clock: clock, actor: actor)
        try await writer.screen()
        var sessionIds: [UUID] = [], signed = 0
        for step in CourseStep.steps(of: course) where course.start.adding(days: step.day) <= today {
            switch step {
            case .assessment(let a): try await writer.assess(a)
            case .plan(let plan): try await writer.approve(plan)
            case .session(let s, let first):
                let (id, wasSigned) = try await writer.chart(s, first: first)
                sessionIds.append(id)
                if wasSigned { signed += 1 }
            case .adverseEvent(let e): try await writer.record(e, sessionIds: sessionIds, today: today)
            }
        }
        return Written(patientId: patient.id, signedSessions: signed)
    }
}

/// One course's steps, each through its use case as the member of staff on the day.
struct CourseWriter {
    let database: ScarDatabase
    let files: any PhotoFiles
    let course: SyntheticCourse
    let setting: RecordDemoCourse.Setting
    let patient: Patient
    let clock: CourseClock
    let actor: AuditActor

    /// The intake on day 0 and an acknowledgement of each finding that asks for one in the course's modality.
    func screen() async throws {
        let type = course.fitzpatrick.flatMap(FitzpatrickType.init(rawValue:))
        let intake = Intake(fitzpatrick: type, fitzpatrickMethod: type == nil ? nil : .clinicianAssessed)
        var (who, at) = clock.on(0)
        let recorded = try await RecordIntake(database)(intake, patientId: patient.id, by: who, actor: actor, now: at)
        for finding in recorded.screening.first(where: { $0.modality == course.modality })?.openAcknowledgements([]) ?? [] {
            (who, at) = clock.on(0)
            _ = try await AcknowledgeFinding(database)(patientId: patient.id, rule: finding.rule, modality: course.modality,
                                                       reason: RecordDemoCourse.acknowledgement, by: who, actor: actor, now: at)
        }
    }

    func assess(_ a: SyntheticCourse.Assessment) async throws {
        let (who, at) = clock.on(a.day)
        _ = try await RecordAssessment(database)(try a.details(on: who.today, today: who.today), patientId: patient.id, by: who, actor: actor, now: at)
    }

    func approve(_ plan: SyntheticCourse.Plan) async throws {
        guard let templateId = plan.templateId else { return }
        var (who, at) = clock.on(0)
        let started = try await StartPlan(database)(patientId: patient.id, templateId: templateId, by: who, actor: actor, now: at) { template in
            try PlanInput(PlanContent(sessions: plan.sessions, intervalDays: 28, adjuncts: plan.adjuncts,
                                      rationale: "Demo course: a standard course to start."))
                .validate(against: template.definition).mapError { Refusal.invalid($0.errors) }.get()
        }
        (who, at) = clock.on(0)
        _ = try await ApprovePlan(database)(planId: started.id, expectedVersion: started.version, by: who, actor: actor, now: at)
    }

    /// Consent before the first session, the before-photos, the chart, and the signature through the checklist.
    func chart(_ s: SyntheticCourse.Session, first: Bool) async throws -> (id: UUID, signed: Bool) {
        let practitioner = setting.staff.first { $0.id == s.practitionerId } ?? clock.rater
        var (who, at) = clock.on(s.day, as: practitioner)
        if first {
            _ = try await SignConsent(database)(.init(kind: ConsentKind(course.modality).rawValue, signerName: patient.fullName, agreed: true,
                                                      drawnPNG: nil, clinicName: setting.clinic.name),
                                                patientId: patient.id, by: who, actor: actor, now: at)
            (who, at) = clock.on(s.day, as: practitioner)
        }
        let photos = try PhotoBatch.standardViews.map { view in
            AddPhotos.Taken(image: try ImageUpload.accept(DemoPhoto.png(for: view), maxBytes: .max).get(),
                            details: try PhotoDetails.validate(.init(view: view.rawValue, capturedOn: who.today.description), today: who.today).get())
        }
        _ = try await AddPhotos(database, files: files)(photos, patientId: patient.id, by: who, actor: actor, now: at)
        (who, at) = clock.on(s.day, as: practitioner)
        let chart = course.chart(s, equipment: setting.equipment, deviceId: setting.deviceId, prpLotId: setting.prpLotId)
        let draft = try await StartSessionDraft(database)(.init(patientId: patient.id, chart: chart, appointmentId: nil, planVersionId: nil),
                                                          by: who, actor: actor, now: at)
        guard s.signed else { return (draft.id, false) }
        (who, at) = clock.on(s.day, as: practitioner)
        _ = try await SignSession(database)(.init(sessionId: draft.id, expectedVersion: draft.version, dayAnswers: RecordDemoCourse.noToEveryQuestion),
                                            by: who, actor: actor, now: at)
        return (draft.id, true)
    }

    /// Recorded at onset as ongoing; resolved on the day it resolved, when that day has come.
    func record(_ e: SyntheticCourse.AdverseEvent, sessionIds: [UUID], today: CalendarDate) async throws {
        var (who, at) = clock.on(e.day)
        let recorded = try await RecordAdverseEvent(database)(
            .init(term: e.term, onsetOn: who.today.description, grade: CTCAEGrade.mild.rawValue, serious: false,
                  relatedness: Relatedness.possible.rawValue, outcome: AEOutcome.ongoing.rawValue,
                  sessionId: e.sessionIndex.flatMap { $0 < sessionIds.count ? sessionIds[$0].lower : nil }, notes: e.notes),
            patientId: patient.id, by: who, actor: actor, now: at)
        guard let after = e.resolvedAfterDays, course.start.adding(days: e.day + after) <= today else { return }
        (who, at) = clock.on(e.day + after)
        _ = try await UpdateAdverseEvent(database)(id: recorded.id, expectedVersion: recorded.version,
                                                   change: .init(outcome: AEOutcome.resolved.rawValue, resolvedOn: who.today.description),
                                                   by: who, actor: actor, now: at)
    }
}

/// The course's steps in the order a clinic meets them: by day, and on one day the plan before the
/// session, the session before an adverse event that followed it.
enum CourseStep {
    case assessment(SyntheticCourse.Assessment)
    case plan(SyntheticCourse.Plan)
    case session(SyntheticCourse.Session, first: Bool)
    case adverseEvent(SyntheticCourse.AdverseEvent)

    var day: Int {
        switch self {
        case .assessment(let a): a.day
        case .plan: 0
        case .session(let s, _): s.day
        case .adverseEvent(let e): e.day
        }
    }

    var rank: Int {
        switch self {
        case .assessment: 0
        case .plan: 1
        case .session: 2
        case .adverseEvent: 3
        }
    }

    static func steps(of course: SyntheticCourse) -> [CourseStep] {
        let steps = course.assessments.map(CourseStep.assessment) + (course.plan.map { [.plan($0)] } ?? [])
            + course.sessions.enumerated().map { .session($0.element, first: $0.offset == 0) } + course.adverseEvents.map(CourseStep.adverseEvent)
        return steps.sorted { ($0.day, $0.rank) < ($1.day, $1.rank) }
    }
}

/// Instants through a course: each step a minute after the one before, from 09:00 on its day in
/// the clinic's time zone, so records of one day keep the order they were made in. A class: the
/// steps of one course share it.
final class CourseClock: @unchecked Sendable {
    let start: CalendarDate
    let hours: Availability
    let rater: StaffUser
    private var step = 0

    init(start: CalendarDate, hours: Availability, rater: StaffUser) {
        (self.start, self.hours, self.rater) = (start, hours, rater)
    }

    /// The member of staff on that day of the course (the rater unless said) and the next instant.
    func on(_ day: Int, as user: StaffUser? = nil) -> (Clinician, Date) {
        step += 1
        let date = start.adding(days: day)
        return (Clinician(user: user ?? rater, today: date), hours.instant(date, minutes: 9 * 60 + step))
    }
}
