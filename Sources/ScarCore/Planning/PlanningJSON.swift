import Foundation

/// Reads the API's JSON bodies for templates and plans into the same text inputs the forms
/// produce, so both report a bad value the same way. Numbers must be JSON numbers, flags JSON
/// booleans, text JSON strings; unknown keys are refused. Nested objects flatten to dotted
/// field names (`depths.left-cheek`, `rf.pinCount`, `sources.sessions`), which are also the
/// names errors use.
public enum PlanningJSON {
    public enum Read<T: Sendable>: Sendable {
        /// Not a JSON object at all (the caller answers 400).
        case unreadable(String)
        /// The fields read (absent keys are absent; `null` is an explicit empty value), with
        /// any type problems (answered 422 together with validation's).
        case read(T, [FieldError])
    }

    /// What a JSON body says: text values by field (`nil` = sent as null), and the adjunct list if sent.
    public struct Fields: Sendable, Equatable {
        public var values: [String: String?] = [:]
        public var adjuncts: [String]?
        public var templateId: String?

        /// Applies the fields over an input's values (a merge patch: absent keys keep theirs).
        public func merged(into base: [String: String]) -> [String: String] {
            var out = base
            for (k, v) in values { out[k] = v }
            return out
        }
    }

    enum Kind { case text, number, flag }

    static let templateTop: [String: Kind] = [
        "name": .text, "isExample": .flag, "modality": .text, "deviceType": .text, "sessionsMin": .number, "sessionsMax": .number,
        "sessionsDefault": .number, "intervalDaysDefault": .number, "intervalDaysMin": .number, "intervalDaysMax": .number,
        "deviceDepthLimitMm": .number, "postCare": .text,
    ]
    static let rfKeys: [String: Kind] = [
        "energyPerPinMJ": .number, "pinCount": .number, "pulseDurationMs": .number, "insulation": .text, "electrode": .text,
    ]
    static let planTop: [String: Kind] = ["sessions": .number, "intervalDays": .number, "rationale": .text]

    public static func readTemplate(_ data: Data) -> Read<Fields> {
        read(data, top: templateTop, nested: [
            "depths": (Dictionary(uniqueKeysWithValues: FacialZone.allCases.map { ($0.rawValue, Kind.number) }), "zone"),
            "rf": (rfKeys, "RF parameter"),
            "sources": (Dictionary(uniqueKeysWithValues: TemplateSourceKey.allCases.map { ($0.rawValue, Kind.text) }), "source key"),
        ], allowsTemplateId: false)
    }

    /// A plan body; `templateId` is allowed (and required by the caller) only when creating.
    public static func readPlan(_ data: Data, creating: Bool) -> Read<Fields> {
        read(data, top: planTop, nested: [
            "depths": (Dictionary(uniqueKeysWithValues: FacialZone.allCases.map { ($0.rawValue, Kind.number) }), "zone"),
        ], allowsTemplateId: creating)
    }

    static func read(_ data: Data, top: [String: Kind], nested: [String: ([String: Kind], String)], allowsTemplateId: Bool) -> Read<Fields> {
        let document: JSONValue
        do { document = try JSONValue.parse(data) } catch { return .unreadable(error.message) }
        guard case .object(let members) = document else { return .unreadable("The body must be a JSON object.") }
        var fields = Fields()
        var errors: [FieldError] = []
        var seen = Set<String>()

        func scalar(_ value: JSONValue, _ kind: Kind, field: String) {
            switch (kind, value) {
            case (_, .null): fields.values[field] = .some(nil)
            case (.text, .string(let s)): fields.values[field] = s
            case (.number, .int(let i)): fields.values[field] = String(i)
            case (.number, .double(let d)): fields.values[field] = String(d)
            case (.flag, .bool(let b)): fields.values[field] = b ? "yes" : "no"
            case (.text, _): errors.append(FieldError(field, "must be a string, got \(value.typeName)"))
            case (.number, _): errors.append(FieldError(field, "must be a number, got \(value.typeName)"))
            case (.flag, _): errors.append(FieldError(field, "must be true or false, got \(value.typeName)"))
            }
        }

        for member in members {
            guard seen.insert(member.key).inserted else {
                errors.append(FieldError(member.key, "is given more than once"))
                continue
            }
            if let kind = top[member.key] {
                scalar(member.value, kind, field: member.key)
            } else if member.key == "adjuncts" {
                switch member.value {
                case .null: fields.adjuncts = []
                case .array(let items):
                    var list: [String] = []
                    for item in items {
                        if case .string(let s) = item { list.append(s) } else {
                            errors.append(FieldError("adjuncts", "must be a list of strings, got \(item.typeName) in it"))
                        }
                    }
                    fields.adjuncts = list
                default: errors.append(FieldError("adjuncts", "must be a list of strings, got \(member.value.typeName)"))
                }
            } else if member.key == "templateId", allowsTemplateId {
                if case .string(let s) = member.value { fields.templateId = s } else {
                    errors.append(FieldError("templateId", "must be a string (the template's id), got \(member.value.typeName)"))
                }
            } else if let entry = nested[member.key] {
                let (keys, what) = entry
                switch member.value {
                case .null:
                    for key in keys.keys { fields.values["\(member.key).\(key)"] = .some(nil) }
                case .object(let inner):
                    for m in inner {
                        let field = "\(member.key).\(m.key)"
                        if let kind = keys[m.key] { scalar(m.value, kind, field: field) } else {
                            errors.append(FieldError(field, "is not a known \(what)"))
                        }
                    }
                default:
                    errors.append(FieldError(member.key, "must be an object, got \(member.value.typeName)"))
                }
            } else {
                errors.append(FieldError(member.key, "is not a known field"))
            }
        }
        return .read(fields, errors)
    }
}
