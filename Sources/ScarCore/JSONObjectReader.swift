import Foundation

/// Reads the fields of one JSON object by name for the command contracts. Every problem
/// becomes a `FieldError` naming the field's path (`isotretinoin.stoppedOn`,
/// `recentProcedures[1].kind`), and all of them are collected so one run reports them all.
/// A key that nothing asked for is an error too: a misspelt `"activeAcne": true` must not be
/// read as "no active acne".
struct JSONObjectReader {
    let path: String
    private let members: [JSONValue.Member]
    private var used: Set<String> = []

    /// Nil (with an error recorded) when `value` is not an object.
    init?(_ value: JSONValue, path: String, errors: inout [FieldError]) {
        guard case .object(let members) = value else {
            errors.append(FieldError(path.isEmpty ? "input" : path, "must be a JSON object, got \(value.typeName)"))
            return nil
        }
        self.path = path
        self.members = members
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value of a key; `null` counts as absent, as a form leaves an empty field out.
    mutating func value(_ key: String) -> JSONValue? {
        used.insert(key)
        guard let member = members.first(where: { $0.key == key }), member.value != .null else { return nil }
        return member.value
    }

    mutating func bool(_ key: String, errors: inout [FieldError]) -> Bool {
        guard let v = value(key) else { return false }
        guard case .bool(let b) = v else {
            errors.append(FieldError(fieldPath(key), "must be true or false, got \(v.typeName)"))
            return false
        }
        return b
    }

    mutating func string(_ key: String, errors: inout [FieldError]) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else {
            errors.append(FieldError(fieldPath(key), "must be a string, got \(v.typeName)"))
            return nil
        }
        return s
    }

    mutating func date(_ key: String, errors: inout [FieldError]) -> CalendarDate? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else {
            errors.append(FieldError(fieldPath(key), "must be a date string YYYY-MM-DD, got \(v.typeName)"))
            return nil
        }
        guard let date = CalendarDate(s) else {
            errors.append(FieldError(fieldPath(key), "must be a real calendar date written YYYY-MM-DD, got \(JSONValue.string(s).rendered)"))
            return nil
        }
        return date
    }

    /// A string that must be one of a closed list (modality, procedure kind, severity...).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type,
                                                             errors: inout [FieldError]) -> T? where T.RawValue == String {
        guard let v = value(key) else { return nil }
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .string(let s) = v, let choice = T(rawValue: s) else {
            errors.append(FieldError(fieldPath(key), "must be one of \(allowed), got \(v.rendered)"))
            return nil
        }
        return choice
    }

    /// A whole number in `range`. `3.0` is accepted (JSON has one number type); `1.5`, `"3"`
    /// and `true` are not.
    mutating func integer(_ key: String, in range: ClosedRange<Int>, expected: String,
                          errors: inout [FieldError]) -> Int? {
        guard let v = value(key) else { return nil }
        let whole: Int? = switch v {
        case .int(let i): i
        case .double(let d) where d == d.rounded() && abs(d) <= 1e15: Int(d)
        default: nil
        }
        guard let whole, range.contains(whole) else {
            let got = if case .int = v { v.rendered } else if case .double = v { v.rendered } else { v.typeName }
            errors.append(FieldError(fieldPath(key), "must be \(expected), got \(got)"))
            return nil
        }
        return whole
    }

    /// A count of scars: a whole number of 0 or more.
    mutating func count(_ key: String, errors: inout [FieldError]) -> Int? {
        integer(key, in: 0...Int.max, expected: "a whole number of 0 or more", errors: &errors)
    }

    /// A finite number ≥ 0 (an area in cm²).
    mutating func nonNegativeNumber(_ key: String, errors: inout [FieldError]) -> Double? {
        guard let v = value(key) else { return nil }
        let number: Double? = switch v {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
        guard let number, number >= 0, number.isFinite else {
            let got = number == nil ? v.typeName : v.rendered
            errors.append(FieldError(fieldPath(key), "must be a number of 0 or more, got \(got)"))
            return nil
        }
        return number
    }

    /// Records an error for every key that no reader call asked for.
    func rejectUnknownKeys(errors: inout [FieldError]) {
        for member in members where !used.contains(member.key) {
            errors.append(FieldError(fieldPath(member.key), "is not a known field"))
        }
    }
}
