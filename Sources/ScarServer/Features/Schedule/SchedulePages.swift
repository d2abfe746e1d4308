import Foundation
import ScarCore
import ScarStore

/// An appointment as the schedule pages, the appointment page and the patient's course list it.
struct AppointmentRow {
    var id: String
    var url: String
    var patientURL: String
    var patientName: String
    var label: String
    var isSession: Bool
    var modality: String
    var date: String
    var isoDate: String
    var time: String
    var endTime: String
    var practitioner: String
    var room: String
    var device: String?
    var status: String
    var isCancelled: Bool
    var isBooked: Bool
    var isCompleted: Bool
    var completedOn: String
    /// Done on another day than booked.
    var doneLate: Bool
    /// The signed chart, once there is one.
    var sessionURL: String?
    var fromPlan: Bool
    var version: Int
    var sequence: Int
    /// The patient has a serious adverse event on record (flagged on the day view, issue 5).
    var serious: Bool

    init(_ a: Appointment, zone: TimeZone, serious: Bool = false) {
        (id, url, patientURL, patientName) = (a.id.lower, "/appointments/\(a.id.lower)", PatientLinks.url(a.patientId), a.patientName)
        (label, isSession, modality) = (ScheduleView.kindLabel(a), a.kind == .session, a.modality.rawValue)
        date = ViewDates.format(a.startsAt, zone, "EEE d MMM yyyy")
        let isoDate = ViewDates.format(a.startsAt, zone, "yyyy-MM-dd")
        self.isoDate = isoDate
        time = ViewDates.format(a.startsAt, zone, "HH:mm")
        endTime = ViewDates.format(a.endsAt, zone, "HH:mm")
        (practitioner, room, device) = (a.practitionerName, a.roomName, a.deviceName)
        (status, isCancelled, isBooked, isCompleted) = (a.status.rawValue, a.status == .cancelled, a.status == .booked, a.status == .completed)
        completedOn = a.completedOn?.description ?? ""
        doneLate = a.completedOn.map { $0 != CalendarDate(isoDate) } ?? false
        sessionURL = a.sessionId.map { "/sessions/\($0.lower)" }
        (fromPlan, version, sequence, self.serious) = (a.planId != nil, a.version, a.icalSequence, serious)
    }
}

/// The `schedule-day` page's view model: one column per room or per practitioner.
struct ScheduleDayPage {
    struct Column {
        var name: String
        var items: [AppointmentRow]
    }

    var day: String
    var dayLabel: String
    var previous: String
    var next: String
    var byRoom: Bool
    var columns: [Column]
    var weekURL: String
}

/// The `schedule-week` page's view model: seven days, optionally for one practitioner.
struct ScheduleWeekPage {
    struct Day {
        var label: String
        var date: String
        var dayURL: String
        var items: [AppointmentRow]
        var isToday: Bool
    }

    struct Practitioner {
        var id: String
        var name: String
        var selected: Bool
    }

    var days: [Day]
    var weekLabel: String
    var previous: String
    var next: String
    var practitioners: [Practitioner]
    var practitionerParam: String
}

/// The `schedule-outbox` page's view model: every patient message with its delivery state.
struct ScheduleOutboxPage {
    struct Message {
        var kind: String
        var recipient: String
        var subject: String
        var body: String
        var source: String?
        var due: String
        var status: String
        var attempts: Int
        var key: String
        var error: String?
        var sentAt: String?

        init(_ m: OutboxMessage, zone: TimeZone) {
            kind = MessageKind(rawValue: m.kind)?.label ?? m.kind
            (recipient, subject, body, source) = (m.recipient, m.subject, m.body, m.source)
            due = ViewDates.format(m.dueAt, zone, "yyyy-MM-dd HH:mm")
            (status, attempts, key, error) = (m.status, m.attempts, m.idempotencyKey, m.lastError)
            sentAt = m.sentAt.map { ViewDates.format($0, zone, "yyyy-MM-dd HH:mm") }
        }
    }

    var messages: [Message]
    var sender: String
}

/// The `schedule-admin` page's view model: rooms, devices, each practitioner's hours, absences,
/// closing days and the settings form.
struct ScheduleAdminPage {
    struct Resource {
        var id: String
        var name: String
        /// Devices only.
        var modality: String?
        var active: Bool
        var version: Int
        /// Devices only: registered with its label details, so the chart offers it too.
        var chartable = false
    }

    struct Practitioner {
        struct Day {
            var day: Int
            var name: String
            var start: String
            var end: String
        }

        var id: String
        var name: String
        var hoursVersion: String
        var days: [Day]
        var summary: String
    }

    struct Absence { var name: String; var from: String; var to: String; var reason: String }
    struct ClosingDay { var day: String; var reason: String }

    var message: String?
    var rooms: [Resource]
    var devices: [Resource]
    var practitioners: [Practitioner]
    var absences: [Absence]
    var closingDays: [ClosingDay]
    var settingsForm: ScheduleSettingsForm
}
