import Foundation
import ScarCore
import ScarStore

/// Gathers the plain values the pre-session checklist reads (latest intake, acknowledgements,
/// rule set, consent, today's photos, the clinic's settings) and evaluates it in ScarCore.
/// The plan item: the approved plan version the session follows (its own plan version, else
/// its appointment's plan, else the patient's latest approved plan for the modality); a session
/// without one is refused with the reason (`PlanRepository.sessionPlan`).
enum SessionGate {
    struct Outcome {
        var result: PreSessionChecklist.Result
        var consent: ConsentRepository.SignedConsent?
        /// The approved plan version that passed the plan item (recorded with the signed session).
        var planVersionId: UUID?
    }

    static func evaluate(_ session: SessionRecord, dayAnswers: DayAnswers?, context: AppContext, services: AppServices,
                         charting: ChartingServices) async throws -> Outcome {
        let user = context.user!
        let modality = session.chart.modality
        let inputs = try await services.intakes.screeningInputs(patientId: session.patientId, clinicId: user.clinicId, by: context.auditActor)
        let consent = try await charting.consents.valid(kind: ConsentKind(modality), patientId: session.patientId, clinicId: user.clinicId)
        let photos = try await services.photos.list(patientId: session.patientId, clinicId: user.clinicId, by: context.auditActor)
        let today = context.today
        let todays = photos.filter { $0.capturedOn.description == today.description }.map(\.view)
        let settings = try await charting.devices.settings(clinicId: user.clinicId)
        let plan = try await PlanRepository(services.database).sessionPlan(patientId: session.patientId, clinicId: user.clinicId, modality: modality,
                                                                           planVersionId: session.planVersionId, appointmentId: session.appointmentId)
        let consentDetail = consent.map { "Signed by \($0.signerName) (template version \($0.templateVersion), SHA-256 \($0.sha256.prefix(12))…)." }
        let input = PreSessionChecklist.Input(
            modality: modality, asOf: today, intake: inputs.intake?.intake, dayAnswers: dayAnswers, ruleSet: inputs.ruleSet,
            acknowledgements: inputs.acknowledgements, consentValid: consent != nil, consentDetail: consentDetail,
            photosToday: todays, photoRequirement: settings.beforePhotos, planApproved: plan.approvedVersionId != nil,
            planDetail: plan.reason)
        return Outcome(result: PreSessionChecklist.evaluate(input), consent: consent, planVersionId: plan.approvedVersionId)
    }
}

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
