import Foundation

/// "Book a series": the parameters the front desk (or a plan) gives, checked field by field by
/// the adapters that read them, then completed from the plan and booked by `BookSeries`.
public struct SeriesOrder: Sendable, Equatable {
    public var modality: Modality
    public var count: Int
    public var intervalDays: Int
    public var minimumIntervalDays: Int
    public var windowDays: Int
    public var durationMinutes: Int
    public var firstStart: Date
    public var practitionerId: UUID
    public var roomId: UUID
    public var deviceId: UUID?
    public var followUpMonths: [Int]
    public var planId: UUID?
    public var planVersionId: UUID?

    public init(modality: Modality, count: Int, intervalDays: Int, minimumIntervalDays: Int, windowDays: Int, durationMinutes: Int,
                firstStart: Date, practitionerId: UUID, roomId: UUID, deviceId: UUID?, followUpMonths: [Int], planId: UUID?,
                planVersionId: UUID?) {
        self.modality = modality
        self.count = count
        self.intervalDays = intervalDays
        self.minimumIntervalDays = minimumIntervalDays
        self.windowDays = windowDays
        self.durationMinutes = durationMinutes
        self.firstStart = firstStart
        self.practitionerId = practitionerId
        self.roomId = roomId
        self.deviceId = deviceId
        self.followUpMonths = followUpMonths
        self.planId = planId
        self.planVersionId = planVersionId
    }

    /// Whether the order names a plan (its series then follows the plan's approved version).
    public var followsPlan: Bool { planId != nil || planVersionId != nil }

    /// The placement request; follow-ups last the clinic's follow-up duration.
    public func request(followUpMinutes: Int) -> SeriesRequest {
        SeriesRequest(firstStart: firstStart, durationMinutes: durationMinutes, count: count, intervalDays: intervalDays,
                      minimumIntervalDays: minimumIntervalDays, windowDays: windowDays, followUpMonths: followUpMonths,
                      followUpDurationMinutes: followUpMinutes)
    }

    /// How far ahead placement must see the calendar: every session with its window, and a year for follow-ups.
    public var placementSpan: (from: Date, to: Date) {
        let span = TimeInterval((count * (intervalDays + windowDays) + windowDays + 400) * 86400)
        return (firstStart.addingTimeInterval(-86400), firstStart.addingTimeInterval(span))
    }

    /// Booking a plan's series: the plan must be this patient's (`plan` nil otherwise) and approved;
    /// the sessions, interval and modality come from its approved version (whatever the form or
    /// body said), the minimum interval is the larger of the clinic's and the plan template's, the
    /// duration the clinic's for that modality, and the appointments carry the plan and the version
    /// they follow. RF microneedling needs a device. Field errors otherwise.
    public func following(plan: TreatmentPlan?, clinicMinimumIntervalDays: Int,
                          minutes: (Modality) -> Int) -> Result<SeriesOrder, ValidationFailure> {
        guard followsPlan else { return .success(self) }
        guard let plan else { return .failure(ValidationFailure([FieldError("planId", "is not a treatment plan of this patient")])) }
        guard let approved = plan.inForce else {
            return .failure(ValidationFailure([FieldError("planId", "has no approved version; approve the plan before booking its series")]))
        }
        if let versionId = planVersionId, versionId != approved.id {
            return .failure(ValidationFailure([FieldError("planVersionId", "is not the plan's approved version (version \(approved.number) is)")]))
        }
        let definition = approved.template.definition
        var order = self
        order.planId = plan.id
        order.planVersionId = approved.id
        order.modality = definition.modality
        order.count = approved.content.sessions
        order.intervalDays = approved.content.intervalDays
        order.minimumIntervalDays = Self.minimumIntervalDays(clinic: clinicMinimumIntervalDays, template: definition.intervalDaysMin)
        order.durationMinutes = minutes(definition.modality)
        if order.modality == .rfMicroneedling && order.deviceId == nil {
            return .failure(ValidationFailure([FieldError("deviceId", "is required: the plan is for RF microneedling")]))
        }
        return .success(order)
    }

    /// A plan's series keeps the larger of the clinic's and the plan template's minimum interval.
    public static func minimumIntervalDays(clinic: Int, template: Int) -> Int { max(clinic, template) }

    /// The bookable device, when one is named, must be the clinic's and of the order's modality.
    /// `deviceModality`: the modality of the clinic's device with that id, nil when there is none.
    public func deviceProblems(deviceModality: Modality?) -> [FieldError] {
        guard deviceId != nil else { return [] }
        guard let deviceModality else { return [FieldError("deviceId", "is not a device of this clinic")] }
        if deviceModality != modality { return [FieldError("deviceId", "is a \(deviceModality.rawValue) device, not \(modality.rawValue)")] }
        return []
    }
}
