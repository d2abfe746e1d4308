import Foundation
import ScarCore
import ScarStore

extension Refusal {
    /// A double booking, naming the resource and when it is held (times in UTC).
    public init(_ c: ScheduleConflict) {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        let detail = "The \(c.kind.rawValue) \(c.resourceName) is already booked from \(f.string(from: c.startsAt)) to \(f.string(from: c.endsAt)) UTC."
        self.init(.conflict, "Double booking refused", detail: detail,
                  fields: [FieldError("\(c.kind.rawValue)Id", "is already booked at that time (\(c.resourceName))")])
    }

    /// A move or booking the calendar refuses for another reason (closed day, hours, interval, status).
    public init(_ r: ScheduleRefusal) {
        self.init(.conflict, "Cannot schedule this", detail: r.message, fields: [FieldError(r.field, r.message)])
    }

    /// Runs the calendar's writes, turning their refusals into the clinic's.
    static func mappingSchedule<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let c as ScheduleConflict { throw Refusal(c) } catch let r as ScheduleRefusal { throw Refusal(r) }
    }
}
