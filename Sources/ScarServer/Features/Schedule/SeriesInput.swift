import Foundation
import ScarCore
import ScarStore

/// The parameters of "book a series", from the API (JSON) or the booking form, checked field
/// by field. The plan feature will fill the same input from a plan version.
struct SeriesInput: Sendable {
    var modality: Modality
    var count: Int
    var intervalDays: Int
    var minimumIntervalDays: Int
    var windowDays: Int
    var durationMinutes: Int
    var firstStart: Date
    var practitionerId: UUID
    var roomId: UUID
    var deviceId: UUID?
    var followUpMonths: [Int]
    var planId: UUID?
    var planVersionId: UUID?

    /// Reads text fields (the form and the JSON body both arrive as strings or numbers).
    static func parse(_ field: (String) -> String?, settings: ScheduleSettings, timeZone: TimeZone) -> Result<SeriesInput, SeriesInputErrors> {
        var errors: [FieldError] = []
        func int(_ name: String, _ range: ClosedRange<Int>, default d: Int? = nil) -> Int {
            guard let raw = field(name)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                if let d { return d }
                errors.append(FieldError(name, "is required")); return 0
            }
            guard let v = Int(raw), range.contains(v) else {
                errors.append(FieldError(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")); return 0
            }
            return v
        }
        func uuid(_ name: String, required: Bool) -> UUID? {
            guard let raw = field(name)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                if required { errors.append(FieldError(name, "is required")) }
                return nil
            }
            guard let id = UUID(uuidString: raw) else { errors.append(FieldError(name, "must be a UUID")); return nil }
            return id
        }
        // With a plan, modality, sessions and interval come from its approved version (`SeriesBooker.applyPlan`).
        let planned = !(field("planId") ?? "").isEmpty || !(field("planVersionId") ?? "").isEmpty
        let modalityText = field("modality") ?? (planned ? Modality.microneedling.rawValue : "")
        let modality = Modality(rawValue: modalityText)
        if modality == nil { errors.append(FieldError("modality", "must be microneedling or rf-microneedling")) }
        let count = int("count", 1...24, default: planned ? 1 : nil)
        let minimum = int("minimumIntervalDays", 1...365, default: settings.minimumIntervalDays)
        let interval = int("intervalDays", 1...365, default: planned ? max(minimum, 1) : nil)
        let window = int("windowDays", 0...60, default: settings.windowDays)
        let duration = int("durationMinutes", 5...480, default: settings.minutes(for: modality ?? .microneedling))
        if errors.allSatisfy({ !["intervalDays", "minimumIntervalDays"].contains($0.field) }), interval < minimum {
            errors.append(FieldError("intervalDays", "is shorter than the clinic's minimum interval of \(minimum) days"))
        }
        var start: Date?
        if let raw = field("start"), !raw.isEmpty {
            start = parseInstant(raw, timeZone: timeZone)
            if start == nil { errors.append(FieldError("start", "must be a date and time like 2026-11-23T10:00 (clinic time) or with an offset")) }
        } else if let date = field("date"), let time = field("time"), !date.isEmpty || !time.isEmpty {
            if let day = CalendarDate(date), let minutes = MinuteRange.minutes(time) {
                start = Availability(timeZone: timeZone, weeklyHours: [:]).instant(day, minutes: minutes)
            } else {
                if CalendarDate(date) == nil { errors.append(FieldError("date", "must be a real date written YYYY-MM-DD")) }
                if MinuteRange.minutes(time) == nil { errors.append(FieldError("time", "must be a time written HH:MM")) }
            }
        } else {
            errors.append(FieldError("start", "is required"))
        }
        let practitioner = uuid("practitionerId", required: true)
        let room = uuid("roomId", required: true)
        let device = uuid("deviceId", required: modality == .rfMicroneedling && !planned)
        var months = settings.followUpMonths
        if let raw = field("followUpMonths") {
            if let parsed = FollowUpRule.parse(raw) { months = parsed } else {
                errors.append(FieldError("followUpMonths", "must be a comma-separated list of whole months from 1 to 60, without repeats"))
            }
        }
        let plan = uuid("planId", required: false)
        let planVersion = uuid("planVersionId", required: false)
        guard errors.isEmpty, let modality, let start, let practitioner, let room else { return .failure(SeriesInputErrors(errors: errors)) }
        return .success(SeriesInput(modality: modality, count: count, intervalDays: interval, minimumIntervalDays: minimum, windowDays: window,
                                    durationMinutes: duration, firstStart: start, practitionerId: practitioner, roomId: room, deviceId: device,
                                    followUpMonths: months, planId: plan, planVersionId: planVersion))
    }

    /// ISO 8601 with `Z` or an offset, or a local `YYYY-MM-DDTHH:MM` read in the clinic's zone.
    static func parseInstant(_ raw: String, timeZone: TimeZone) -> Date? {
        if let d = QueryValues.instant(raw) { return d }
        let parts = raw.split(separator: "T", maxSplits: 1).map(String.init)
        guard parts.count == 2, let day = CalendarDate(parts[0]) else { return nil }
        let clock = parts[1].count == 8 && parts[1].hasSuffix(":00") ? String(parts[1].prefix(5)) : parts[1]
        guard let minutes = MinuteRange.minutes(clock) else { return nil }
        return Availability(timeZone: timeZone, weeklyHours: [:]).instant(day, minutes: minutes)
    }

