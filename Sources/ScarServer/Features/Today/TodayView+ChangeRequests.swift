import Foundation
import ScarCore
import ScarStore

/// The day home's "Requests from patients": what a patient asked in the portal (change or cancel
/// an appointment), for front desk to accept (through the schedule) or decline with a message.
extension TodayPage {
    struct ChangeRequestRow {
        var id: String
        var patientName: String
        var patientURL: String
        var appointment: String
        var appointmentURL: String
        var isCancel: Bool
        var ask: String
        /// The patient's reason, when they gave one.
        var reason: String?
        var sent: String
        var acceptURL: String
        var declineURL: String
        var date: String
        var time: String
    }
}

extension TodayView {
    static func changeRequest(_ r: ChangeRequest, zone: TimeZone, today: CalendarDate) -> TodayPage.ChangeRequestRow {
        let startsAt = r.appointmentStartsAt ?? r.createdAt
        return .init(
            id: r.id.lower, patientName: r.patientName, patientURL: "/patients/\(r.patientId.lower)",
            appointment: "\(r.appointmentLabel), \(ViewDates.format(startsAt, zone, "EEE d MMM yyyy HH:mm"))",
            appointmentURL: "/appointments/\(r.appointmentId.lower)",
            isCancel: r.kind == .cancel, ask: r.kind == .cancel ? "asks to cancel" : "asks to change the time",
            reason: r.reason.isEmpty ? nil : r.reason, sent: ViewDates.format(r.createdAt, zone, "EEE d MMM HH:mm"),
            acceptURL: "/change-requests/\(r.id.lower)/accept", declineURL: "/change-requests/\(r.id.lower)/decline",
            date: ViewDates.format(startsAt, zone, "yyyy-MM-dd"), time: ViewDates.format(startsAt, zone, "HH:mm"))
    }
}
