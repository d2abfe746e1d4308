import Foundation

/// A catalogue term (domain reference §7.1). Clinics may add terms; these ship.
public struct AETerm: Sendable, Codable, Equatable {
    public var code: String
    public var label: String
    /// Expected sequelae are charted in the session, and become adverse events only past the
    /// clinic's threshold (Decision 6).
    public var expectedSequela: Bool
    public var source: String

    public static let catalogue: [AETerm] = [
        AETerm(code: "erythema", label: "Erythema", expectedSequela: true, source: "acne.org; PMC8008152"),
        AETerm(code: "edema", label: "Edema", expectedSequela: true, source: "acne.org; Harris, Naidoo & Murrell, Int J Womens Dermatol 2015"),
        AETerm(code: "pain", label: "Pain / burning", expectedSequela: true, source: "acne.org; Harris, Naidoo & Murrell, Int J Womens Dermatol 2015"),
        AETerm(code: "pinpoint-bleeding", label: "Pinpoint bleeding / oozing", expectedSequela: true, source: "acne.org; Harris, Naidoo & Murrell, Int J Womens Dermatol 2015"),
        AETerm(code: "crusting-dryness", label: "Crusting, dryness, flaking", expectedSequela: false, source: "acne.org; PMID 32598509"),
        AETerm(code: "ecchymosis", label: "Ecchymoses / bruising", expectedSequela: false, source: "acne.org"),
        AETerm(code: "pih", label: "Post-inflammatory hyperpigmentation", expectedSequela: false, source: "acne.org; Harris, Naidoo & Murrell, Int J Womens Dermatol 2015"),
        AETerm(code: "acne-flare", label: "Acne flare / milia", expectedSequela: false, source: "Harris, Naidoo & Murrell, Int J Womens Dermatol 2015; acne.org"),
        AETerm(code: "tram-track", label: "Tram-track scarring", expectedSequela: false, source: "Harris, Naidoo & Murrell, Int J Womens Dermatol 2015; acne.org"),
        AETerm(code: "hypersensitivity", label: "Hypersensitivity / allergic contact dermatitis", expectedSequela: false,
               source: "Soltani-Arabshahi 2014; common clinic practice notes"),
        AETerm(code: "granuloma", label: "Granulomatous reaction", expectedSequela: false,
               source: "Soltani-Arabshahi 2014; Friedmann 2024; PMC8008152"),
        AETerm(code: "infection", label: "Infection", expectedSequela: false, source: "Harris, Naidoo & Murrell, Int J Womens Dermatol 2015"),
        AETerm(code: "hsv-reactivation", label: "HSV reactivation", expectedSequela: false, source: "J Drugs Dermatol 2024"),
        AETerm(code: "rf-burn", label: "RF burn", expectedSequela: false, source: "Elawar 2018"),
    ]

    public static func find(_ code: String) -> AETerm? { catalogue.first { $0.code == code } }
}

/// NCI CTCAE v5.0 general grade definitions (domain reference §7.2).
public enum CTCAEGrade: Int, Sendable, Codable, CaseIterable {
    case mild = 1, moderate, severe, lifeThreatening, death

    public var label: String {
        switch self {
        case .mild: "1 Mild"
        case .moderate: "2 Moderate"
        case .severe: "3 Severe"
        case .lifeThreatening: "4 Life-threatening"
        case .death: "5 Death"
        }
    }

    public var definition: String {
        switch self {
        case .mild: "Asymptomatic or mild symptoms; clinical or diagnostic observations only; intervention not indicated"
        case .moderate: "Minimal, local or noninvasive intervention indicated; limiting age-appropriate instrumental ADL"
        case .severe: "Severe or medically significant but not immediately life-threatening; hospitalization or prolongation of hospitalization indicated; disabling; limiting self-care ADL"
        case .lifeThreatening: "Life-threatening consequences; urgent intervention indicated"
        case .death: "Death related to AE"
        }
    }

    public static let source = "NCI CTCAE v5.0 (27 Nov 2017), general grade definitions"
}

/// Relatedness (domain reference §7.2: a common pharmacovigilance convention, [NC]).
public enum Relatedness: String, Sendable, Codable, CaseIterable {
    case unrelated, unlikely, possible, probable, definite

    /// The word a person reads.
    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

public enum AEOutcome: String, Sendable, Codable, CaseIterable {
    case ongoing, resolved
    case resolvedWithSequelae = "resolved-with-sequelae"
    case unknown

    /// The words a person reads.
    public var label: String {
        switch self {
        case .ongoing: "Ongoing"
        case .resolved: "Resolved"
        case .resolvedWithSequelae: "Resolved with lasting effects"
        case .unknown: "Unknown"
        }
    }

    public var isResolved: Bool { self == .resolved || self == .resolvedWithSequelae }
}

/// A follow-up note on an adverse event (a phone call, a review visit): dated and signed by who
/// wrote it, kept in order, never edited.
public enum AdverseEventFollowUpNote {
    public static let maxLength = 2000

