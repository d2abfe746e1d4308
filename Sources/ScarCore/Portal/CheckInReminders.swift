import Foundation

/// Reminders to check in after a session, on the clinic's check-in days (`checkInDays`, default
/// 1, 2, 3 and 7): one message per patient, session and day, never two (the outbox's key).
public enum CheckInReminders {
    /// The check-in day today is for a session done on `performedOn`, or nil when today is not one
    /// of the clinic's check-in days or the patient has already checked in today.
    public static func due(performedOn: CalendarDate, today: CalendarDate, days: CheckInDays, checkedIn: [Int]) -> Int? {
        let day = today.daysSinceEpoch - performedOn.daysSinceEpoch
        guard days.days.contains(day), !checkedIn.contains(day) else { return nil }
        return day
    }

    /// The outbox key that makes the reminder one message however often it is planned.
    public static func key(patientId: UUID, sessionId: UUID, day: Int) -> String {
        "check-in-reminder:\(patientId.uuidString.lowercased()):\(sessionId.uuidString.lowercased()):\(day)"
    }

    public static func message(day: Int, clinicName: String, clinicPhone: String, portalURL: String?) -> PortalMessages.Message {
        var lines = ["Hello,", "", "Today is day \(day) after your session at \(clinicName).",
                     "Please tell the clinic how your skin is: redness, swelling, pain, and anything unexpected.",
                     "It takes a minute, under \"After your session\" in the patient portal."]
        if let portalURL { lines += ["", portalURL] }
        lines += ["", "If something worries you, call the clinic\(clinicPhone.isEmpty ? "" : " on \(clinicPhone)"); do not wait for the check-in.",
                  "", clinicPhone.isEmpty ? clinicName : "\(clinicName) · \(clinicPhone)"]
        return PortalMessages.Message(subject: "Day \(day) after your session: your check-in", body: lines.joined(separator: "\n"))
    }
}
