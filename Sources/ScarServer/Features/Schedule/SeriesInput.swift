import Foundation
import ScarCore
import ScarStore

/// Reads "book a series" from the API (JSON) or the booking form into a `SeriesOrder`, field by
/// field: both arrive as text (`field(name)`), every problem is reported at once. With a plan,
/// sessions, interval and modality may be left out: `BookSeries` takes them from its approved version.
enum SeriesInput {
    static func parse(_ field: @escaping (String) -> String?, settings: ScheduleSettings, timeZone: TimeZone) -> Result<SeriesOrder, SeriesInputErrors> {
        var reader = FieldReader(field: field)
        let planned = !(field("planId") ?? "").isEmpty || !(field("planVersionId") ?? "").isEmpty
        let modality = reader.modality(planned: planned)
        let count = reader.int("count", 1...24, default: planned ? 1 : nil)
        let minimum = reader.int("minimumIntervalDays", 1...365, default: settings.minimumIntervalDays)
        let interval = reader.int("intervalDays", 1...365, default: planned ? max(minimum, 1) : nil)
        let window = reader.int("windowDays", 0...60, default: settings.windowDays)
        let duration = reader.int("durationMinutes", 5...480, default: settings.minutes(for: modality ?? .microneedling))
        if reader.errors.allSatisfy({ !["intervalDays", "minimumIntervalDays"].contains($0.field) }), interval < minimum {
            reader.errors.append(FieldError("intervalDays", "is shorter than the clinic's minimum interval of \(minimum) days"))
        }
        let start = reader.start(timeZone: timeZone)
        let practitioner = reader.uuid("practitionerId", required: true)
        let room = reader.uuid("roomId", required: true)
        let device = reader.uuid("deviceId", required: modality == .rfMicroneedling && !planned)
        let months = reader.followUpMonths(default: settings.followUpMonths)
        let plan = reader.uuid("planId", required: false)
        let planVersion = reader.uuid("planVersionId", required: false)
        guard reader.errors.isEmpty, let modality, let start, let practitioner, let room else {
            return .failure(SeriesInputErrors(errors: reader.errors))
        }
        return .success(SeriesOrder(modality: modality, count: count, intervalDays: interval, minimumIntervalDays: minimum, windowDays: window,
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

    /// One field at a time, collecting the errors.
    struct FieldReader {
        let field: (String) -> String?
        var errors: [FieldError] = []

        mutating func int(_ name: String, _ range: ClosedRange<Int>, default d: Int? = nil) -> Int {
            guard let raw = field(name)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                if let d { return d }
                errors.append(FieldError(name, "is required")); return 0
            }
            guard let v = Int(raw), range.contains(v) else {
                errors.append(FieldError(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")); return 0
            }
            return v
        }

        mutating func uuid(_ name: String, required: Bool) -> UUID? {
            guard let raw = field(name)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                if required { errors.append(FieldError(name, "is required")) }
                return nil
            }
            guard let id = UUID(uuidString: raw) else { errors.append(FieldError(name, "must be a UUID")); return nil }
            return id
        }

        /// A planned series defaults to microneedling until the plan's own modality replaces it.
        mutating func modality(planned: Bool) -> Modality? {
            let modality = Modality(rawValue: field("modality") ?? (planned ? Modality.microneedling.rawValue : ""))
            if modality == nil { errors.append(FieldError("modality", "must be microneedling or rf-microneedling")) }
            return modality
        }

        /// `start` (an instant), or the form's `date` and `time` in the clinic's zone.
        mutating func start(timeZone: TimeZone) -> Date? {
            if let raw = field("start"), !raw.isEmpty {
                let start = SeriesInput.parseInstant(raw, timeZone: timeZone)
                if start == nil { errors.append(FieldError("start", "must be a date and time like 2026-11-23T10:00 (clinic time) or with an offset")) }
                return start
            }
            guard let date = field("date"), let time = field("time"), !date.isEmpty || !time.isEmpty else {
                errors.append(FieldError("start", "is required"))
                return nil
            }
            if let day = CalendarDate(date), let minutes = MinuteRange.minutes(time) {
                return Availability(timeZone: timeZone, weeklyHours: [:]).instant(day, minutes: minutes)
            }
            if CalendarDate(date) == nil { errors.append(FieldError("date", "must be a real date written YYYY-MM-DD")) }
            if MinuteRange.minutes(time) == nil { errors.append(FieldError("time", "must be a time written HH:MM")) }
            return nil
        }

        mutating func followUpMonths(default months: [Int]) -> [Int] {
            guard let raw = field("followUpMonths") else { return months }
            if let parsed = FollowUpRule.parse(raw) { return parsed }
            errors.append(FieldError("followUpMonths", "must be a comma-separated list of whole months from 1 to 60, without repeats"))
            return months
        }
    }
}

struct SeriesInputErrors: Error {
    var errors: [FieldError]
}
