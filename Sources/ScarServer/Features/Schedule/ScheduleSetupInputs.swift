import Foundation
import ScarCore

/// The schedule set-up API's request bodies, read by `JSONRequest` (strict: a wrong type or an
/// unknown key names its field); each checks its values and names every bad field at once.
extension ScheduleSetupAPIController {
    struct RoomInput: Decodable {
        var name: String?

        func validName() throws -> String {
            guard let name = Self.name(name) else { throw AppError.validation([FieldError("name", "is required, at most 80 characters")]) }
            return name
        }

        static func name(_ raw: String?) -> String? {
            let name = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return name.isEmpty || name.count > 80 ? nil : name
        }
    }

    struct DeviceInput: Decodable {
        var name: String?
        var modality: String?

        func valid() throws -> (name: String, modality: Modality) {
            var errors: [FieldError] = []
            let name = RoomInput.name(name)
            if name == nil { errors.append(FieldError("name", "is required, at most 80 characters")) }
            let modality = modality.flatMap(Modality.init(rawValue:))
            if modality == nil { errors.append(FieldError("modality", "must be microneedling or rf-microneedling")) }
            guard let name, let modality else { throw AppError.validation(errors) }
            return (name, modality)
        }
    }

    /// `[{weekday, start, end}]`, weekday 1–7 (Monday first), times written HH:MM with start < end.
    struct HoursInput: Decodable {
        struct Range: Decodable {
            var weekday: Int?
            var start: String?
            var end: String?
        }
        var hours: [Range]?

        func weekly() throws -> [Int: [MinuteRange]] {
            guard let hours else { throw AppError.validation([FieldError("hours", "must be a list of {weekday, start, end}")]) }
            var weekly: [Int: [MinuteRange]] = [:], errors: [FieldError] = []
            for (i, item) in hours.enumerated() {
                guard let day = item.weekday, (1...7).contains(day), let s = item.start.flatMap(MinuteRange.minutes),
                      let e = item.end.flatMap(MinuteRange.minutes), s < e
                else { errors.append(FieldError("hours[\(i)]", "needs weekday 1–7 and start < end written HH:MM")); continue }
                weekly[day, default: []].append(MinuteRange(start: s, end: e))
            }
            if !errors.isEmpty { throw AppError.validation(errors) }
            return weekly
        }
    }

    struct AbsenceInput: Decodable {
        var from: String?
        var to: String?
        var reason: String?

        func valid() throws -> (from: CalendarDate, to: CalendarDate, reason: String?) {
            var errors: [FieldError] = []
            let from = from.flatMap(CalendarDate.init), to = to.flatMap(CalendarDate.init)
            if from == nil { errors.append(FieldError("from", "must be a date written YYYY-MM-DD")) }
            if to == nil { errors.append(FieldError("to", "must be a date written YYYY-MM-DD")) }
            if let from, let to, to < from { errors.append(FieldError("to", "must not be before from")) }
            guard errors.isEmpty, let from, let to else { throw AppError.validation(errors) }
            return (from, to, reason)
        }
    }

    struct ClosingDayInput: Decodable {
        var day: String?
        var reason: String?

        func validDay() throws -> CalendarDate {
            guard let day = day.flatMap(CalendarDate.init) else { throw AppError.validation([FieldError("day", "must be a date written YYYY-MM-DD")]) }
            return day
        }
    }
}
