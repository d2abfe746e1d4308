import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// The per-patient iCalendar feed at an unguessable, revocable URL. The route is open
/// (calendar apps cannot sign in); the 256-bit token is the credential and only its hash is
/// stored. The feed names no treatment: every event reads "Appointment at <clinic>".
struct ICalController {
    let schedule: ScheduleRepository

    init(_ services: AppServices) {
        schedule = services.schedule
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/ical/patient/{token}.ics", .anyone, "A patient's appointments as iCalendar (the token is the credential)", c.patientFeed)
    }

    @Sendable func patientFeed(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let token = context.parameters.get("token"), token.count >= 40, token.count <= 64,
              token.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
              let feed = try await schedule.feed(token: token, clientAddress: context.clientAddress)
        else { throw AppError.notFound }
        let now = context.now
        let events = feed.appointments.map { a in
            ICalEvent(uid: "\(a.id.lower)@scartrack", start: a.startsAt, end: a.endsAt,
                      summary: "Appointment at \(feed.clinicName)", location: feed.clinicName, sequence: a.icalSequence,
                      status: (a.status == .cancelled) ? .cancelled : .confirmed, lastModified: a.updatedAt)
        }
        return Self.response(ICalendar.serialize(name: "Appointments at \(feed.clinicName)", events: events, stamp: now))
    }

    static func response(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
