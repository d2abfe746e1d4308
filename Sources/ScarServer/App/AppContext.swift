import Foundation
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// The per-request context: who is signed in (if anyone), how, and where the
/// request came from. The signed-in user's type is checked at compile time everywhere.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP: the socket's peer, or behind a trusted proxy (`SCARTRACK_TRUSTED_PROXIES`)
    /// the address it forwarded (set by `ClientAddressMiddleware`). Throttling and the audit use it.
    public internal(set) var clientAddress: String
    /// Who is signed in, and how (a staff sign-in; "session" means a treatment session).
    public var signedIn: SignInRepository.SignedIn?
    /// This request's id (`X-Request-Id`, set by `RequestLogMiddleware`); it goes into every audit entry.
    public internal(set) var requestId: String?
    /// The token from the cookie or bearer header that found `signedIn`.
    public var signInToken: String?

    /// The patient signed in to the portal (its own cookie), if any. Portal routes take the
    /// patient's identity from here only; staff routes refuse a request that has only this.
    public var signedInPatient: PortalSessionRepository.SignedInPatient?

    /// The instant this request happens at, read once from the clinic clock (`ClockMiddleware`),
    /// so every use case the request calls and every date it shows agree.
    public internal(set) var now = Date()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    public var user: StaffUser? { signedIn?.user }

    /// The signed-in member of staff, for a staff route: its policy has already required one,
    /// so a missing user here is a programming error, not a request to answer.
    var signedInUser: StaffUser {
        guard let user else { preconditionFailure("a staff route ran without a signed-in user") }
        return user
    }

    /// Uploads (photos) raise their own limit per route; everything else is small.
    public var maxUploadSize: Int { 256 * 1024 }

    /// The calendar day at the clinic now.
    public var today: CalendarDate {
        CalendarDate(clinicDayOf: now, in: clinicZone)
    }

    /// The clinic's time zone: the staff member's clinic, else the portal patient's (UTC when signed out).
    public var clinicZone: TimeZone {
        signedIn.flatMap { TimeZone(identifier: $0.clinicTimeZone) }
            ?? signedInPatient.flatMap { TimeZone(identifier: $0.clinic.timeZone) } ?? TimeZone(identifier: "UTC")!
    }

    public var auditActor: AuditActor {
        var actor = user.map { AuditActor(user: $0, clientAddress: clientAddress) }
            ?? AuditActor(clinicId: nil, userId: nil, label: "anonymous", clientAddress: clientAddress)
        actor.requestId = requestId
        return actor
    }
}