    /// The note as it is stored (trimmed), nil when there is none, or the field's error.
    public static func validate(_ raw: String?, field: String = "followUpNote") -> Result<String?, ValidationFailure> {
        guard let text = Text.trimmed(raw) else { return .success(nil) }
        if text.count > maxLength { return .failure(ValidationFailure([FieldError(field, "must be at most \(maxLength) characters")])) }
        return .success(text)
    }
}

/// Decision 6: expected sequelae are not adverse events unless they last past the clinic's
/// threshold (default: erythema or edema beyond 72 h).
public struct SequelaThresholds: Sendable, Codable, Equatable {
    public var erythemaHours: Int
    public var edemaHours: Int

    public init(erythemaHours: Int, edemaHours: Int) {
        self.erythemaHours = erythemaHours
        self.edemaHours = edemaHours
    }

    public static let `default` = SequelaThresholds(erythemaHours: 72, edemaHours: 72)
    public static let source = "Clinic threshold, default 72 h: redness usually settles in 2–3 days (PMC8008152; acne.org)"
}

public enum SequelaPromotion {
    public struct Decision: Sendable, Equatable {
        public var isAdverseEvent: Bool
        public var reason: String
        public var source: String
    }

    /// Whether a charted term, lasting `durationHours`, is an adverse event. Terms that are not
    /// expected sequelae always are. Erythema and edema are when they last past the threshold.
    /// Other expected sequelae (pain, pinpoint bleeding) have no duration threshold in the
    /// reference, so they stay sequelae unless graded 2 or above (a clinician judged them
    /// beyond "mild").
    public static func decide(term: AETerm, durationHours: Double?, grade: CTCAEGrade, thresholds: SequelaThresholds) -> Decision {
        guard term.expectedSequela else {
            return Decision(isAdverseEvent: true, reason: "\(term.label) is not an expected sequela.", source: term.source)
        }
        let limit: Int? = switch term.code {
        case "erythema": thresholds.erythemaHours
        case "edema": thresholds.edemaHours
        default: nil
        }
        if let limit {
            guard let hours = durationHours else {
                return Decision(isAdverseEvent: false,
                                reason: "\(term.label) is an expected sequela; give how long it has lasted (hours) to compare with the \(limit) h threshold.",
                                source: SequelaThresholds.source)
            }
            if hours > Double(limit) {
                return Decision(isAdverseEvent: true, reason: "\(term.label) lasting \(Int(hours)) h is past the clinic threshold of \(limit) h.",
                                source: SequelaThresholds.source)
            }
            return Decision(isAdverseEvent: false,
                            reason: "\(term.label) lasting \(Int(hours)) h is within the expected window (threshold \(limit) h); chart it as a sequela in the session.",
                            source: SequelaThresholds.source)
        }
        if grade.rawValue >= 2 {
            return Decision(isAdverseEvent: true, reason: "\(term.label) graded \(grade.label) is beyond mild.", source: CTCAEGrade.source)
        }
        return Decision(isAdverseEvent: false, reason: "\(term.label) at grade 1 is an expected sequela; chart it in the session.",
                        source: "Expected sequelae are charted with the session, not reported as adverse events (NCI CTCAE v5.0 grading)")
    }
}

public struct AdverseEventDetails: Sendable, Codable, Equatable {
    public var term: String
    public var onsetOn: CalendarDate
    public var grade: CTCAEGrade
    public var serious: Bool
    public var relatedness: Relatedness
    public var actionTaken: String?
    public var outcome: AEOutcome
    public var resolvedOn: CalendarDate?
    public var sessionId: UUID?
    public var lotIds: [UUID]
    public var products: String?
    public var durationHours: Double?
    public var notes: String?

    public init(term: String, onsetOn: CalendarDate, grade: CTCAEGrade, serious: Bool, relatedness: Relatedness, actionTaken: String?,
                outcome: AEOutcome, resolvedOn: CalendarDate?, sessionId: UUID?, lotIds: [UUID], products: String?, durationHours: Double?,
                notes: String?) {
        self.term = term
        self.onsetOn = onsetOn
        self.grade = grade
        self.serious = serious
        self.relatedness = relatedness
        self.actionTaken = actionTaken
        self.outcome = outcome
        self.resolvedOn = resolvedOn
        self.sessionId = sessionId
        self.lotIds = lotIds
        self.products = products
        self.durationHours = durationHours
        self.notes = notes
    }

    public struct Input: Sendable, Codable, Equatable {
        public var term: String?
        public var onsetOn: String?
        public var grade: Int?
        public var serious: Bool?
        public var relatedness: String?
        public var actionTaken: String?
        public var outcome: String?
        public var resolvedOn: String?
        public var sessionId: String?
        public var lotIds: [String]?
        public var products: String?
        public var durationHours: Double?
        public var notes: String?

