import Foundation

/// The one "next step" of a patient's course, shown as one button at the top of the patient page:
/// decided from what is on file, in the order a course goes (intake, acknowledgements, plan, consent,
/// booking, the day's visit). It only points the way: every gate (screening, consent, checklist)
/// still runs where the step leads.
public enum CourseNextStep {
    public enum PlanState: Sendable, Equatable {
        case none
        case draft(planId: UUID)
        case approved
    }

    /// Today's appointment of the course, if any.
    public enum TodayVisit: Sendable, Equatable {
        case session(appointmentId: UUID, checkedIn: Bool)
        case followUp(appointmentId: UUID)
    }

    public struct Facts: Sendable, Equatable {
        public var hasIntake: Bool
        /// Findings of the latest intake that still wait for a clinician's acknowledgement.
        public var findingsToAcknowledge: Int
        /// Every modality the clinic offers is deferred or contraindicated on the latest intake.
        public var screeningStops: Bool
        public var plan: PlanState
        /// A signed, not withdrawn consent for the plan's treatment.
        public var consentValid: Bool
        /// Treatment sessions booked from today on (booked or checked in).
        public var sessionsAhead: Int
        public var today: TodayVisit?
        /// An unsigned session chart.
        public var draftSessionId: UUID?

        public init(hasIntake: Bool, findingsToAcknowledge: Int = 0, screeningStops: Bool = false, plan: PlanState = .none,
                    consentValid: Bool = false, sessionsAhead: Int = 0, today: TodayVisit? = nil, draftSessionId: UUID? = nil) {
            self.hasIntake = hasIntake
            self.findingsToAcknowledge = findingsToAcknowledge
            self.screeningStops = screeningStops
            self.plan = plan
            self.consentValid = consentValid
            self.sessionsAhead = sessionsAhead
            self.today = today
            self.draftSessionId = draftSessionId
        }
    }

    public enum Step: Sendable, Equatable {
        case recordIntake
        case finishChart(sessionId: UUID)
        case followUpVisit(appointmentId: UUID)
        case acknowledgeFindings(count: Int)
        case screeningStops
        case startPlan
        case approvePlan(planId: UUID)
        case signConsent
        case checkIn(appointmentId: UUID)
        case chart(appointmentId: UUID)
        case bookSeries
        case onTrack

        /// The button's words.
        public var label: String {
            switch self {
            case .recordIntake: "Record the intake"
            case .finishChart: "Finish and sign the session chart"
            case .followUpVisit: "Start today's follow-up visit"
            case .acknowledgeFindings(let n): n == 1 ? "Acknowledge 1 screening finding" : "Acknowledge \(n) screening findings"
            case .screeningStops: "Screening stops treatment: see why"
            case .startPlan: "Start a treatment plan"
            case .approvePlan: "Review and approve the plan"
            case .signConsent: "Sign the treatment consent"
            case .checkIn: "Check in for today's session"
            case .chart: "Chart today's session"
            case .bookSeries: "Book the plan's sessions"
            case .onTrack: "Course on track: see the timeline"
            }
        }
    }

    public static func decide(_ f: Facts) -> Step {
        guard f.hasIntake else { return .recordIntake }
        if let draft = f.draftSessionId { return .finishChart(sessionId: draft) }
        if case .followUp(let id)? = f.today { return .followUpVisit(appointmentId: id) }
        if f.findingsToAcknowledge > 0 { return .acknowledgeFindings(count: f.findingsToAcknowledge) }
        if f.screeningStops { return .screeningStops }
        switch f.plan {
        case .none: return .startPlan
        case .draft(let id): return .approvePlan(planId: id)
        case .approved: break
        }
        guard f.consentValid else { return .signConsent }
        if case .session(let id, let checkedIn)? = f.today { return checkedIn ? .chart(appointmentId: id) : .checkIn(appointmentId: id) }
        return f.sessionsAhead == 0 ? .bookSeries : .onTrack
    }
}
