import Foundation

extension ProposedAppointment.Kind {
    /// How the calendar, the iCalendar feed and the booking preview name an appointment:
    /// "Session 2", "6-month follow-up".
    public func label(_ number: Int) -> String {
        self == .session ? "Session \(number)" : "\(number)-month follow-up"
    }

    /// The same name at the start of a sentence: "Session 2", "The 6-month follow-up".
    public func subject(_ number: Int) -> String {
        self == .session ? "Session \(number)" : "The \(number)-month follow-up"
    }
}
