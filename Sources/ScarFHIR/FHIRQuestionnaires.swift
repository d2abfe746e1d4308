import Foundation

// Questionnaire and QuestionnaireResponse (R4), with only the elements ScarTrack fills.

public struct FHIRQuestionnaire: Encodable, Sendable {
    public let resourceType = "Questionnaire"
    public var id: String
    public var meta: Meta
    /// The canonical URL a QuestionnaireResponse names (with `|version` when there is one).
    public var url: String
    public var version: String?
    public var name: String?
    public var title: String
    public var status: String
    public var subjectType: [String]
    public var publisher: String?
    public var description: String?
    public var item: [Item]?

    public struct Item: Encodable, Sendable {
        public var linkId: String
        public var text: String?
        public var type: String
        public var repeats: Bool?
        public var answerOption: [AnswerOption]?
        public var item: [Item]?

        public init(linkId: String, text: String?, type: String, repeats: Bool? = nil, answerOption: [AnswerOption]? = nil, item: [Item]? = nil) {
            self.linkId = linkId
            self.text = text
            self.type = type
            self.repeats = repeats
            self.answerOption = answerOption
            self.item = item
        }
    }

    public struct AnswerOption: Encodable, Sendable {
        public var valueCoding: Coding
    }
}

public struct FHIRQuestionnaireResponse: Encodable, Sendable {
    public let resourceType = "QuestionnaireResponse"
    public var id: String
    public var meta: Meta
    /// The canonical URL of the Questionnaire answered (`url|version` when it has a version).
    public var questionnaire: String
    public var status: String
    public var subject: Reference
    public var authored: String
    public var author: Reference?
    public var source: Reference?
    public var item: [Item]?

    public struct Item: Encodable, Sendable {
        public var linkId: String
        public var text: String?
        public var answer: [Answer]?
        public var item: [Item]?

        public init(linkId: String, text: String?, answer: [Answer]? = nil, item: [Item]? = nil) {
            self.linkId = linkId
            self.text = text
            self.answer = answer
            self.item = item
        }
    }

    public struct Answer: Encodable, Sendable, Equatable {
        public var valueBoolean: Bool?
        public var valueInteger: Int?
        public var valueDate: String?
        public var valueString: String?
        public var valueCoding: Coding?

        public init(valueBoolean: Bool? = nil, valueInteger: Int? = nil, valueDate: String? = nil, valueString: String? = nil, valueCoding: Coding? = nil) {
            self.valueBoolean = valueBoolean
            self.valueInteger = valueInteger
            self.valueDate = valueDate
            self.valueString = valueString
            self.valueCoding = valueCoding
        }
    }
}
