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
        let router = makeRouter(services)

        let table = RouteTable()
        let routes = Routes(router: router, table: table, limits: configuration)
        HealthRoutes.add(to: routes, services: services)
        DocsRoutes.add(to: routes)
        try StaticRoutes.add(to: routes)
        AuthAPIController.add(to: routes, services: services)
        SignInPageController.add(to: routes, services: services)
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
        AccountController.add(to: routes, services: services)
        TwoFactorController.add(to: routes, services: services)
        StaffAdminController.add(to: routes, services: services)
        AuditPageController.add(to: routes, services: services)
        ChartingAPIRoutes.add(to: routes, services: services)
        ChartingPageRoutes.add(to: routes, services: services)
        AnalyticsController.add(to: routes, services: services)
        OperatorController.add(to: routes, services: services)

        return Built(application: application(router, services), routes: table)
    }

    /// The router with its middleware. Order matters: headers wrap everything; the session is
    /// found before errors are rendered, so error pages still show who is signed in; errors wrap
    /// every route.
    static func makeRouter(_ services: AppServices) -> Router<AppContext> {
        let router = Router(context: AppContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: SessionMiddleware(sessions: services.sessions, idleTimeout: services.configuration.sessionIdleTimeout,
                                                 views: services.views))
        router.add(middleware: ErrorMiddleware(views: services.views))
        return router
    }

    /// The HTTP server plus the services that run beside it: the database closer and, when
    /// configured, the outbox sender.
    static func application(_ router: Router<AppContext>, _ services: AppServices) -> Application<RouterResponder<AppContext>> {
        let configuration = services.configuration
        var application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ScarTrack"),
            logger: services.logger)
        application.addServices(DatabaseService(database: services.database))
        if let interval = configuration.outboxIntervalSeconds {
            application.addServices(OutboxService(dispatcher: services.dispatcher, interval: interval, logger: services.logger))
        }
        return application
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
