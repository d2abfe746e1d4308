import Foundation
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/`: the clinic's day, where clinical staff land after sign-in. Researchers and blinded
/// raters, who see no identified records, get a short welcome instead.
struct TodayController {
    let readDay: ReadClinicDay
    let views: Views

    init(_ services: AppServices) {
        readDay = ReadClinicDay(services.database)
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/", .allStaff, "The clinic's day (start page)", c.today)
    }

    @Sendable func today(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let user = context.user, AccessPolicy.clinicalStaff.allows(user.role) else {
            return views.render(.home, title: "Start", page: HomePage(), context: context)
        }
        let zone = TimeZone(identifier: context.signedIn?.clinicTimeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
        let day = try await readDay(by: context.clinician, timeZone: zone, actor: context.auditActor, now: context.now)
        let page = TodayView.page(day, role: user.role, zone: zone, passwordSet: request.uri.queryParameters.get("password") == "set",
                                  finishSetUp: user.role == .admin && context.signedIn?.clinic?.isComplete == false)
        return views.render(.today, title: "Today", section: "today", page: page, context: context)
    }
}

/// The `home` page (a welcome for researchers and blinded raters) reads only the layout's names.
struct HomePage {}