        public init(term: String? = nil, onsetOn: String? = nil, grade: Int? = nil, serious: Bool? = nil, relatedness: String? = nil,
                    actionTaken: String? = nil, outcome: String? = nil, resolvedOn: String? = nil, sessionId: String? = nil,
                    lotIds: [String]? = nil, products: String? = nil, durationHours: Double? = nil, notes: String? = nil) {
            self.term = term
            self.onsetOn = onsetOn
            self.grade = grade
            self.serious = serious
            self.relatedness = relatedness
            self.actionTaken = actionTaken
            self.outcome = outcome
            self.resolvedOn = resolvedOn
            self.sessionId = sessionId
            self.lotIds = lotIds
            self.products = products
            self.durationHours = durationHours
            self.notes = notes
        }
    }

    /// Every field checked. A term that is an expected sequela within the threshold is refused
    /// as an adverse event, with the reason and source (Decision 6). Updates of an event already
    /// recorded pass `checkPromotion: false`: it was promoted when it was recorded.
    public static func validate(_ input: Input, today: CalendarDate, thresholds: SequelaThresholds,
                                extraTerms: [AETerm] = [], checkPromotion: Bool = true) -> Result<AdverseEventDetails, ValidationFailure> {
        var errors: [FieldError] = []
        let terms = AETerm.catalogue + extraTerms
        let term = input.term.flatMap { code in terms.first { $0.code == code } }
        if term == nil { errors.append(FieldError("term", "must be a catalogue term (" + terms.map(\.code).joined(separator: ", ") + ")")) }
        func date(_ field: String, _ raw: String?, required: Bool) -> CalendarDate? {
            guard let raw = Text.trimmed(raw) else { if required { errors.append(FieldError(field, "is required")) }; return nil }
            guard let d = CalendarDate(raw) else { errors.append(FieldError(field, "must be a date YYYY-MM-DD")); return nil }
            if d > today { errors.append(FieldError(field, "must not be in the future")) }
            return d
        }
        let onset = date("onsetOn", input.onsetOn, required: true)
        let resolved = date("resolvedOn", input.resolvedOn, required: false)
        if let onset, let resolved, resolved < onset { errors.append(FieldError("resolvedOn", "must not be before the onset")) }
        let grade = input.grade.flatMap(CTCAEGrade.init(rawValue:))
        if grade == nil { errors.append(FieldError("grade", "must be a CTCAE grade from 1 to 5")) }
        let relatedness = input.relatedness.flatMap(Relatedness.init(rawValue:))
        if relatedness == nil { errors.append(FieldError("relatedness", "must be one of " + Relatedness.allCases.map(\.rawValue).joined(separator: ", "))) }
        let outcome = input.outcome.flatMap(AEOutcome.init(rawValue:)) ?? (input.outcome == nil ? .ongoing : nil)
        if outcome == nil { errors.append(FieldError("outcome", "must be one of " + AEOutcome.allCases.map(\.rawValue).joined(separator: ", "))) }
        if let outcome, outcome == .resolved || outcome == .resolvedWithSequelae, resolved == nil {
            errors.append(FieldError("resolvedOn", "is required when the event has resolved"))
        }
        var sessionId: UUID?
        if let raw = Text.trimmed(input.sessionId) {
            sessionId = UUID(uuidString: raw)
            if sessionId == nil { errors.append(FieldError("sessionId", "must be a UUID")) }
        }
        var lots: [UUID] = []
        for (i, raw) in (input.lotIds ?? []).enumerated() {
            if let id = UUID(uuidString: raw) { lots.append(id) } else { errors.append(FieldError("lotIds[\(i)]", "must be a UUID")) }
        }
        if let h = input.durationHours, !(h >= 0) || h > 100_000 { errors.append(FieldError("durationHours", "must be a number of hours from 0")) }
        if checkPromotion, let term, let grade, errors.isEmpty {
            let decision = SequelaPromotion.decide(term: term, durationHours: input.durationHours, grade: grade, thresholds: thresholds)
            if !decision.isAdverseEvent {
                errors.append(FieldError("term", "\(decision.reason) Not recorded as an adverse event. Source: \(decision.source)."))
            }
        }
        guard errors.isEmpty, let term, let onset, let grade, let relatedness, let outcome else { return .failure(ValidationFailure(errors)) }
        return .success(AdverseEventDetails(term: term.code, onsetOn: onset, grade: grade, serious: input.serious ?? false,
                                            relatedness: relatedness, actionTaken: Text.trimmed(input.actionTaken), outcome: outcome,
                                            resolvedOn: resolved, sessionId: sessionId, lotIds: lots, products: Text.trimmed(input.products),
                                            durationHours: input.durationHours, notes: Text.trimmed(input.notes)))
    }
}
