import Foundation
import ScarCore

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
    /// The registered device (`devices`: label details, serial, service dates) this booking entry is,
    /// so the chart offers it too; nil for an entry made on the booking page only (`DeviceRegistry`).
    public var deviceId: UUID? = nil

    /// Ids are written lower case (`UUID.lower`), as everywhere else.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id.lower, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(modality, forKey: .modality)
        try c.encode(active, forKey: .active)
        try c.encode(version, forKey: .version)
        try c.encode(deviceId?.lower, forKey: .deviceId)
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
