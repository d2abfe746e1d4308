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
        formatters.string(from: date, zone: zone, pattern: pattern)
    }

    /// A calendar day as people write it ("6 Dec 2026").
    static func day(_ d: CalendarDate) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(d.day) \(months[max(0, min(11, d.month - 1))]) \(d.year)"
    }

    static func timestamp(_ date: Date) -> String {
        formatters.string(from: date, zone: TimeZone(identifier: "UTC")!, pattern: "yyyy-MM-dd HH:mm 'UTC'")
    }

    /// One formatter per zone and pattern, made once: making a `DateFormatter` (and its ICU
    /// formatter) for every date shown was a tenth of the patient page's time (issue 16).
    private static let formatters = Formatters()

    private final class Formatters: @unchecked Sendable {
        private let lock = NSLock()
        private var byKey: [String: DateFormatter] = [:]

        func string(from date: Date, zone: TimeZone, pattern: String) -> String {
            lock.lock()
            defer { lock.unlock() }
            let key = zone.identifier + "|" + pattern
            if let formatter = byKey[key] { return formatter.string(from: date) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_GB")
            formatter.timeZone = zone
            formatter.dateFormat = pattern
            if byKey.count >= 64 { byKey.removeAll() }
            byKey[key] = formatter
            return formatter.string(from: date)
        }
    }
}
