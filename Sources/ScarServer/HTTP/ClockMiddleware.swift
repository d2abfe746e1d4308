import Foundation
import Hummingbird
import ScarCore

/// Reads the clinic clock once per request into `AppContext.now`; routes pass that instant to
/// the use cases they call, so a test harness with a pinned clock pins the whole request.
struct ClockMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let clock: ClinicClock

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        context.now = clock.now()
        return try await next(request, context)
    }
}
