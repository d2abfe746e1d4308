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
        var clock = CourseClock(start: course.start, hours: Availability(timeZone: zone, weeklyHours: [:]))
        func on(_ day: Int, as user: StaffUser = rater) -> (Clinician, Date) {
            (Clinician(user: user, today: course.start.adding(days: day)), clock.next(day))
        }
        var (who, at) = on(0)
        let patient = try await RegisterPatient(database)(course.details, by: who, actor: actor, now: at)
        try await screen(course, patientId: patient.id, by: { on(0) }, actor: actor)
        var sessionIds: [UUID] = [], signed = 0
        for step in CourseStep.steps(of: course) where course.start.adding(days: step.day) <= today {
            switch step {
            case .assessment(let a):
                (who, at) = on(a.day)
                _ = try await RecordAssessment(database)(try a.details(on: who.today, today: who.today), patientId: patient.id,
                                                         by: who, actor: actor, now: at)
            case .plan(let plan):
                guard let templateId = plan.templateId else { continue }
                (who, at) = on(0)
                let started = try await StartPlan(database)(patientId: patient.id, templateId: templateId, by: who, actor: actor, now: at) { template in
                    try PlanInput(PlanContent(sessions: plan.sessions, intervalDays: 28, adjuncts: plan.adjuncts,
                                              rationale: "Demo course: a standard course to start."))
                        .validate(against: template.definition).mapError { Refusal.invalid($0.errors) }.get()
                }
                (who, at) = on(0)
                _ = try await ApprovePlan(database)(planId: started.id, expectedVersion: started.version, by: who, actor: actor, now: at)
            case .session(let s, let first):
                let practitioner = setting.staff.first { $0.id == s.practitionerId } ?? rater
                if first {
                    (who, at) = on(s.day, as: practitioner)
                    _ = try await SignConsent(database)(.init(kind: ConsentKind(course.modality).rawValue, signerName: patient.fullName, agreed: true,
                                                              drawnPNG: nil, clinicName: setting.clinic.name),
                                                        patientId: patient.id, by: who, actor: actor, now: at)
                }
                (who, at) = on(s.day, as: practitioner)
                let photos = try PhotoBatch.standardViews.map { view in
                    AddPhotos.Taken(image: try ImageUpload.accept(DemoPhoto.png(for: view), maxBytes: .max).get(),
                                    details: try PhotoDetails.validate(.init(view: view.rawValue, capturedOn: who.today.description),
                                                                       today: who.today).get())
                }
                _ = try await AddPhotos(database, files: files)(photos, patientId: patient.id, by: who, actor: actor, now: at)
                (who, at) = on(s.day, as: practitioner)
                let chart = course.chart(s, equipment: setting.equipment, deviceId: setting.deviceId, prpLotId: setting.prpLotId)
                let draft = try await StartSessionDraft(database)(.init(patientId: patient.id, chart: chart, appointmentId: nil, planVersionId: nil),
                                                                  by: who, actor: actor, now: at)
                sessionIds.append(draft.id)
                guard s.signed else { continue }
                (who, at) = on(s.day, as: practitioner)
                _ = try await SignSession(database)(.init(sessionId: draft.id, expectedVersion: draft.version, dayAnswers: Self.noToEveryQuestion),
                                                    by: who, actor: actor, now: at)
                signed += 1
            case .adverseEvent(let e):
                (who, at) = on(e.day)
                let recorded = try await RecordAdverseEvent(database)(
                    .init(term: e.term, onsetOn: who.today.description, grade: CTCAEGrade.mild.rawValue, serious: false,
                          relatedness: Relatedness.possible.rawValue, outcome: AEOutcome.ongoing.rawValue,
                          sessionId: e.sessionIndex.flatMap { $0 < sessionIds.count ? sessionIds[$0].lower : nil }, notes: e.notes),
                    patientId: patient.id, by: who, actor: actor, now: at)
                guard let after = e.resolvedAfterDays, course.start.adding(days: e.day + after) <= today else { continue }
                (who, at) = on(e.day + after)
                _ = try await UpdateAdverseEvent(database)(id: recorded.id, expectedVersion: recorded.version,
                                                           change: .init(outcome: AEOutcome.resolved.rawValue, resolvedOn: who.today.description),
                                                           by: who, actor: actor, now: at)
            }
        }
        return Written(patientId: patient.id, signedSessions: signed)
    }

    /// The intake on day 0 and an acknowledgement of each finding that asks for one in the course's modality.
    func screen(_ course: SyntheticCourse, patientId: UUID, by step: () -> (Clinician, Date), actor: AuditActor) async throws {
        let type = course.fitzpatrick.flatMap(FitzpatrickType.init(rawValue:))
        let intake = Intake(fitzpatrick: type, fitzpatrickMethod: type == nil ? nil : .clinicianAssessed)
        var (who, at) = step()
        let recorded = try await RecordIntake(database)(intake, patientId: patientId, by: who, actor: actor, now: at)
        for finding in recorded.screening.first(where: { $0.modality == course.modality })?.openAcknowledgements([]) ?? [] {
            (who, at) = step()
            _ = try await AcknowledgeFinding(database)(patientId: patientId, rule: finding.rule, modality: course.modality,
                                                       reason: Self.acknowledgement, by: who, actor: actor, now: at)
        }
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
/// the clinic's time zone, so records of one day keep the order they were made in.
struct CourseClock {
    let start: CalendarDate
    let hours: Availability
    var step = 0

    mutating func next(_ day: Int) -> Date {
        step += 1
        return hours.instant(start.adding(days: day), minutes: 9 * 60 + step)
    }
}
