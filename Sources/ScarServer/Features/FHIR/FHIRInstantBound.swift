import Foundation
import ScarStore

/// `_lastUpdated=[eq|lt|le|gt|ge]value`, R4's rules for a date search on an instant: the value
/// (a year, month, day, or a time with its zone, to the minute, second or millisecond) is the
/// range it spans; `eq` = inside it, `lt` = before its start, `le` = before its end, `gt` =
/// from its end on, `ge` = from its start on. Days without a time are UTC days; a day that does
/// not exist (2026-02-30) matches nothing, as `birthdate` and `date` do.
struct FHIRInstantBound: Sendable {
    var comparison: FHIRPatientFilter.Comparison
    var start: Date
    var end: Date
    var never = false

    static func parse(_ raw: String, field: String = "_lastUpdated") throws -> FHIRInstantBound {
        let (comparison, text) = FHIRSearchQuery.prefixed(raw)
        if text.count <= 40, impossibleDay(text) { return FHIRInstantBound(comparison: comparison, start: .distantPast, end: .distantPast, never: true) }
        guard text.count <= 40, let span = range(text) else {
            throw AppError.badRequest("must be a date or an instant with its zone (2026-01-31, 2026-01-31T09:00:00Z), "
                                      + "optionally after eq, lt, le, gt or ge", field: field)
        }
        return FHIRInstantBound(comparison: comparison, start: span.0, end: span.1)
    }

    /// `YYYY-MM-DD…` whose month and day have the right shape but no such day exists.
    static func impossibleDay(_ text: String) -> Bool {
        let day = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard text.count >= 10, day.count == 3, (1...12).contains(day[1]), (1...31).contains(day[2]) else { return false }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard let start = utc.date(from: DateComponents(year: day[0], month: day[1], day: day[2])) else { return true }
        return utc.component(.day, from: start) != day[2]
    }

    /// The instants the text spans: [start, end).
    static func range(_ text: String) -> (Date, Date)? {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let digits = { (s: Substring) in s.allSatisfy { $0.isASCII && $0.isNumber } }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if !text.contains("T"), (1...3).contains(parts.count), parts.enumerated().allSatisfy({ digits($0.element) && $0.element.count == ($0.offset == 0 ? 4 : 2) }) {
            let n = parts.map { Int($0)! }
            let c = DateComponents(year: n[0], month: n.count > 1 ? n[1] : 1, day: n.count > 2 ? n[2] : 1)
            guard let start = utc.date(from: c), utc.component(.month, from: start) == c.month, utc.component(.day, from: start) == c.day else { return nil }
            let unit: Calendar.Component = n.count == 1 ? .year : n.count == 2 ? .month : .day
            return utc.date(byAdding: unit, value: 1, to: start).map { (start, $0) }
        }
        // A time: to the minute (add ":00"), second or millisecond, always with its zone.
        var full = text
        guard text.count >= 17 else { return nil }
        if let t = text.firstIndex(of: "T"), text[t...].filter({ $0 == ":" }).count == (text.hasSuffix("Z") ? 1 : 2) {
            let zoneStart = text.hasSuffix("Z") ? text.index(before: text.endIndex) : text.index(text.endIndex, offsetBy: -6)
            full = String(text[..<zoneStart]) + ":00" + String(text[zoneStart...])
        }
        guard let start = FHIRExportParameters.instant(full) else { return nil }
        let step = full.contains(".") ? 0.001 : text == full ? 1 : 60
        return (start, start.addingTimeInterval(step))
    }

    func matches(_ instant: Date) -> Bool {
        if never { return false }
        return switch comparison {
        case .eq: instant >= start && instant < end
        case .lt: instant < start
        case .le: instant < end
        case .gt: instant >= end
        case .ge: instant >= start
        }
    }

    /// The same test as bounds on a column (all must hold).
    var storeBounds: [(FHIRPatientFilter.Comparison, Date)] {
        // Nothing changed before the year 100.
        if never { return [(.lt, Date(timeIntervalSince1970: -58_000_000_000))] }
        return switch comparison {
        case .eq: [(.ge, start), (.lt, end)]
        case .lt: [(.lt, start)]
        case .le: [(.lt, end)]
        case .gt: [(.ge, end)]
        case .ge: [(.ge, start)]
        }
    }
}
