import Foundation
import ScarFHIR
import Logging
import ScarStore

/// Everything a route needs, built once and passed in explicitly (no globals), so tests
/// build exactly what `serve` builds.
struct AppServices: Sendable {
    let configuration: AppConfiguration
    let database: ScarDatabase
    let staff: StaffRepository
    let signIns: SignInRepository
    let throttle: SignInThrottle
    let twoFactor: TwoFactorRepository
    let patients: PatientRepository
    let intakes: IntakeRepository
    let outcomes: OutcomeRepository
    let studies: StudyRepository
    let assessments: AssessmentRepository
    let audit: AuditRepository
    let photos: PhotoRepository
    let photoFiles: any PhotoFiles
    /// Set when the server hands freed memory back once quiet (`AppConfiguration.returnsIdleMemory`).
    let idleMemory: IdleMemory?
    let schedule: ScheduleRepository
    let dispatcher: OutboxDispatcher
    let fhirExports: FHIRExportRunner
    let hasher: PasswordHasher
    let views: Views
    let logger: Logger
    /// The patient page's cards, registered at app build (`PatientPageCards.registered`).
    var patientPageCards: [PatientPageCard] = []

    init(configuration: AppConfiguration, database: ScarDatabase, views: Views, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.staff = StaffRepository(database)
        self.signIns = SignInRepository(database)
        self.throttle = SignInThrottle(database)
        self.twoFactor = TwoFactorRepository(database)
        self.patients = PatientRepository(database)
        self.intakes = IntakeRepository(database)
        self.outcomes = OutcomeRepository(database)
        self.studies = StudyRepository(database)
        self.assessments = AssessmentRepository(database)
        self.audit = AuditRepository(database)
        self.photos = PhotoRepository(database)
        self.photoFiles = configuration.photoFiles(database)
        self.idleMemory = configuration.returnsIdleMemory ? IdleMemory() : nil
        self.schedule = ScheduleRepository(database)
        self.dispatcher = OutboxDispatcher(database: database, sender: configuration.messageSender.make(logger: logger), logger: logger)
        self.fhirExports = FHIRExportRunner(database: database, codes: FHIRCodes(base: configuration.fhirCanonicalBase),
                                            settings: configuration.fhirExport, logger: logger)
        self.hasher = PasswordHasher(cost: configuration.bcryptCost)
        self.views = views
        self.logger = logger
    }

    var signIn: SignIn {
        SignIn(staff: staff, signIns: signIns, throttle: throttle, twoFactor: twoFactor, hasher: hasher,
               absoluteTimeout: configuration.sessionAbsoluteTimeout)
    }
}
