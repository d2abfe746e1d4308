import Foundation

/// A yes / no / not sure answer. A question left unanswered is not "no": it is refused.
public enum TriStateAnswer: String, Sendable, Codable, CaseIterable {
    case yes, no
    case notSure = "not-sure"

    public var label: String {
        switch self {
        case .yes: "Yes"
        case .no: "No"
        case .notSure: "Not sure"
        }
    }
}

/// What a pre-session answer means for the session.
public enum PreSessionOutcome: String, Sendable, Codable, CaseIterable, Comparable {
    /// Nothing in the answer stands in the way.
    case proceed
    /// A clinician looks at the answer before the session.
    case clinicReview = "clinic-review"
    /// The session waits until the condition has resolved.
    case `defer`

    private var rank: Int {
        switch self {
        case .proceed: 0
        case .clinicReview: 1
        case .defer: 2
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    public var label: String {
        switch self {
        case .proceed: "Nothing to add"
        case .clinicReview: "The clinic reviews this"
        case .defer: "Session deferred until it has settled"
        }
    }
}

/// The short re-screening a patient answers in the hours before each session (issue 14): the
/// conditions of the intake screening that can change between visits. Each question's outcome
/// and its source come from the intake screening's rules (domain reference §6); an answer of
/// "not sure" is never read as "no": the clinic asks again.
public enum PreSessionQuestionnaire {
    public struct Question: Sendable, Equatable, Identifiable {
        public var id: String
        /// A short name for staff lists ("Cold sore").
        public var label: String
        /// The question in plain words, as the patient reads it.
        public var text: String
        /// What happens when the answer is yes, and why.
        public var outcomeIfYes: PreSessionOutcome
        /// Shown to the patient beside a yes, in plain words.
        public var meaning: String
        public var source: String
    }

    static let jdd = "Microneedling for treatment of acne scars: considerations on the successful management of this aesthetic procedure. J Drugs Dermatol 2024"
    static let clinicLists = "common clinic contraindication lists"

    /// The product's window for the questions: they open this many hours before the session
    /// (issue 14). A product setting, not a clinical value.
    public static let windowHours = 72

    public static let questions: [Question] = [
        Question(id: "active-breakout", label: "Active breakout", text: "Do you have an active acne breakout (new, inflamed spots) where you will be treated?",
                 outcomeIfYes: .defer,
                 meaning: "Treatment waits until the inflammation has settled; the clinic will talk to you about a new date.",
                 source: jdd + " (\"active acne\"); " + clinicLists),
        Question(id: "cold-sore", label: "Cold sore", text: "Do you have a cold sore now, or one starting (tingling, blisters)?",
                 outcomeIfYes: .defer,
                 meaning: "Treatment waits until the cold sore has healed; the clinic will talk to you about a new date.",
                 source: jdd + " (\"local infection\"); " + clinicLists),
        Question(id: "infection", label: "Skin infection", text: "Do you have warts or any other infection of the skin where you will be treated?",
                 outcomeIfYes: .defer,
                 meaning: "Treatment waits until the infection has cleared; the clinic will talk to you about a new date.",
                 source: jdd + " (\"local infection\"); " + clinicLists),
        Question(id: "sunburn", label: "Sunburn or recent sun", text: "Have you had a sunburn, or much sun or a fresh tan, on your face in the last few days?",
                 outcomeIfYes: .defer,
                 meaning: "Treatment waits until the skin has recovered from the sun; the clinic will talk to you about a new date.",
                 source: clinicLists + " (one clinic advises no sun exposure for 3 days before and after)"),
        Question(id: "new-medicines", label: "New medicines", text: "Have you started any new medicine, tablet or skin cream since your last visit?",
                 outcomeIfYes: .clinicReview,
                 meaning: "The clinic checks the new medicine before your session (for example blood thinners, isotretinoin, medicines that lower immunity, retinoid creams).",
                 source: clinicLists + "; Spring LK, et al. JAMA Dermatol 2017 (isotretinoin)"),
        Question(id: "pregnancy", label: "Pregnancy or breastfeeding", text: "Are you pregnant, or could you be, or are you breastfeeding?",
                 outcomeIfYes: .defer,
                 meaning: "Treatment is not given during pregnancy or breastfeeding; the clinic will talk to you about your course.",
                 source: clinicLists + " (no safety data in pregnancy)"),
    ]

    /// Said beside a "not sure": the product's rule, not a clinical one.
    public static let notSureMeaning = "The clinic will ask you about this before your session."
    public static let notSureSource = "clinic practice: an uncertain answer is asked again, never read as no"

    public static func question(_ id: String) -> Question? { questions.first { $0.id == id } }

    /// One answer with what it means.
    public struct Finding: Sendable, Equatable {
        public var question: Question
        public var answer: TriStateAnswer
        public var outcome: PreSessionOutcome
        public var meaning: String
        public var source: String
    }

    public struct Result: Sendable, Equatable {
        public var findings: [Finding]
        /// The most cautious outcome of all answers.
        public var outcome: PreSessionOutcome { findings.map(\.outcome).max() ?? .proceed }
        /// The answers the clinic must look at (review or defer), in question order.
        public var flagged: [Finding] { findings.filter { $0.outcome != .proceed } }
    }

    /// Every question must be answered yes, no or not sure; the answers map to outcomes.
    public static func evaluate(_ answers: [String: String]) -> Swift.Result<Result, ValidationFailure> {
        var errors: [FieldError] = []
        for key in answers.keys.sorted() where question(key) == nil {
            errors.append(FieldError("answers.\(key)", "is not one of the questions"))
        }
        var findings: [Finding] = []
        for q in questions {
            guard let raw = answers[q.id] else {
                errors.append(FieldError("answers.\(q.id)", "is required: answer yes, no or not sure"))
                continue
            }
            guard let answer = TriStateAnswer(rawValue: raw) else {
                errors.append(FieldError("answers.\(q.id)", "must be yes, no or not-sure"))
                continue
            }
            findings.append(finding(q, answer))
        }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        return .success(Result(findings: findings))
    }

    /// Re-reads stored answers (already validated when they were given).
    public static func reading(_ answers: [String: TriStateAnswer]) -> Result {
        Result(findings: questions.compactMap { q in answers[q.id].map { finding(q, $0) } })
    }

    static func finding(_ q: Question, _ answer: TriStateAnswer) -> Finding {
        switch answer {
        case .no: Finding(question: q, answer: answer, outcome: .proceed, meaning: "", source: q.source)
        case .yes: Finding(question: q, answer: answer, outcome: q.outcomeIfYes, meaning: q.meaning, source: q.source)
        case .notSure: Finding(question: q, answer: answer, outcome: .clinicReview, meaning: notSureMeaning, source: notSureSource)
        }
    }

    /// Whether the questions are open for a session starting at `startsAt`: from `windowHours`
    /// before it until it starts.
    public static func isOpen(sessionStartsAt startsAt: Date, now: Date) -> Bool {
        now < startsAt && startsAt.timeIntervalSince(now) <= Double(windowHours) * 3600
    }
}
