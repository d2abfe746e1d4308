import Foundation
import ScarCore
import ScarStore

/// Starting a session chart (a draft): one write transaction that checks the appointment it is
/// charted for (`SessionAppointmentLink`), checks the chart against the clinic's devices, lots
/// and settings on the clinic's day (`SessionChart.validate`), inserts the draft and audits
/// `session.create` once. The session follows the appointment's plan version unless one is given.
public struct StartSessionDraft: Sendable {
    public struct Request: Sendable {
        public var patientId: UUID
        public var chart: SessionChart.Input
        public var appointmentId: UUID?
        public var planVersionId: UUID?
        /// What the adapter could not read (a form's "must be a number"), refused together with
        /// the link's and the chart's errors so the form shows them all at once.
        public var inputErrors: [FieldError]

        public init(patientId: UUID, chart: SessionChart.Input, appointmentId: UUID?, planVersionId: UUID?, inputErrors: [FieldError] = []) {
            self.patientId = patientId
            self.chart = chart
            self.appointmentId = appointmentId
            self.planVersionId = planVersionId
            self.inputErrors = inputErrors
        }
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The new draft, or a `Refusal` (invalid) naming the appointment link's and the chart's fields at once.
    public func callAsFunction(_ request: Request, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> SessionRecord {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            try await tx.requirePatient(request.patientId, clinicId: clinicId)
            var errors = request.inputErrors
            var planVersionId = request.planVersionId
            if let appointmentId = request.appointmentId {
                let linked = try? await tx.appointment(id: appointmentId, clinicId: clinicId)
                errors += linked.map { SessionAppointmentLink.problems(isPatients: $0.patientId == request.patientId, kind: $0.kind, status: $0.status) }
                    ?? SessionAppointmentLink.notFound
                if planVersionId == nil { planVersionId = linked?.planVersionId }
            }
            let (limits, _) = try await tx.chartLimits(clinicId: clinicId, today: clinician.today)
            let checked = try SessionDrafts.checked(request.chart, limits: limits, linkErrors: errors)
            let id = try await tx.insertDraft(checked, patientId: request.patientId, clinicId: clinicId, practitionerId: clinician.user.id,
                                              appointmentId: request.appointmentId, planVersionId: planVersionId, now: now)
            try await tx.audit(SessionRepository.createdEvent(id: id, patientId: request.patientId, checked: checked), by: actor, now: now)
            return try await tx.session(id: id, clinicId: clinicId)
        })
    }
}

/// Saving a draft chart: one write transaction that reads the draft (a signed session is refused:
/// corrections are amendments), checks the version, checks the chart on the clinic's day, writes
/// it and audits `session.update` once with the fields that changed (none changed: nothing is written).
public struct SaveSessionDraft: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// A stale `expectedVersion` throws `StoreError.versionConflict`; a signed session `Refusal.sessionSigned`.
    public func callAsFunction(sessionId: UUID, chart: SessionChart.Input, inputErrors: [FieldError] = [], expectedVersion: Int,
                               by clinician: Clinician, actor: AuditActor, now: Date) async throws -> SessionRecord {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let draft = try await tx.session(id: sessionId, clinicId: clinicId)
            guard draft.status == .draft else { throw Refusal.sessionSigned }
            let (limits, _) = try await tx.chartLimits(clinicId: clinicId, today: clinician.today)
            let checked = try SessionDrafts.checked(chart, limits: limits, linkErrors: inputErrors)
            guard draft.version == expectedVersion else { throw StoreError.versionConflict(current: draft.version) }
            // Saved again unchanged (signing from the chart form saves first): nothing to write or audit.
            if SessionChart.changedFields(draft.chart, checked.chart).isEmpty { return draft }
            try await tx.writeDraft(checked, over: draft, now: now)
            try await tx.audit(SessionRepository.updatedEvent(draft, checked: checked), by: actor, now: now)
            return try await tx.session(id: sessionId, clinicId: clinicId)
        })
    }
}

enum SessionDrafts {
    /// The chart checked by ScarCore; every field error (the input's and the appointment link's first) in one refusal.
    static func checked(_ chart: SessionChart.Input, limits: SessionChart.Limits, linkErrors: [FieldError]) throws -> SessionChart.Checked {
        switch SessionChart.validate(chart, limits: limits) {
        case .success(let checked) where linkErrors.isEmpty: return checked
        case .success: throw Refusal.invalid(linkErrors)
        case .failure(let f): throw Refusal.invalid(linkErrors + f.errors)
        }
    }
}

extension Refusal {
    /// A signed session is not edited; corrections are amendments (with a reason).
    public static let sessionSigned = Refusal(.conflict, "The session is signed",
                                              detail: "A signed session cannot be edited. Record a correction as an amendment (with a reason).")
    /// Amendments apply to signed sessions; a draft is edited directly.
    public static let sessionNotSigned = Refusal(.conflict, "The session is a draft",
                                                 detail: "Edit the draft directly; amendments are for signed sessions.")
}
