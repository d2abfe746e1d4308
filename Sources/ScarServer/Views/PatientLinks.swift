import Foundation
import ScarCore

/// Addresses of a patient's pages, written the same way by every feature (lower-case ids).
enum PatientLinks {
    static func url(_ id: UUID) -> String { "/patients/\(id.lower)" }

    /// A scar assessment's page (plans link the assessment they were made from).
    static func assessment(_ id: UUID) -> String { "/assessments/\(id.lower)" }
}

/// Times as the pages show them: minutes, UTC, said so.
enum ViewDates {
    /// An instant as the clinic reads it, in its zone ("EEE d MMM yyyy", "HH:mm", ...).
    static func format(_ date: Date, _ zone: TimeZone, _ pattern: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = zone
        f.dateFormat = pattern
        return f.string(from: date)
    }

    /// A calendar day as people write it ("6 Dec 2026").
    static func day(_ d: CalendarDate) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(d.day) \(months[max(0, min(11, d.month - 1))]) \(d.year)"
    }

    static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: date)
    }
}
