import Foundation

/// How much of something the patient feels or sees, in their words.
public enum ReactionLevel: String, Sendable, Codable, CaseIterable {
    case none, mild, moderate, severe

    public var label: String {
        switch self {
        case .none: "None"
        case .mild: "A little"
        case .moderate: "Quite a lot"
        case .severe: "A lot"
        }
    }
}

/// Signs the post-care sheet asks the patient to call about (its "When to call the clinic").
public enum WarningSign: String, Sendable, Codable, CaseIterable {
    case blisters, pus
    case coldSore = "cold-sore"
    case spreadingRedness = "spreading-redness"
    case rash, lumps
    case worseningPain = "worsening-pain"

    public var label: String {
        switch self {
        case .blisters: "Blisters"
        case .pus: "Pus or yellow crusts"
        case .coldSore: "A cold sore"
        case .spreadingRedness: "Redness that is spreading"
        case .rash: "A rash or itching"
        case .lumps: "Lumps or bumps under the skin"
        case .worseningPain: "Pain that is getting worse"
        }
    }
}

extension WarningSign {
    /// The signs ticked, each once; an unknown one is reported as `signs[i]`.
    static func parse(_ raw: [String]?, errors: inout [FieldError]) -> [WarningSign] {
        var signs: [WarningSign] = []
        for (i, value) in (raw ?? []).enumerated() {
            if let s = WarningSign(rawValue: value) {
                if !signs.contains(s) { signs.append(s) }
            } else {
                errors.append(FieldError("signs[\(i)]", "must be one of " + WarningSign.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        return signs
    }
}

/// A daily check-in after a session, as the patient answered it.
public struct CheckInAnswers: Sendable, Codable, Equatable {
    public var redness: ReactionLevel
    public var swelling: ReactionLevel
    public var pain: ReactionLevel
    public var signs: [WarningSign]
    /// Anything else unexpected: yes / no / not sure (a "not sure" is looked at).
    public var unexpected: TriStateAnswer
    public var note: String?

    public init(redness: ReactionLevel, swelling: ReactionLevel, pain: ReactionLevel, signs: [WarningSign], unexpected: TriStateAnswer,
                note: String?) {
        self.redness = redness
        self.swelling = swelling
        self.pain = pain
        self.signs = signs
        self.unexpected = unexpected
        self.note = note
    }

    public struct Input: Sendable, Codable, Equatable {
        public var redness: String?
        public var swelling: String?
        public var pain: String?
        public var signs: [String]?
        public var unexpected: String?
        public var note: String?

        public init(redness: String? = nil, swelling: String? = nil, pain: String? = nil, signs: [String]? = nil, unexpected: String? = nil,
                    note: String? = nil) {
            self.redness = redness
            self.swelling = swelling
            self.pain = pain
            self.signs = signs
            self.unexpected = unexpected
            self.note = note
        }
    }

    /// Every answer is required (nothing defaults to "none"); every problem is reported at once.
    public static func validate(_ input: Input) -> Result<CheckInAnswers, ValidationFailure> {
        var errors: [FieldError] = []
        func level(_ field: String, _ raw: String?) -> ReactionLevel? {
            guard let raw = Text.trimmed(raw) else { errors.append(FieldError(field, "is required")); return nil }
            guard let l = ReactionLevel(rawValue: raw) else {
                errors.append(FieldError(field, "must be one of " + ReactionLevel.allCases.map(\.rawValue).joined(separator: ", "))); return nil
            }
            return l
        }
        let redness = level("redness", input.redness), swelling = level("swelling", input.swelling), pain = level("pain", input.pain)
        let signs = WarningSign.parse(input.signs, errors: &errors)
        var unexpected: TriStateAnswer?
        if let raw = Text.trimmed(input.unexpected) {
            unexpected = TriStateAnswer(rawValue: raw)
            if unexpected == nil { errors.append(FieldError("unexpected", "must be yes, no or not-sure")) }
        } else {
            errors.append(FieldError("unexpected", "is required: answer yes, no or not sure"))
        }
        let note = Text.trimmed(input.note)
        if let note, note.count > 2000 || Text.hasControlCharactersBesidesLineBreaks(note) {
            errors.append(FieldError("note", "must be at most 2000 characters, without control characters"))
        }
        if unexpected == .yes, note == nil { errors.append(FieldError("note", "is required when something unexpected happened: describe it")) }
        guard errors.isEmpty, let redness, let swelling, let pain, let unexpected else { return .failure(ValidationFailure(errors)) }
        return .success(CheckInAnswers(redness: redness, swelling: swelling, pain: pain, signs: signs, unexpected: unexpected, note: note))
    }
}

/// Whether a check-in is what is expected after a session or beyond it, by the clinic's rules
/// (Decision 6 of the reference: expected sequelae are not adverse events unless they last past
/// the clinic's threshold, default 72 h). "Beyond" makes a *suspected* adverse event for a
/// clinician to confirm, grade and link; it is never a diagnosis.
public enum CheckInEvaluation {
    public struct Reason: Sendable, Codable, Equatable {
        /// Stable: `redness-duration`, `swelling-duration`, `pain-level`, `sign.<sign>`, `unexpected`.
        public var code: String
        public var text: String
        public var source: String
        /// A catalogue term the clinician may start from when confirming; nil when the sign names none.
        public var suggestedTerm: String?
    }

    public struct Result: Sendable, Equatable {
        public var reasons: [Reason]
        public var beyondExpected: Bool { !reasons.isEmpty }
        public var summary: String { beyondExpected ? "Beyond what is expected" : "As expected" }
    }

    static let painSource = "expected after microneedling: mild pain in the first days (acne.org microneedling side-effect table; Harris, Naidoo & Murrell, Int J Womens Dermatol 2015)"
    static let infectionSource = "infection is a risk of any procedure that breaks the skin (Harris, Naidoo & Murrell, Int J Womens Dermatol 2015)"
    static let allergySource = "allergic and hypersensitivity reactions after microneedling (Soltani-Arabshahi R, et al. JAMA Dermatol 2014)"
    static let granulomaSource = "granulomatous reactions after microneedling (Soltani-Arabshahi R, et al. JAMA Dermatol 2014; Friedmann DP, et al. Dermatol Surg 2024)"
    static let herpesSource = "cold sores can return after microneedling (Microneedling for treatment of acne scars, J Drugs Dermatol 2024)"

    static func signReason(_ sign: WarningSign) -> Reason {
        let (source, term): (String, String?) = switch sign {
        case .blisters: (allergySource, nil)
        case .pus, .spreadingRedness: (infectionSource, "infection")
        case .coldSore: (herpesSource, "hsv-reactivation")
        case .rash: (allergySource, "hypersensitivity")
        case .lumps: (granulomaSource, "granuloma")
        case .worseningPain: ("the clinic's post-care sheet: call if pain gets worse (common clinic aftercare practice)", "pain")
        }
        return Reason(code: "sign.\(sign.rawValue)", text: "\(sign.label) is not an expected part of healing.", source: source, suggestedTerm: term)
    }

    /// `day` counts from the session's day (0); day N is taken as N × 24 hours after the session.
    public static func evaluate(_ answers: CheckInAnswers, day: Int, thresholds: SequelaThresholds) -> Result {
        var reasons: [Reason] = []
        let hours = day * 24
        if answers.redness != .none, hours > thresholds.erythemaHours {
            reasons.append(Reason(code: "redness-duration",
                                  text: "Redness on day \(day) has lasted longer than the clinic's limit of \(thresholds.erythemaHours) hours.",
                                  source: SequelaThresholds.source, suggestedTerm: "erythema"))
        }
        if answers.swelling != .none, hours > thresholds.edemaHours {
            reasons.append(Reason(code: "swelling-duration",
                                  text: "Swelling on day \(day) has lasted longer than the clinic's limit of \(thresholds.edemaHours) hours.",
                                  source: SequelaThresholds.source, suggestedTerm: "edema"))
        }
        if answers.pain == .moderate || answers.pain == .severe {
            reasons.append(Reason(code: "pain-level", text: "Pain that is more than mild (\(answers.pain.label.lowercased())) is beyond what is expected.",
                                  source: painSource, suggestedTerm: "pain"))
        }
        reasons += answers.signs.map(signReason)
        if answers.unexpected != .no {
            reasons.append(Reason(code: "unexpected",
                                  text: answers.unexpected == .yes ? "The patient noticed something unexpected." : "The patient is not sure whether something is unexpected.",
                                  source: "the patient's own report", suggestedTerm: nil))
        }
        return Result(reasons: reasons)
    }
}
