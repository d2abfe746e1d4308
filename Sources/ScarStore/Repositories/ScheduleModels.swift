import Foundation
import ScarCore

/// The clinic's schedule settings. Durations default to 60 minutes for a procedure (the upper
/// end of "about 30–60 min", domain reference S2) and 30 for a follow-up visit (its lower end);
/// the minimum interval defaults to 7 days, the shortest interval reported in the literature
/// (§4.1: "intervals run from 1 week to 6 weeks"; warn only below a clinic-configured minimum).
/// The placement window is an operational tolerance, not a clinical value.
public struct ScheduleSettings: Sendable, Equatable {
    public var microneedlingMinutes: Int
    public var rfMicroneedlingMinutes: Int
    public var followUpMinutes: Int
    public var minimumIntervalDays: Int
    public var windowDays: Int
    public var followUpMonths: [Int]
    public var reminders: ReminderSettings
    public var version: Int

    public static let defaults = ScheduleSettings(
        microneedlingMinutes: 60, rfMicroneedlingMinutes: 60, followUpMinutes: 30, minimumIntervalDays: 7, windowDays: 7,
        followUpMonths: FollowUpRule.defaultMonths, reminders: ReminderSettings(), version: 0)

    public static let durationSource = "Common clinic practice: a procedure takes about 30–60 minutes depending on the area"
    public static let intervalSource = "Intervals in the literature run from 1 week to 6 weeks (Harris, Naidoo & Murrell, Int J Womens Dermatol 2015); ScarTrack warns only below the clinic's minimum"

    public func minutes(for modality: Modality) -> Int {
        modality == .rfMicroneedling ? rfMicroneedlingMinutes : microneedlingMinutes
    }

    public init(microneedlingMinutes: Int, rfMicroneedlingMinutes: Int, followUpMinutes: Int, minimumIntervalDays: Int, windowDays: Int,
                followUpMonths: [Int], reminders: ReminderSettings, version: Int) {
        self.microneedlingMinutes = microneedlingMinutes
        self.rfMicroneedlingMinutes = rfMicroneedlingMinutes
        self.followUpMinutes = followUpMinutes
        self.minimumIntervalDays = minimumIntervalDays
        self.windowDays = windowDays
        self.followUpMonths = followUpMonths
        self.reminders = reminders
        self.version = version
    }
}

public struct Room: Sendable, Equatable, Codable {
    public var id: UUID
    public var name: String
    public var active: Bool
    public var version: Int = 1

    /// Ids are written lower case (`UUID.lower`), as everywhere else.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id.lower, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(active, forKey: .active)
        try c.encode(version, forKey: .version)
    }
}

public struct BookableDevice: Sendable, Equatable, Codable {
    public var id: UUID
    public var name: String
    public var modality: Modality
    public var active: Bool
    public var version: Int = 1

    /// Ids are written lower case (`UUID.lower`), as everywhere else.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id.lower, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(modality, forKey: .modality)
        try c.encode(active, forKey: .active)
        try c.encode(version, forKey: .version)
    }
}

public struct Absence: Sendable, Equatable {
    public var id: UUID
    public var staffId: UUID
    public var staffName: String
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var reason: String?
}

public struct ClosingDay: Sendable, Equatable {
    public var day: CalendarDate
    public var reason: String?
}

public struct Appointment: Sendable, Equatable {
    public var id: UUID
    public var clinicId: UUID
    public var patientId: UUID
    public var seriesId: UUID
    public var kind: ProposedAppointment.Kind
    /// Session number, or the follow-up's months after the last session.
    public var number: Int
    public var modality: Modality
    public var practitionerId: UUID
    public var roomId: UUID
    public var deviceId: UUID?
    public var startsAt: Date
    public var endsAt: Date
    public var status: AppointmentStatus
    public var minimumIntervalDays: Int
    public var planId: UUID?
    public var planVersionId: UUID?
    public var icalSequence: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    // Display names, filled by the list queries.
    public var patientName: String = ""
    public var practitionerName: String = ""
    public var roomName: String = ""
    public var deviceName: String?

    /// Set when a signed session completed this appointment: when, the day it was done, and the session.
    public var completedAt: Date?
    public var completedOn: CalendarDate?
    public var sessionId: UUID?

    public var seriesItem: SeriesItem {
        SeriesItem(id: id, kind: kind, followUpMonths: kind == .followUp ? number : nil, start: startsAt, end: endsAt)
    }
}

/// A confirmed series to book. Items come from `SeriesPlacement.place`; the repository checks
/// each again against the calendar inside the booking transaction.
public struct SeriesBooking: Sendable {
    public var patientId: UUID
    public var practitionerId: UUID
    public var roomId: UUID
    public var deviceId: UUID?
    public var modality: Modality
    public var minimumIntervalDays: Int
    public var planId: UUID?
    public var planVersionId: UUID?
    public var items: [ProposedAppointment]

    public init(patientId: UUID, practitionerId: UUID, roomId: UUID, deviceId: UUID?, modality: Modality, minimumIntervalDays: Int,
                planId: UUID? = nil, planVersionId: UUID? = nil, items: [ProposedAppointment]) {
        self.patientId = patientId
        self.practitionerId = practitionerId
        self.roomId = roomId
        self.deviceId = deviceId
        self.modality = modality
        self.minimumIntervalDays = minimumIntervalDays
        self.planId = planId
        self.planVersionId = planVersionId
        self.items = items
    }
}

/// A booking would overlap an appointment that already holds this resource.
public struct ScheduleConflict: Error, Sendable, Equatable {
    public var kind: ResourceKind
    public var resourceName: String
    public var appointmentId: UUID?
    public var startsAt: Date
    public var endsAt: Date
}

/// A scheduling request the calendar refuses for a reason other than a conflict (closed day,
/// outside working hours, interval rule), with the field it concerns.
public struct ScheduleRefusal: Error, Sendable, Equatable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

public struct OutboxMessage: Sendable, Equatable {
    public var id: UUID
    public var clinicId: UUID
    public var patientId: UUID
    public var appointmentId: UUID?
    public var kind: String
    public var recipient: String
    public var subject: String
    public var body: String
    public var source: String?
    public var dueAt: Date
    public var status: String
    public var idempotencyKey: String
    public var attempts: Int
    public var sentAt: Date?
    public var lastError: String?
}
