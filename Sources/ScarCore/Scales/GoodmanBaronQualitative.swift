/// Goodman & Baron qualitative global scarring grade (domain reference §3.1), computed from
/// the clinician's four answers. The reference defines grades 1–4 only; it has no grade 0, so
/// "no contour change" is grade 1 (macular: a problem of colour, not contour).
public enum GoodmanBaronQualitative {
    public static let id = "gb-qualitative"
    public static let version = "1"
    public static let citation = "Goodman GJ, Baron JA. Postacne scarring: a qualitative global scarring grading system. Dermatol Surg 2006;32:1458–66 (PubMed 17199653). Grade definitions as commonly reproduced"
    /// The grade definitions are [C2]; the paper's own record was seen once [C1].
    public static let confidence = ConfidenceTag.c2

    /// The clinician's answers; the stretch test is an explicit checkbox (reference §3.1).
    public struct Answers: Sendable, Hashable, Codable {
        /// Any atrophy or hypertrophy (a change in contour, not only colour).
        public var contourChange: Bool
        /// Obvious at social distances of 50 cm or more.
        public var obviousAt50cm: Bool
        /// Covered adequately by makeup, the normal shadow of shaved beard hair, or body hair.
        public var coveredByMakeup: Bool
        /// Flattens with manual stretching of the skin (distensible).
        public var flattensOnStretch: Bool

        public init(contourChange: Bool, obviousAt50cm: Bool, coveredByMakeup: Bool, flattensOnStretch: Bool) {
            self.contourChange = contourChange
            self.obviousAt50cm = obviousAt50cm
            self.coveredByMakeup = coveredByMakeup
            self.flattensOnStretch = flattensOnStretch
        }
    }

    public enum Grade: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case macular = 1, mild, moderate, severe

        public var level: String {
            switch self {
            case .macular: "Macular"
            case .mild: "Mild"
            case .moderate: "Moderate"
            case .severe: "Severe"
            }
        }

        public static func < (a: Grade, b: Grade) -> Bool { a.rawValue < b.rawValue }
    }

    /// Grades 3 and 4 both require scars obvious at ≥ 50 cm *and* not covered easily; if
    /// either fails, the patient can disguise them at social distances, which is grade 2.
    /// The stretch test then separates 3 (flattens) from 4 (does not).
    public static func grade(_ answers: Answers) -> Grade {
        guard answers.contourChange else { return .macular }
        guard answers.obviousAt50cm, !answers.coveredByMakeup else { return .mild }
        return answers.flattensOnStretch ? .moderate : .severe
    }

    /// Responder rule (Decision 7): improvement by at least one grade from baseline.
    public static let responderGradeImprovement = 1

    public static func isResponder(baseline: Grade, followUp: Grade) -> Bool {
        isResponder(baselineGrade: baseline.rawValue, followUpGrade: followUp.rawValue)
    }

    /// The same rule on stored grade numbers; analytics SQL uses `responderGradeImprovement` alike.
    public static func isResponder(baselineGrade: Int, followUpGrade: Int) -> Bool {
        followUpGrade <= baselineGrade - responderGradeImprovement
    }

    /// One answer with its label, for the command output and the grading form.
    public struct AnswerRow: Sendable, Hashable, Codable {
        public var key: String
        public var label: String
        public var answer: Bool
    }

    /// The answers in the order the reference's definitions use them.
    public static func rows(_ answers: Answers) -> [AnswerRow] {
        [
            AnswerRow(key: "contourChange", label: "Change in contour (atrophy or hypertrophy), not colour only",
                      answer: answers.contourChange),
            AnswerRow(key: "obviousAt50cm", label: "Obvious at social distances of 50 cm or more",
                      answer: answers.obviousAt50cm),
            AnswerRow(key: "coveredByMakeup", label: "Covered adequately by makeup, shaved beard shadow or body hair",
                      answer: answers.coveredByMakeup),
            AnswerRow(key: "flattensOnStretch", label: "Flattens on manual stretching of the skin (if atrophic)",
                      answer: answers.flattensOnStretch),
        ]
    }
}
