import Foundation

/// Small, pure checks shared by every form and API payload.
public enum Text {
    /// Trims surrounding white space; returns nil for an empty result so optional fields stay absent.
    public static func trimmed(_ value: String?) -> String? {
        guard let value else { return nil }
        let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// Unicode NFC (canonical composition). "Zoë" typed as `e` + U+0308 (NFD, as some keyboards
    /// and macOS file names produce it) and as U+00EB are canonically the same name; the
    /// database compares bytes, so identifying text is stored and searched in one form.
    public static func nfc(_ value: String) -> String {
        value.precomposedStringWithCanonicalMapping
    }

    /// `trimmed`, then NFC: for names, search terms and other identifying text.
    public static func normalized(_ value: String?) -> String? {
        trimmed(value).map(nfc)
    }

    /// True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30).
    public static func isISODate(_ value: String) -> Bool {
        ISODate(value) != nil
    }

    /// Rejects control characters (other than none at all) in single-line fields: they break CSV
    /// exports and logs and are never typed by a person.
    public static func hasControlCharacters(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}

/// A calendar date `YYYY-MM-DD` with no time zone: dates of birth are days, not instants.
public struct ISODate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              y >= 1, (1...12).contains(m), d >= 1, d <= ISODate.daysIn(month: m, year: y)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: ISODate, b: ISODate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The UTC calendar date of an instant (the clock is always passed in).
    public static func utc(_ instant: Date) -> ISODate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return ISODate(String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!))!
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ISODate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a date YYYY-MM-DD"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
