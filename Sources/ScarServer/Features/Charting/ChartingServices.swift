import ScarStore

/// The repositories of this feature, built from the shared database.
struct ChartingServices: Sendable {
    let devices: DeviceLotRepository
    let sessions: SessionRepository
    let consents: ConsentRepository
    let adverseEvents: AdverseEventRepository
    let postcare: PostCareRepository

    init(_ services: AppServices) {
        postcare = PostCareRepository(services.database)
        devices = DeviceLotRepository(services.database)
        sessions = SessionRepository(services.database)
        consents = ConsentRepository(services.database)
        adverseEvents = AdverseEventRepository(services.database)
    }
}
