import Foundation

/// One booked appointment of a series, as the cascade sees it.
public struct SeriesItem: Sendable, Hashable {
    public var id: UUID
    public var kind: ProposedAppointment.Kind
    /// Follow-ups: months after the last session.
    public var followUpMonths: Int?
    public var start: Date
    public var end: Date
    public init(id: UUID, kind: ProposedAppointment.Kind, followUpMonths: Int? = nil, start: Date, end: Date) {
        self.id = id
        self.kind = kind
        self.followUpMonths = followUpMonths
        self.start = start
        self.end = end
    }
}

public enum RescheduleOutcome: Sendable, Hashable {
    /// Every item whose time changes (the moved one first), with its new start and end.
    case moves([SeriesItem])
    case refused(String)
}

/// Moving one session of a series: later sessions keep the minimum interval, and follow-ups
/// keep their months after the last session. Pure; the repository then checks every moved
/// appointment against the calendar in one transaction.
public enum Reschedule {
    public static func cascade(series: [SeriesItem], moving id: UUID, to newStart: Date, minimumIntervalDays: Int,
                               timeZone: TimeZone) -> RescheduleOutcome {
        let a = Availability(timeZone: timeZone, weeklyHours: [:])
        let sessions = series.filter { $0.kind == .session }.sorted { $0.start < $1.start }
        let followUps = series.filter { $0.kind == .followUp }
        guard let moved = series.first(where: { $0.id == id }) else { return .refused("The appointment is not part of this series.") }
        var result: [UUID: SeriesItem] = [:]
        var item = moved
        item.end = newStart.addingTimeInterval(moved.end.timeIntervalSince(moved.start))
        item.start = newStart
        result[id] = item
        guard moved.kind == .session, let index = sessions.firstIndex(where: { $0.id == id }) else {
            return .moves([item])
        }
        if index > 0 {
            let earliest = a.day(of: sessions[index - 1].start).adding(days: minimumIntervalDays)
            if a.day(of: newStart) < earliest {
                return .refused("Session \(index + 1) cannot be earlier than \(earliest): the minimum interval is "
                                + "\(minimumIntervalDays) days after session \(index).")
            }
        }
        var previous = item
        var current = sessions
        current[index] = item
        for i in (index + 1)..<sessions.count {
            let next = sessions[i]
            let earliest = a.day(of: previous.start).adding(days: minimumIntervalDays)
            let nextDay = a.day(of: next.start)
            if nextDay < earliest {
                var shifted = next
                let start = a.instant(earliest, minutes: a.minuteOfDay(next.start))
                shifted.end = start.addingTimeInterval(next.end.timeIntervalSince(next.start))
                shifted.start = start
                result[next.id] = shifted
                current[i] = shifted
                previous = shifted
            } else {
                previous = next
            }
        }
        let lastDay = a.day(of: current.map(\.start).max()!)
        for f in followUps {
            guard let months = f.followUpMonths else { continue }
            let day = lastDay.adding(months: months)
            if a.day(of: f.start) != day {
                var shifted = f
                let start = a.instant(day, minutes: a.minuteOfDay(f.start))
                shifted.end = start.addingTimeInterval(f.end.timeIntervalSince(f.start))
                shifted.start = start
                result[f.id] = shifted
            }
        }
        var ordered = [item]
        ordered += result.values.filter { $0.id != id }.sorted { $0.start < $1.start }
        return .moves(ordered)
    }
}

/// Follow-up visits after the last session. Default 1, 3, 6 and 12 months: the assessment
/// points of Alster & Li 2020 (domain reference §5, [C2]); clinics change the list.
public enum FollowUpRule {
    public static let defaultMonths = [1, 3, 6, 12]
    public static let source = "Alster TS, Li MKY. Plast Reconstr Surg 2020;145(2):358–64 (assessments at 1, 3, 6 and 12 months)"

    public static func days(afterLastSession last: CalendarDate, months: [Int]) -> [CalendarDate] {
        months.sorted().map { last.adding(months: $0) }
    }

    /// Reads a list like `1, 3, 6, 12`: whole months 1…60, no repeats.
    public static func parse(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var months: [Int] = []
        for p in parts {
            guard let m = Int(p), (1...60).contains(m), !months.contains(m) else { return nil }
            months.append(m)
        }
        return months.sorted()
    }
}
