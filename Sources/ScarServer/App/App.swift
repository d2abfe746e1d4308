import Foundation
import Hummingbird
import Logging
import Prometheus
import ScarClinic
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
    /// `metrics` is the registry `/metrics` shows; `serve` bootstraps swift-metrics with the same one
    /// (`ScarApp.metricsFactory`), so Hummingbird's request metrics land in it.
    public static func build(configuration: AppConfiguration, database: ScarDatabase, logger: Logger,
                             metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) async throws -> Built {
        let views = try await Views.load()
        var services = AppServices(configuration: configuration, database: database, views: views, logger: logger)
        services.patientPageCards = PatientPageCards.registered
        let router = makeRouter(services)

        let table = RouteTable()
        let routes = Routes(router: router, table: table, limits: configuration)
        HealthController.add(to: routes, services: services)
        MetricsController.add(to: routes, services: services, registry: metrics)
        DocsRoutes.add(to: routes)
        try StaticRoutes.add(to: routes)
        AuthAPIController.add(to: routes, services: services)
        SignInPageController.add(to: routes, services: services)
        TodayController.add(to: routes, services: services)
        ClinicSettingsController.add(to: routes, services: services)
        ClinicSetUpController.add(to: routes, services: services)
        ClinicLogoController.add(to: routes, services: services)
        PatientAPIController.add(to: routes, services: services)
        PatientPageController.add(to: routes, services: services)
        ScreeningAPIController.add(to: routes, services: services)
        ScreeningPageController.add(to: routes, services: services)
        AssessmentAPIController.add(to: routes, services: services)
        AssessmentPageController.add(to: routes, services: services)
        AssessmentListPageController.add(to: routes, services: services)
        OutcomeController.add(to: routes, services: services)
        CourseReportController.add(to: routes, services: services)
        StudyAPIController.add(to: routes, services: services)
        StudyPageController.add(to: routes, services: services)
        PhotoAPIController.add(to: routes, services: services)
        PhotoPageController.add(to: routes, services: services)
        PhotoListPageController.add(to: routes, services: services)
        ScheduleAPIRoutes.add(to: routes, services: services)
        SchedulePageRoutes.add(to: routes, services: services)
        ICalController.add(to: routes, services: services)
        ProtocolTemplateAPIController.add(to: routes, services: services)
        PlanAPIController.add(to: routes, services: services)
        ProtocolTemplatePageController.add(to: routes, services: services)
        PlanPageController.add(to: routes, services: services)
        AccountController.add(to: routes, services: services)
        TwoFactorController.add(to: routes, services: services)
        StaffAdminController.add(to: routes, services: services)
        ImportPageController.add(to: routes, services: services)
        ImportAPIController.add(to: routes, services: services)
        AuditPageController.add(to: routes, services: services)
        ChartingAPIRoutes.add(to: routes, services: services)
        ChartingPageRoutes.add(to: routes, services: services)
        AnalyticsController.add(to: routes, services: services)
        OperatorController.add(to: routes, services: services)
        PortalSignInController.add(to: routes, services: services)
        PortalAuthAPIController.add(to: routes, services: services)
        PortalInvitationController.add(to: routes, services: services)
        PortalHomeController.add(to: routes, services: services)
        PortalBeforeVisitController.add(to: routes, services: services)
        PortalAftercareController.add(to: routes, services: services)
        PortalFollowUpController.add(to: routes, services: services)
        PortalBetweenVisitsAPIController.add(to: routes, services: services)
        PortalSettingsController.add(to: routes, services: services)
        PortalSettingsPageController.add(to: routes, services: services)
        ChangeRequestController.add(to: routes, services: services)
        // Last: it also registers the middleware that answers every /fhir error as an OperationOutcome.
        FHIRController.add(to: routes, services: services)
        FHIRExportController.add(to: routes, services: services)
        FHIRBinaryController.add(to: routes, services: services)

        return Built(application: application(router, services), routes: table)
    }

    /// The router with its middleware. Order matters: headers wrap everything; the session is
    /// found before errors are rendered, so error pages still show who is signed in; errors wrap
    /// every route.
    static func makeRouter(_ services: AppServices) -> Router<AppContext> {
        let router = Router(context: AppContext.self)
        router.add(middleware: ClockMiddleware(clock: services.configuration.clock))
        if let memory = services.idleMemory { router.add(middleware: IdleMemory.Middleware(memory: memory)) }
        router.add(middleware: ClientAddressMiddleware(trusted: services.configuration.trustedProxies))
        router.add(middleware: RequestLogMiddleware(logger: services.logger, level: services.configuration.logFormat == .json ? .info : .debug))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: SignInMiddleware(signIns: services.signIns, idleTimeout: services.configuration.sessionIdleTimeout,
                                                 views: services.views))
        router.add(middleware: PortalSignInMiddleware(sessions: PortalSessionRepository(services.database), views: services.views))
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
        if let memory = services.idleMemory { application.addServices(IdleMemory.Watcher(memory: memory)) }
        if let interval = configuration.outboxIntervalSeconds {
            let dispatcher = services.dispatcher
            // Check-in reminders are planned into the outbox first (one per patient, session and day), then sent with the rest.
            let reminders = PlanCheckInReminders(services.database), portalURL = configuration.publicURL
            application.addServices(PeriodicService(name: "Outbox", interval: interval, logger: services.logger) {
                try await reminders(portalURL: portalURL, now: configuration.clock.now())
                _ = try await dispatcher.runOnce()
            })
        }
        if let interval = configuration.fhirExport.runnerIntervalSeconds {
            // Jobs whose kick-off landed on a server that stopped, or whose lease ran out; then expiry.
            let runner = services.fhirExports
            application.addServices(PeriodicService(name: "FHIR export", interval: interval, logger: services.logger) { await runner.runAvailable() })
        }
        return application
    }
}

extension ScarApp {
    /// The swift-metrics factory for `MetricsSystem.bootstrap`, writing into `registry`.
    public static func metricsFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        MetricsController.factory(registry)
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
