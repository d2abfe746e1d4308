import Foundation
import ScarCore
import ScarStore

/// Reads, inside the caller's transaction, the plain values the pre-session checklist needs
/// (latest intake, acknowledgements, rule set, consent, today's photos, the clinic's settings,
/// the plan links), chooses the plan (`SessionPlanChoice`) and evaluates the checklist in
/// ScarCore. Nothing here is audited: the use case that asked audits its own intent.
enum SessionChecklistReading {
    struct Outcome: Sendable {
        var result: PreSessionChecklist.Result
        var consent: ConsentRepository.SignedConsent?
        /// The approved plan version that passed the plan item (recorded with the signed session).
        var planVersionId: UUID?
    }

    static func evaluate(_ session: SessionRecord, dayAnswers: DayAnswers?, today: CalendarDate, in tx: UnitOfWork) async throws -> Outcome {
        let clinicId = session.clinicId, patientId = session.patientId
        let modality = session.chart.modality
        let inputs = try await tx.screeningInputs(patientId: patientId, clinicId: clinicId)
        let consent = try await tx.validConsent(kind: ConsentKind(modality), patientId: patientId, clinicId: clinicId)
        let photosToday = try await tx.photoViews(patientId: patientId, clinicId: clinicId, capturedOn: today)
        let (_, settings) = try await tx.chartLimits(clinicId: clinicId, today: today)
        let (link, approved) = try await tx.planLink(patientId: patientId, clinicId: clinicId, planVersionId: session.planVersionId,
                                                     appointmentId: session.appointmentId)
        let plan = SessionPlanChoice.choose(link: link, modality: modality, approved: approved)
        let consentDetail = consent.map { "Signed by \($0.signerName) (template version \($0.templateVersion), SHA-256 \($0.sha256.prefix(12))…)." }
        let input = PreSessionChecklist.Input(
            modality: modality, asOf: today, intake: inputs.intake?.intake, dayAnswers: dayAnswers, ruleSet: inputs.ruleSet,
            acknowledgements: inputs.acknowledgements, consentValid: consent != nil, consentDetail: consentDetail,
            photosToday: photosToday, photoRequirement: settings.beforePhotos, planApproved: plan.version != nil,
            planDetail: plan.reason)
        return Outcome(result: PreSessionChecklist.evaluate(input), consent: consent, planVersionId: plan.version?.versionId)
    }
}