    var request: SeriesRequest {
        SeriesRequest(firstStart: firstStart, durationMinutes: durationMinutes, count: count, intervalDays: intervalDays,
                      minimumIntervalDays: minimumIntervalDays, windowDays: windowDays, followUpMonths: followUpMonths,
                      followUpDurationMinutes: 30)
    }
}

struct SeriesInputErrors: Error {
    var errors: [FieldError]
}

/// Proposing and booking a series, shared by the API and the pages.
enum SeriesBooker {
    /// Booking a plan's series: the plan must be this patient's and approved; the sessions,
    /// interval and modality come from its approved version (whatever the form or body said), the
    /// minimum interval is the larger of the clinic's and the plan template's, and the
    /// appointments carry the plan and the version they follow. Returns field errors.
    static func applyPlan(_ input: inout SeriesInput, patientId: UUID, clinicId: UUID, services: AppServices,
                          actor: AuditActor) async throws -> [FieldError] {
        guard input.planId != nil || input.planVersionId != nil else { return [] }
        let plans = PlanRepository(services.database)
        var plan: TreatmentPlan?
        if let planId = input.planId {
            plan = try? await plans.find(id: planId, clinicId: clinicId, by: actor)
        } else if let versionId = input.planVersionId {
            plan = try await plans.list(patientId: patientId, clinicId: clinicId, by: actor).first { $0.versions.contains { $0.id == versionId } }
        }
        guard let plan, plan.patientId == patientId else { return [FieldError("planId", "is not a treatment plan of this patient")] }
        guard let approved = plan.inForce else { return [FieldError("planId", "has no approved version; approve the plan before booking its series")] }
        if let versionId = input.planVersionId, versionId != approved.id {
            return [FieldError("planVersionId", "is not the plan's approved version (version \(approved.number) is)")]
        }
        let definition = approved.template.definition
        input.planId = plan.id
        input.planVersionId = approved.id
        input.modality = definition.modality
        input.count = approved.content.sessions
        input.intervalDays = approved.content.intervalDays
        let settings = try await services.schedule.settings(clinicId: clinicId)
        input.minimumIntervalDays = max(settings.minimumIntervalDays, definition.intervalDaysMin)
        input.durationMinutes = settings.minutes(for: definition.modality)
        if input.modality == .rfMicroneedling && input.deviceId == nil {
            return [FieldError("deviceId", "is required: the plan is for RF microneedling")]
        }
        return []
    }

    static func checkDevice(_ input: SeriesInput, clinicId: UUID, schedule: ScheduleRepository) async throws -> [FieldError] {
        guard let deviceId = input.deviceId else { return [] }
        guard let device = try await schedule.devices(clinicId: clinicId).first(where: { $0.id == deviceId }) else {
            return [FieldError("deviceId", "is not a device of this clinic")]
        }
        if device.modality != input.modality { return [FieldError("deviceId", "is a \(device.modality.rawValue) device, not \(input.modality.rawValue)")] }
        return []
    }

    static func propose(_ input: SeriesInput, clinicId: UUID, settings: ScheduleSettings, schedule: ScheduleRepository) async throws -> PlacementOutcome {
        var request = input.request
        request.followUpDurationMinutes = settings.followUpMinutes
        let span = TimeInterval((input.count * (input.intervalDays + input.windowDays) + input.windowDays + 400) * 86400)
        let from = input.firstStart.addingTimeInterval(-86400)
        let to = input.firstStart.addingTimeInterval(span)
        let availability = try await schedule.availability(clinicId: clinicId, practitionerId: input.practitionerId, roomId: input.roomId,
                                                           deviceId: input.deviceId, from: from, to: to)
        var followUps = try await schedule.availability(clinicId: clinicId, practitionerId: input.practitionerId, roomId: input.roomId,
                                                        deviceId: nil, from: from, to: to)
        followUps.busy = followUps.busy.filter { $0.kind != .device }
        return SeriesPlacement.place(request, availability: availability, followUpAvailability: followUps)
    }

    static func booking(_ input: SeriesInput, patientId: UUID, items: [ProposedAppointment]) -> SeriesBooking {
        SeriesBooking(patientId: patientId, practitionerId: input.practitionerId, roomId: input.roomId, deviceId: input.deviceId,
                      modality: input.modality, minimumIntervalDays: input.minimumIntervalDays, planId: input.planId,
                      planVersionId: input.planVersionId, items: items)
    }

    /// Turns the store's scheduling refusals into answers that name the resource or field.
    static func appError(_ error: any Error) -> AppError? {
        if let c = error as? ScheduleConflict {
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd HH:mm"
            f.timeZone = TimeZone(identifier: "UTC")
            let detail = "The \(c.kind.rawValue) \(c.resourceName) is already booked from \(f.string(from: c.startsAt)) to "
                + "\(f.string(from: c.endsAt)) UTC."
            return AppError(.conflict, "Double booking refused", detail: detail,
                            fields: [FieldError("\(c.kind.rawValue)Id", "is already booked at that time (\(c.resourceName))")])
        }
        if let r = error as? ScheduleRefusal {
            return AppError(.conflict, "Cannot schedule this", detail: r.message, fields: [FieldError(r.field, r.message)])
        }
        return nil
    }
}
