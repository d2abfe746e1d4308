import Foundation
import ScarCore
import ScarStore

/// Booking a series: one write transaction that holds the clinic's calendar, completes the
/// order from the patient's approved plan (`SeriesOrder.following`), checks the device, places
/// the series with ScarCore (`SeriesPlacement`) unless the desk confirmed the dates already,
/// books every appointment or none (each checked against the calendar) and audits
/// `appointment.book` once. Two desks booking the same slot get one series and one refusal.
public struct BookSeries: Sendable {
    public enum Dates: Sendable {
        /// Place the series now, from the order (the API).
        case place
        /// Book exactly these dates, as the desk confirmed them from a preview (the booking form).
        case confirmed([ProposedAppointment])
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The booked appointments. Refusals: invalid (plan or device fields), conflict (double booking
    /// naming the resource, a slot the calendar refuses, or a series that cannot be placed).
    public func callAsFunction(_ order: SeriesOrder, patientId: UUID, dates: Dates, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> [Appointment] {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            try await tx.lockCalendar(clinicId: clinicId)
            let settings = try await tx.scheduleSettings(clinicId: clinicId)
            let order = try await SeriesPlanning.complete(order, patientId: patientId, clinicId: clinicId, settings: settings, in: tx)
            let items: [ProposedAppointment]
            switch dates {
            case .confirmed(let confirmed): items = confirmed
            case .place: items = try await Self.place(order, clinicId: clinicId, settings: settings, in: tx)
            }
            let booking = SeriesBooking(patientId: patientId, practitionerId: order.practitionerId, roomId: order.roomId, deviceId: order.deviceId,
                                        modality: order.modality, minimumIntervalDays: order.minimumIntervalDays, planId: order.planId,
                                        planVersionId: order.planVersionId, items: items)
            let booked = try await Refusal.mappingSchedule { try await tx.insertSeries(booking, clinicId: clinicId, createdBy: actor.userId, now: now) }
            try await tx.audit(AuditEvent(action: "appointment.book", recordType: "appointment_series", recordId: booked.first?.seriesId.uuidString,
                                          patientId: patientId, details: ["count": String(booked.count), "modality": order.modality.rawValue]),
                               by: actor, now: now)
            return booked
        })
    }

    /// A taken first slot is refused as the double booking it is, naming the resource; then the
    /// series is placed, and a series that cannot be placed is refused with the reason.
    static func place(_ order: SeriesOrder, clinicId: UUID, settings: ScheduleSettings, in tx: UnitOfWork) async throws -> [ProposedAppointment] {
        let end = order.firstStart.addingTimeInterval(TimeInterval(order.durationMinutes * 60))
        if let clash = try await tx.conflict(clinicId: clinicId, practitionerId: order.practitionerId, roomId: order.roomId,
                                             deviceId: order.deviceId, start: order.firstStart, end: end) {
            throw Refusal(clash)
        }
        switch try await SeriesPlanning.propose(order, clinicId: clinicId, settings: settings, in: tx) {
        case .placed(let items): return items
        case .unplaceable(_, _, let reason, _):
            throw Refusal(.conflict, "The series cannot be placed", detail: reason, fields: [FieldError("start", reason)])
        }
    }
}

/// Proposing the dates of a series (nothing is booked): the order completed from the plan and
/// placed against the calendar, on one read.
public struct ProposeSeries: Sendable {
    public struct Proposal: Sendable {
        /// The order as completed from the plan (sessions, interval, modality fixed by it).
        public var order: SeriesOrder
        public var outcome: PlacementOutcome
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ order: SeriesOrder, patientId: UUID, by clinician: Clinician) async throws -> Proposal {
        try await database.read(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let settings = try await tx.scheduleSettings(clinicId: clinicId)
            let order = try await SeriesPlanning.complete(order, patientId: patientId, clinicId: clinicId, settings: settings, in: tx)
            return Proposal(order: order, outcome: try await SeriesPlanning.propose(order, clinicId: clinicId, settings: settings, in: tx))
        })
    }
}

/// The reads a series order is completed and placed with, shared by booking and proposing.
enum SeriesPlanning {
    /// The order completed from the patient's plan (if it names one) and its device checked;
    /// a `Refusal` (invalid) naming the plan or device field otherwise.
    static func complete(_ order: SeriesOrder, patientId: UUID, clinicId: UUID, settings: ScheduleSettings,
                         in tx: UnitOfWork) async throws -> SeriesOrder {
        var plan: TreatmentPlan?
        if let planId = order.planId {
            plan = try await tx.plan(id: planId, patientId: patientId, clinicId: clinicId)
        } else if let versionId = order.planVersionId,
                  let planId = try await tx.planId(ofVersion: versionId, patientId: patientId, clinicId: clinicId) {
            plan = try await tx.plan(id: planId, patientId: patientId, clinicId: clinicId)
        }
        let completed: SeriesOrder
        switch order.following(plan: plan, clinicMinimumIntervalDays: settings.minimumIntervalDays, minutes: settings.minutes(for:)) {
        case .failure(let f): throw Refusal.invalid(f.errors)
        case .success(let o): completed = o
        }
        let deviceModality = try await tx.bookableDevices(clinicId: clinicId).first { $0.id == completed.deviceId }?.modality
        let problems = completed.deviceProblems(deviceModality: deviceModality)
        if !problems.isEmpty { throw Refusal.invalid(problems) }
        return completed
    }

    /// Places the series: sessions need the practitioner, room and device free; follow-ups only
    /// the practitioner and room.
    static func propose(_ order: SeriesOrder, clinicId: UUID, settings: ScheduleSettings, in tx: UnitOfWork) async throws -> PlacementOutcome {
        let (from, to) = order.placementSpan
        let availability = try await tx.availability(clinicId: clinicId, practitionerId: order.practitionerId, roomId: order.roomId,
                                                     deviceId: order.deviceId, from: from, to: to)
        var followUps = try await tx.availability(clinicId: clinicId, practitionerId: order.practitionerId, roomId: order.roomId,
                                                  deviceId: nil, from: from, to: to)
        followUps.busy = followUps.busy.filter { $0.kind != .device }
        return SeriesPlacement.place(order.request(followUpMinutes: settings.followUpMinutes), availability: availability,
                                     followUpAvailability: followUps)
    }
}
