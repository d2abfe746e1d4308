import Foundation

/// Minutes after local midnight, `start..<end`, e.g. 09:00–17:00 is 540..<1020.
public struct MinuteRange: Sendable, Hashable, Codable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var label: String { "\(Self.clock(start))–\(Self.clock(end))" }

    public static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    /// Reads `HH:MM` (00:00 … 24:00).
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }
}

/// Which kind of resource an appointment holds; none of them may be double booked.
public enum ResourceKind: String, Sendable, Codable, CaseIterable, Hashable {
    case practitioner, room, device
}

/// A time that is already taken for one of the resources a booking needs.
public struct BusyInterval: Sendable, Hashable {
    public var kind: ResourceKind
    public var start: Date
    public var end: Date
    public init(kind: ResourceKind, start: Date, end: Date) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    public func overlaps(_ s: Date, _ e: Date) -> Bool { start < e && s < end }
}

/// Everything placement needs to know about when a booking is possible: the practitioner's
/// weekly hours (ISO weekday 1 = Monday … 7 = Sunday, clinic local time) and absences, the
/// clinic's closing days, and the busy times of the practitioner, room and device.
public struct Availability: Sendable {
    public var timeZone: TimeZone
    public var weeklyHours: [Int: [MinuteRange]]
    public var absences: [DateInterval]
    public var closingDays: Set<CalendarDate>
    public var busy: [BusyInterval]

    public init(timeZone: TimeZone, weeklyHours: [Int: [MinuteRange]], absences: [DateInterval] = [],
                closingDays: Set<CalendarDate> = [], busy: [BusyInterval] = []) {
        self.timeZone = timeZone
        self.weeklyHours = weeklyHours
        self.absences = absences
        self.closingDays = closingDays
        self.busy = busy
    }

    var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    /// The clinic-local calendar day of an instant.
    public func day(of date: Date) -> CalendarDate {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// Minutes after local midnight of an instant.
    public func minuteOfDay(_ date: Date) -> Int {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return c.hour! * 60 + c.minute!
    }

    /// The instant of `minutes` after local midnight on `day` (daylight-saving gaps resolve forwards).
    public func instant(_ day: CalendarDate, minutes: Int) -> Date {
        let midnight = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        return calendar.date(byAdding: .minute, value: minutes, to: midnight)!
    }

    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public static func isoWeekday(_ day: CalendarDate) -> Int {
        // 1970-01-01 was a Thursday (ISO 4).
        let d = (day.daysSinceEpoch + 3) % 7
        return (d < 0 ? d + 7 : d) + 1
    }

    /// Why `start..<end` cannot be booked, or nil when it can.
    public func problem(start: Date, end: Date) -> SlotProblem? {
        let day = self.day(of: start)
        if closingDays.contains(day) { return .closingDay(day) }
        let from = minuteOfDay(start)
        let to = from + Int((end.timeIntervalSince(start) / 60).rounded(.up))
        let ranges = weeklyHours[Self.isoWeekday(day)] ?? []
        guard ranges.contains(where: { $0.start <= from && to <= $0.end }) else { return .outsideWorkingHours }
        if absences.contains(where: { $0.start < end && start < $0.end }) { return .absence }
        for kind in ResourceKind.allCases where busy.contains(where: { $0.kind == kind && $0.overlaps(start, end) }) {
            return .busy(kind)
        }
        return nil
    }
}

/// Why a slot cannot be used, in words the front desk understands.
public enum SlotProblem: Sendable, Hashable {
    case closingDay(CalendarDate)
    case outsideWorkingHours
    case absence
    case busy(ResourceKind)

    public var message: String {
        switch self {
        case .closingDay(let d): "the clinic is closed on \(d)"
        case .outsideWorkingHours: "outside the practitioner's working hours"
        case .absence: "the practitioner is absent"
        case .busy(let kind): "the \(kind.rawValue) is already booked"
        }
    }
}
