import Foundation
import Hummingbird
import Logging
import ScarStore
import ServiceLifecycle

/// The one app builder, used by `scartrack serve` and by every test, so tests run the real
/// middleware stack and routes.
public enum ScarApp {
    public struct Built: Sendable {
        public let application: Application<RouterResponder<AppContext>>
        public let routes: RouteTable
    }

    /// Builds the server over an open, migrated database. The database is shut down when the
    /// application's service group stops (SIGINT/SIGTERM in `serve`).
    public static func build(configuration: AppConfiguration, database: ScarDatabase, logger: Logger) async throws -> Built {
        let views = try await Views.load()
        let services = AppServices(configuration: configuration, database: database, views: views, logger: logger)
        let router = Router(context: AppContext.self)
        // Order matters: headers wrap everything; the session is found before errors are rendered,
        // so error pages still show who is signed in; errors wrap every route.
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: SessionMiddleware(sessions: services.sessions, idleTimeout: configuration.sessionIdleTimeout, views: views))
        router.add(middleware: ErrorMiddleware(views: views))

        let table = RouteTable()
        let routes = Routes(router: router, table: table, limits: configuration)
        HealthRoutes.add(to: routes, services: services)
        DocsRoutes.add(to: routes)
        try StaticRoutes.add(to: routes)
        AuthRoutes.add(to: routes, services: services)
        PatientAPIRoutes.add(to: routes, services: services)
        PatientPageRoutes.add(to: routes, services: services)
        ScreeningAPIRoutes.add(to: routes, services: services)
        ScreeningPageRoutes.add(to: routes, services: services)
        AssessmentRoutes.add(to: routes, services: services)
        OutcomeRoutes.add(to: routes, services: services)
        CourseReportRoute.add(to: routes, services: services)
        StudyRoutes.add(to: routes, services: services)
        PhotoAPIRoutes.add(to: routes, services: services)
        PhotoPageRoutes.add(to: routes, services: services)
        ScheduleAPIRoutes.add(to: routes, services: services)
        SchedulePageRoutes.add(to: routes, services: services)
        ICalRoutes.add(to: routes, services: services)
        PlanRoutes.add(to: routes, services: services)
        AccountRoutes.add(to: routes, services: services)
        TwoFactorRoutes.add(to: routes, services: services)
        StaffAdminRoutes.add(to: routes, services: services)
        AuditPageRoutes.add(to: routes, services: services)
        ChartingAPIRoutes.add(to: routes, services: services)
        ChartingPageRoutes.add(to: routes, services: services)
        AnalyticsRoutes.add(to: routes, services: services)
        OperatorRoutes.add(to: routes, services: services)
        FHIRController.add(to: routes, services: services)

        var application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ScarTrack"),
            logger: logger)
        application.addServices(DatabaseService(database: database))
        if let interval = configuration.outboxIntervalSeconds {
            application.addServices(OutboxService(dispatcher: services.dispatcher, interval: interval, logger: logger))
        }
        return Built(application: application, routes: table)
    }
}

/// Closes the connection pools after the HTTP server has drained (graceful shutdown).
struct DatabaseService: Service {
    let database: ScarDatabase
    func run() async throws {
        try? await gracefulShutdown()
        await database.shutdown()
    }
}
