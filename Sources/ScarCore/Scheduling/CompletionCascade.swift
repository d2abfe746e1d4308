import Foundation

/// The completion cascade: a session done on another day than booked moves the rest of its
/// series as a reschedule from the real day would (later sessions keep the minimum interval,
/// follow-ups keep their months after the last session). Pure; the store then checks each
/// move against the calendar and, when one is refused, moves nothing.
public enum CompletionCascade {
    public enum Outcome: Sendable, Hashable {
        /// Done on the day booked: nothing moves.
        case onTheDay
        /// The later appointments to move (possibly none), with their new times.
        case moves([SeriesItem])
        /// Why the series cannot follow (shown as the completion's note).
        case refused(String)
    }

    /// `completed`: the series item of the appointment the signed session completed;
    /// `series`: its open appointments (including it).
    public static func decide(series: [SeriesItem], completed id: UUID, performedOn: CalendarDate, minimumIntervalDays: Int,
                              timeZone: TimeZone) -> Outcome {
        let calendar = Availability(timeZone: timeZone, weeklyHours: [:])
        guard let target = series.first(where: { $0.id == id }) else { return .refused("The appointment is not part of this series.") }
        guard calendar.day(of: target.start) != performedOn else { return .onTheDay }
        // The completed appointment is taken as held at its booked time of day on the day it was done.
        let actualStart = calendar.instant(performedOn, minutes: calendar.minuteOfDay(target.start))
        let items = series.map { a -> SeriesItem in
            guard a.id == id else { return a }
            var item = a
            item.end = actualStart.addingTimeInterval(a.end.timeIntervalSince(a.start))
            item.start = actualStart
            return item
        }
        switch Reschedule.cascade(series: items, moving: id, to: actualStart, minimumIntervalDays: minimumIntervalDays, timeZone: timeZone) {
        case .refused(let reason): return .refused("The series was not moved: \(reason)")
        case .moves(let moves): return .moves(moves.filter { $0.id != id })
        }
    }
}
