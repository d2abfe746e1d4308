import Foundation
import ScarCore

/// What signing a session reads and writes, inside its one transaction. None of these reads is
/// audited on its own: the use case audits its intent (`session.sign`) once.
extension UnitOfWork {
    /// Holds the patient's row until the transaction ends (see `PatientScope.lock`).
    public func lockPatient(_ patientId: UUID, clinicId: UUID) async throws {
        try await PatientScope.lock(patientId, clinicId: clinicId, engine: engine, on: sql)
    }

    public func session(id: UUID, clinicId: UUID) async throws -> SessionRecord {
        try await SessionRepository.load(id: id, clinicId: clinicId, on: sql)
    }

    /// The devices, lots and settings a chart is checked against on `today`.
    public func chartLimits(clinicId: UUID, today: CalendarDate) async throws -> (SessionChart.Limits, ChartingSettings) {
        try await SessionRepository.limits(clinicId: clinicId, today: today, on: sql)
    }

    public func screeningInputs(patientId: UUID, clinicId: UUID) async throws -> IntakeRepository.ScreeningInputs {
        try await IntakeRepository.screeningInputs(patientId: patientId, clinicId: clinicId, on: sql)
    }

    public func validConsent(kind: ConsentKind, patientId: UUID, clinicId: UUID) async throws -> ConsentRepository.SignedConsent? {
        try await ConsentRepository.valid(kind: kind, patientId: patientId, clinicId: clinicId, on: sql)
    }

    public func photoViews(patientId: UUID, clinicId: UUID, capturedOn day: CalendarDate) async throws -> [PhotoView] {
        try await PhotoRepository.views(patientId: patientId, clinicId: clinicId, capturedOn: day, on: sql)
    }

    public func sessionPlan(patientId: UUID, clinicId: UUID, modality: Modality, planVersionId: UUID?,
                            appointmentId: UUID?) async throws -> PlanRepository.SessionPlan {
        try await PlanRepository.sessionPlan(patientId: patientId, clinicId: clinicId, modality: modality, planVersionId: planVersionId,
                                             appointmentId: appointmentId, on: sql)
    }

    public func currentPostCare(for modality: Modality, clinicId: UUID) async throws -> PostCareTemplate {
        try await PostCareRepository.current(for: modality, clinicId: clinicId, on: sql)
    }

    /// Marks the draft signed (version-checked), records what it relied on, audits `session.sign`
    /// and completes the linked appointment, moving the rest of its series when needed.
    public func signSession(id: UUID, clinicId: UUID, expectedVersion: Int, checklist: PreSessionChecklist.Result, consentId: UUID,
                            postcareVersion: String, planVersionId: UUID?, signerId: UUID, by actor: AuditActor,
                            now: Date) async throws -> ScheduleRepository.Completion? {
        try await SessionRepository.sign(id: id, clinicId: clinicId, expectedVersion: expectedVersion, checklist: checklist, consentId: consentId,
                                         postcareVersion: postcareVersion, planVersionId: planVersionId, signerId: signerId, by: actor,
                                         engine: engine, on: sql, now: now)
    }
}
