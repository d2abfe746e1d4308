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

    /// How a session (or a new chart) is linked to a plan — through its plan version, else its
    /// appointment — and the patient's approved plan versions: what `SessionPlanChoice` decides on.
    public func planLink(patientId: UUID, clinicId: UUID, planVersionId: UUID?,
                         appointmentId: UUID?) async throws -> (link: SessionPlanChoice.Link, approved: [ApprovedPlanVersion]) {
        var link = SessionPlanChoice.Link.none
        if let planVersionId {
            let planId = try await CoursePlanLinks.planId(ofVersion: planVersionId, patientId: patientId, clinicId: clinicId, on: sql)
            link = planId.map { .plan($0) } ?? .foreignVersion
        } else if let appointmentId,
                  let planId = try await CoursePlanLinks.planId(ofAppointment: appointmentId, patientId: patientId, clinicId: clinicId, on: sql) {
            link = .plan(planId)
        }
        return (link, try await CoursePlanLinks.approvedVersions(patientId: patientId, clinicId: clinicId, on: sql))
    }

    public func currentPostCare(for modality: Modality, clinicId: UUID) async throws -> PostCareTemplate {
        try await PostCareRepository.current(for: modality, clinicId: clinicId, on: sql)
    }

    /// Marks the draft signed (version-checked), records what it relied on, audits `session.sign`
    /// and completes the linked appointment, moving the rest of its series when needed.
    public func signSession(id: UUID, clinicId: UUID, expectedVersion: Int, checklist: PreSessionChecklist.Result, consentId: UUID,
                            postcareVersion: String, planVersionId: UUID?, signerId: UUID, edited: [String] = [], by actor: AuditActor,
                            now: Date) async throws -> ScheduleRepository.Completion? {
        try await SessionRepository.sign(id: id, clinicId: clinicId, expectedVersion: expectedVersion, checklist: checklist, consentId: consentId,
                                         postcareVersion: postcareVersion, planVersionId: planVersionId, signerId: signerId, edited: edited, by: actor,
                                         engine: engine, on: sql, now: now)
    }

    // MARK: Drafts and amendments

    /// The patient's most recent session chart (draft or signed), if any.
    public func latestSession(patientId: UUID, clinicId: UUID) async throws -> SessionRecord? {
        try await SessionRepository.latest(patientId: patientId, clinicId: clinicId, on: sql)
    }

    /// Inserts a draft chart the use case checked; returns its id.
    public func insertDraft(_ checked: SessionChart.Checked, patientId: UUID, clinicId: UUID, practitionerId: UUID, appointmentId: UUID?,
                            planVersionId: UUID?, now: Date) async throws -> UUID {
        try await SessionRepository.insertDraft(checked, patientId: patientId, clinicId: clinicId, practitionerId: practitionerId,
                                                appointmentId: appointmentId, planVersionId: planVersionId, on: sql, now: now)
    }

    /// Saves a checked chart over a draft whose version is still `expectedVersion`.
    public func writeDraft(_ checked: SessionChart.Checked, over draft: SessionRecord, now: Date) async throws {
        try await SessionRepository.writeDraft(checked, over: draft, on: sql, now: now)
    }

    /// Records an amendment the use case decided: before (the chart as it stands), after, reason, fields.
    public func insertAmendment(_ amendment: SessionAmendment.Decided, of session: SessionRecord, authorId: UUID, now: Date) async throws {
        try await SessionRepository.insertAmendment(sessionId: session.id, clinicId: session.clinicId, reason: amendment.reason,
                                                    before: session.currentChart, after: amendment.after, changed: amendment.changedFields,
                                                    authorId: authorId, on: sql, now: now)
    }
}
