import Foundation

/// The outcome questions a patient answers in the portal at a follow-up visit (1, 3, 6 and 12
/// months after the last session, the clinic's follow-up schedule). The instrument is the ACNE-Q
/// (Klassen et al., Br J Dermatol 2019): its scales are answered with four options, "not at all",
/// "a little", "quite a bit" and "very much". Its item wording is licensed, so the items are the
/// ones the clinic enters from its own licensed copy; the product never writes or scores them.
/// What is stored is what staff store: instrument id, version and the raw answers.
public enum FollowUpQuestions {
    public static let instrument = "ACNE-Q"
    public static let source = "Klassen et al., Br J Dermatol 2019"

    public struct Option: Sendable, Equatable {
        public var value: String
        public var label: String
    }

    /// The ACNE-Q's four answer options, in order; the value stored is the option's words.
    public static let options: [Option] = ["not at all", "a little", "quite a bit", "very much"].map { Option(value: $0, label: $0) }

    /// One item of the clinic's licensed copy: its id (stored with the answer) and its wording (shown).
    public struct Item: Sendable, Equatable {
        public var id: String
        public var text: String
        public init(id: String, text: String) {
            self.id = id
            self.text = text
        }
    }

    /// The questionnaire the clinic set up: the version of its licensed copy and its items.
    public struct Setup: Sendable, Equatable {
        public var version: String
        public var items: [Item]
        public var isOn: Bool { !version.isEmpty && !items.isEmpty }
        public init(version: String, items: [Item]) {
            self.version = version
            self.items = items
        }

        /// Items as the clinic types them, one `id = wording` per line.
        public static func parse(version: String?, lines: String?) -> Result<Setup, ValidationFailure> {
            var errors: [FieldError] = []
            let v = Text.trimmed(version) ?? ""
            if v.count > 32 { errors.append(FieldError("outcomeVersion", "must be at most 32 characters")) }
            var items: [Item] = []
            for line in (lines ?? "").split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, !parts[1].isEmpty, parts[1].count <= 300 else {
                    errors.append(FieldError("outcomeItems", "each line must be item id = wording (id at most 64, wording at most 300 characters)"))
                    break
                }
                if items.contains(where: { $0.id == parts[0] }) {
                    errors.append(FieldError("outcomeItems", "item \(parts[0]) appears twice"))
                    break
                }
                items.append(Item(id: parts[0], text: parts[1]))
            }
            if items.count > 50 { errors.append(FieldError("outcomeItems", "has more than 50 items")) }
            if v.isEmpty != items.isEmpty {
                errors.append(FieldError(v.isEmpty ? "outcomeVersion" : "outcomeItems", "version and items go together (leave both empty to ask nothing)"))
            }
            return errors.isEmpty ? .success(Setup(version: v, items: items)) : .failure(ValidationFailure(errors))
        }

        public var lines: String { items.map { "\($0.id) = \($0.text)" }.joined(separator: "\n") }
    }

    /// The questions open a week before a follow-up visit and stay open four weeks after it, so a
    /// patient can answer at home before the visit or soon after. A product window, not a clinical one.
    public static let opensDaysBefore = 7
    public static let closesDaysAfter = 28

    public static func isOpen(followUpAt: Date, now: Date) -> Bool {
        now >= followUpAt.addingTimeInterval(-Double(opensDaysBefore) * 86_400)
            && now <= followUpAt.addingTimeInterval(Double(closesDaysAfter) * 86_400)
    }

    /// Every item answered with one of the four options; an item left out is refused, never read as an answer.
    public static func validate(_ answers: [String: String], setup: Setup) -> Result<[String: String], ValidationFailure> {
        var errors: [FieldError] = []
        var stored: [String: String] = [:]
        for item in setup.items {
            guard let answer = Text.trimmed(answers[item.id]) else {
                errors.append(FieldError("answers.\(item.id)", "please choose an answer"))
                continue
            }
            guard options.contains(where: { $0.value == answer }) else {
                errors.append(FieldError("answers.\(item.id)", "must be one of: not at all, a little, quite a bit, very much"))
                continue
            }
            stored[item.id] = answer
        }
        for key in answers.keys where !setup.items.contains(where: { $0.id == key }) {
            errors.append(FieldError("answers.\(key.prefix(64))", "is not a question the clinic asks"))
            break
        }
        return errors.isEmpty ? .success(stored) : .failure(ValidationFailure(errors))
    }
}
