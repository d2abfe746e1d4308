import Foundation

/// A calendar day written `YYYY-MM-DD`, with no time zone. Screening windows ("14 days after
/// the peel") are counted in whole days, so `Date` + `TimeZone` arithmetic (daylight-saving
/// shifts, midnight in which zone?) would only add ways to be off by one.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Years outside 1...9999 do not fit the four-digit format, so they are refused.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// Strict `YYYY-MM-DD`: exactly ten ASCII characters and a day that exists (no 2026-02-30).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for b in bytes[range] {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`, written into one string (years are 1...9999, so always four digits): an
    /// export writes several for every resource.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { out in
            write(into: out, at: 0)
            return 10
        }
    }

    /// The ten bytes of `description` at `offset` in `out` (room for them is the caller's).
    public func write(into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        CalendarDate.digits(year, 4, into: out, at: offset)
        out[offset + 4] = 0x2D
        CalendarDate.digits(month, 2, into: out, at: offset + 5)
        out[offset + 7] = 0x2D
        CalendarDate.digits(day, 2, into: out, at: offset + 8)
    }

    /// `value` (0 ≤ value < 10^width) in exactly `width` decimal digits, zeros first.
    public static func digits(_ value: Int, _ width: Int, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var v = value
        for i in stride(from: offset + width - 1, through: offset, by: -1) {
            out[i] = 0x30 + UInt8(v % 10)
            v /= 10
        }
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's `days_from_civil`).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `daysSinceEpoch` (`civil_from_days`). Nil outside years 1...9999.
    public init?(daysSinceEpoch: Int) {
        // Years 1...9999 lie well inside this range; the bound also keeps the arithmetic below
        // from overflowing on absurd input.
        guard (-800_000...3_000_000).contains(daysSinceEpoch) else { return nil }
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.init(year: y, month: m, day: d)
    }

    /// `self` plus `days` (may be negative). Clamped to 9999-12-31 / 0001-01-01 so an absurd
    /// window never crashes the screening; real windows are weeks or months.
    public func adding(days: Int) -> CalendarDate {
        let (target, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        if let date = overflow ? nil : CalendarDate(daysSinceEpoch: target) { return date }
        return (overflow ? days > 0 : target > daysSinceEpoch) ? .latest : .earliest
    }

    /// `self` plus whole calendar months. The day is clamped to the end of a shorter month
    /// (31 August + 6 months = 28 or 29 February): "six months after" never skips a month.
    public func adding(months: Int) -> CalendarDate {
        let (total, overflow) = (year * 12 + (month - 1)).addingReportingOverflow(months)
        guard !overflow else { return months > 0 ? .latest : .earliest }
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        guard y >= 1 else { return .earliest }
        guard y <= 9999 else { return .latest }
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y)))!
    }

    public static let earliest = CalendarDate(year: 1, month: 1, day: 1)!
    public static let latest = CalendarDate(year: 9999, month: 12, day: 31)!

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "must be a real calendar date written YYYY-MM-DD"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension CalendarDate {
    /// The UTC calendar day of an instant (the clock is always passed in).
    public static func utc(_ instant: Date) -> CalendarDate {
        CalendarDate(clinicDayOf: instant, in: TimeZone(identifier: "UTC")!)
    }

    /// The calendar day an instant falls on in a zone: "today" at a clinic is its own day, not UTC's.
    public init(clinicDayOf instant: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        self = CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
