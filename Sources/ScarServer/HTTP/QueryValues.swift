import Foundation
import ScarCore

/// Query values read as `/openapi.json` types them (issue 11, item 10): a parameter that is
/// present must be valid as written. An empty or padded value is not read as "absent" the
/// way the pages' forms read it, and lengths are counted as JSON Schema counts them (code
/// points). Each refusal names its parameter.
enum QueryValues {
    /// The value of a present parameter that is empty or has white space around it.
    static func isBlankOrPadded(_ value: String?) -> Bool {
        guard let value else { return false }
        return value.isEmpty || Text.trimmed(value) != value
    }

    /// A length as JSON Schema's `maxLength` counts it.
    static func length(_ value: String) -> Int { value.unicodeScalars.count }

    /// A present parameter that must be one of `allowed`; nil when absent.
    static func oneOf(_ value: String?, _ name: String, _ allowed: [String]) throws -> String? {
        guard let value else { return nil }
        guard allowed.contains(value) else {
            throw AppError.badRequest("must be one of \(allowed.joined(separator: ", "))", field: name)
        }
        return value
    }
}

extension QueryValues {
    /// An RFC 3339 `date-time`, as `format: date-time` in the document means it: fractional
    /// seconds of any length and lower-case `t`/`z` included (ISO8601DateFormatter alone
    /// refuses both).
    static func instant(_ raw: String) -> Date? {
        var text = raw.uppercased()
        var fraction = 0.0
        if let r = text.range(of: #"\.[0-9]+"#, options: .regularExpression) {
            fraction = Double("0" + text[r]) ?? 0
            text.removeSubrange(r)
        }
        return ISO8601DateFormatter().date(from: text)?.addingTimeInterval(fraction)
    }
}
