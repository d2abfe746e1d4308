import Foundation

/// What to book: the first slot and how the following sessions relate to it. Interval and
/// minimum interval come from the plan or the front desk (the reference reports 1–6 week
/// intervals and asks for a clinic-configured minimum only, §4.1); nothing here is a default.
public struct SeriesRequest: Sendable, Hashable {
    public var firstStart: Date
    public var durationMinutes: Int
    public var count: Int
    public var intervalDays: Int
    /// Never place a session fewer than this many days after the previous one.
    public var minimumIntervalDays: Int
    /// How far (days) a session may move either side of `previous + interval` to find a free slot.
    public var windowDays: Int
    /// Months after the last session at which follow-up visits are booked (empty: none).
    public var followUpMonths: [Int]
    public var followUpDurationMinutes: Int
    public var slotStepMinutes: Int

    public init(firstStart: Date, durationMinutes: Int, count: Int, intervalDays: Int, minimumIntervalDays: Int, windowDays: Int,
                followUpMonths: [Int] = [], followUpDurationMinutes: Int = 30, slotStepMinutes: Int = 15) {
        self.firstStart = firstStart
        self.durationMinutes = durationMinutes
        self.count = count
        self.intervalDays = intervalDays
        self.minimumIntervalDays = minimumIntervalDays
        self.windowDays = windowDays
        self.followUpMonths = followUpMonths
        self.followUpDurationMinutes = followUpDurationMinutes
        self.slotStepMinutes = slotStepMinutes
    }
}

/// One proposed appointment of a series.
public struct ProposedAppointment: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable { case session, followUp = "follow-up" }
    public var kind: Kind
    /// 1-based session number, or the follow-up's month count.
    public var number: Int
    public var start: Date
    public var end: Date
    /// The day the rule aimed at (`previous + interval`, or last session + N months).
    public var targetDay: CalendarDate
    /// Days between the chosen and the target day (negative: earlier).
    public var shiftDays: Int

    public init(kind: Kind, number: Int, start: Date, end: Date, targetDay: CalendarDate, shiftDays: Int) {
        self.kind = kind
        self.number = number
        self.start = start
        self.end = end
        self.targetDay = targetDay
        self.shiftDays = shiftDays
    }
}

public enum PlacementOutcome: Sendable, Hashable {
    case placed([ProposedAppointment])
    /// Which appointment could not be placed and why; `placed` lists those before it.
    case unplaceable(kind: ProposedAppointment.Kind, number: Int, reason: String, placed: [ProposedAppointment])
}

/// Pure placement of a treatment series: no database, no clock.
public enum SeriesPlacement {
    public static func place(_ request: SeriesRequest, availability: Availability, followUpAvailability: Availability? = nil) -> PlacementOutcome {
        var a = availability
        var placed: [ProposedAppointment] = []
        guard request.count >= 1 else { return .placed([]) }
        let duration = TimeInterval(request.durationMinutes * 60)
        let firstEnd = request.firstStart.addingTimeInterval(duration)
        if let problem = a.problem(start: request.firstStart, end: firstEnd) {
            return .unplaceable(kind: .session, number: 1, reason: "The first slot cannot be booked: \(problem.message).", placed: [])
        }
        let firstDay = a.day(of: request.firstStart)
        let preferredMinute = a.minuteOfDay(request.firstStart)
        placed.append(ProposedAppointment(kind: .session, number: 1, start: request.firstStart, end: firstEnd, targetDay: firstDay, shiftDays: 0))
        a.busy += ResourceKind.allCases.map { BusyInterval(kind: $0, start: request.firstStart, end: firstEnd) }
        for number in stride(from: 2, through: request.count, by: 1) {
            let previousDay = a.day(of: placed.last!.start)
            let target = previousDay.adding(days: request.intervalDays)
            let earliest = previousDay.adding(days: request.minimumIntervalDays)
            guard let slot = firstFree(around: target, notBefore: earliest, window: request.windowDays, preferredMinute: preferredMinute,
                                       durationMinutes: request.durationMinutes, step: request.slotStepMinutes, availability: a) else {
                return .unplaceable(kind: .session, number: number,
                                    reason: "No free slot for session \(number) within \(request.windowDays) days of \(target) "
                                        + "(not before \(earliest), the minimum interval of \(request.minimumIntervalDays) days).",
                                    placed: placed)
            }
            let end = slot.addingTimeInterval(duration)
            placed.append(ProposedAppointment(kind: .session, number: number, start: slot, end: end, targetDay: target,
                                              shiftDays: a.day(of: slot).daysSinceEpoch - target.daysSinceEpoch))
            a.busy += ResourceKind.allCases.map { BusyInterval(kind: $0, start: slot, end: end) }
        }
        var f = followUpAvailability ?? a
        f.busy += placed.map { BusyInterval(kind: .practitioner, start: $0.start, end: $0.end) }
        let lastDay = a.day(of: placed.last!.start)
        for months in request.followUpMonths {
            let target = lastDay.adding(months: months)
            guard let slot = firstFree(around: target, notBefore: lastDay.adding(days: 1), window: request.windowDays,
                                       preferredMinute: preferredMinute, durationMinutes: request.followUpDurationMinutes,
                                       step: request.slotStepMinutes, availability: f) else {
                return .unplaceable(kind: .followUp, number: months,
                                    reason: "No free slot for the \(months)-month follow-up within \(request.windowDays) days of \(target).",
                                    placed: placed)
            }
            let end = slot.addingTimeInterval(TimeInterval(request.followUpDurationMinutes * 60))
            placed.append(ProposedAppointment(kind: .followUp, number: months, start: slot, end: end, targetDay: target,
                                              shiftDays: f.day(of: slot).daysSinceEpoch - target.daysSinceEpoch))
            f.busy += ResourceKind.allCases.map { BusyInterval(kind: $0, start: slot, end: end) }
        }
        return .placed(placed)
    }

    /// The first free slot on the day nearest `target` (target, +1, −1, +2, −2 … within
    /// `window` days, never before `notBefore`): the preferred time of day first, then the
    /// earliest free start in the working hours, in `step`-minute steps.
    public static func firstFree(around target: CalendarDate, notBefore: CalendarDate, window: Int, preferredMinute: Int,
                                 durationMinutes: Int, step: Int, availability a: Availability) -> Date? {
        var offsets = [0]
        if window > 0 { for d in 1...window { offsets += [d, -d] } }
        let duration = TimeInterval(durationMinutes * 60)
        for offset in offsets {
            let day = target.adding(days: offset)
            guard day >= notBefore, !a.closingDays.contains(day) else { continue }
            var candidates = [preferredMinute]
            for range in (a.weeklyHours[Availability.isoWeekday(day)] ?? []).sorted(by: { $0.start < $1.start }) {
                var m = range.start
                while m + durationMinutes <= range.end {
                    if m != preferredMinute { candidates.append(m) }
                    m += max(step, 1)
                }
            }
            for minute in candidates {
                let start = a.instant(day, minutes: minute)
                if a.problem(start: start, end: start.addingTimeInterval(duration)) == nil { return start }
            }
        }
        return nil
    }
}
