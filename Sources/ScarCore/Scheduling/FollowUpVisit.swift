/// A follow-up visit's guided steps (issue 13, item 6): photos, a scar assessment, the outcome
/// questions and a review of the adverse events still open, and whether the visit may be marked
/// done. What counts is what was recorded for the patient on the visit's day.
public enum FollowUpVisit {
    /// What the patient's record holds for the visit's day.
    public struct Recorded: Sendable, Equatable {
        public var standardViews: Int
        public var assessments: Int
        public var outcomeQuestionnaires: Int
        public var openAdverseEvents: Int

        public init(standardViews: Int, assessments: Int, outcomeQuestionnaires: Int, openAdverseEvents: Int) {
            self.standardViews = standardViews
            self.assessments = assessments
            self.outcomeQuestionnaires = outcomeQuestionnaires
            self.openAdverseEvents = openAdverseEvents
        }
    }

    public struct Step: Sendable, Equatable {
        public var id: String
        public var title: String
        public var done: Bool
        /// Needed before the visit can be marked done (the others are recorded when the patient agrees).
        public var required: Bool
        public var detail: String
    }

    /// The standard views of a follow-up (the same five as before a session).
    public static let standardViewCount = 5

    public static func steps(_ r: Recorded, reviewed: Bool) -> [Step] {
        [
            Step(id: "photos", title: "Photos", done: r.standardViews >= standardViewCount, required: false,
                 detail: "\(min(r.standardViews, standardViewCount)) of \(standardViewCount) standard views today"),
            Step(id: "assessment", title: "Scar assessment", done: r.assessments > 0, required: true,
                 detail: r.assessments > 0 ? "recorded today" : "not yet recorded today"),
            Step(id: "outcome-questions", title: "Outcome questions", done: r.outcomeQuestionnaires > 0, required: false,
                 detail: r.outcomeQuestionnaires > 0 ? "answered today" : "not yet answered today"),
            Step(id: "adverse-events", title: "Adverse events", done: r.openAdverseEvents == 0 || reviewed, required: r.openAdverseEvents > 0,
                 detail: r.openAdverseEvents == 0 ? "none open" : "\(r.openAdverseEvents) still open: review each, resolve it or note why it stays open"),
        ]
    }

    /// Nil when the visit may be marked done; otherwise every reason, by field. A follow-up is done
    /// on its day or later, once checked in (or still booked: the patient is here), with a scar
    /// assessment recorded that day and every open adverse event reviewed.
    public static func completionErrors(isFollowUp: Bool, status: AppointmentStatus, visitDay: CalendarDate, today: CalendarDate,
                                        recorded: Recorded, reviewed: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        if !isFollowUp { errors.append(FieldError("appointment", "is not a follow-up visit; a treatment session is done by signing its chart")) }
        switch status {
        case .booked, .checkedIn: break
        case .completed: errors.append(FieldError("appointment", "is already done"))
        case .cancelled: errors.append(FieldError("appointment", "was cancelled"))
        case .noShow: errors.append(FieldError("appointment", "was marked as a no-show"))
        }
        if visitDay > today { errors.append(FieldError("appointment", "is booked for a later day; a visit is marked done on its day")) }
        for step in steps(recorded, reviewed: reviewed) where step.required && !step.done {
            switch step.id {
            case "assessment": errors.append(FieldError("assessment", "record today's scar assessment first"))
            default: errors.append(FieldError("adverseEventsReviewed", "confirm the open adverse events were reviewed (or resolve them first)"))
            }
        }
        return errors
    }
}
