import Foundation

/// A problem the patient reports at any time, in their own words, with any warning signs they
/// see. It always reaches the clinic as a suspected adverse event for a clinician to look at.
public struct ProblemReport: Sendable, Codable, Equatable {
    public var description: String
    public var signs: [WarningSign]

    public struct Input: Sendable, Codable, Equatable {
        public var description: String?
        public var signs: [String]?
        public init(description: String? = nil, signs: [String]? = nil) {
            self.description = description
            self.signs = signs
        }
    }

    /// Photos a patient may attach to one report or check-in (a product limit).
    public static let maxPhotos = 4

    public static func validate(_ input: Input) -> Result<ProblemReport, ValidationFailure> {
        var errors: [FieldError] = []
        let text = Text.trimmed(input.description)
        if text == nil || text!.count > 2000 || Text.hasControlCharactersBesidesLineBreaks(text!) {
            errors.append(FieldError("description", "is required: say what is wrong, at most 2000 characters"))
        }
        let signs = WarningSign.parse(input.signs, errors: &errors)
        guard errors.isEmpty, let text else { return .failure(ValidationFailure(errors)) }
        return .success(ProblemReport(description: text, signs: signs))
    }

    /// Why the clinic looks at it: the report itself, then each sign with its source.
    public var reasons: [CheckInEvaluation.Reason] {
        [CheckInEvaluation.Reason(code: "problem-report", text: "The patient reported a problem: \(description)",
                                  source: "the patient's own report", suggestedTerm: nil)]
            + signs.map(CheckInEvaluation.signReason)
    }
}
