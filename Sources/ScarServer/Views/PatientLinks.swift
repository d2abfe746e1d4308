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
    static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: date)
    }
}
