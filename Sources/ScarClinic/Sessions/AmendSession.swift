import Foundation
import ScarCore
import ScarStore

/// Amending a signed session: one write transaction that reads the session, decides the
/// amendment with ScarCore (`SessionAmendment.decide`: a reason of at least 10 characters, the
/// corrected chart checked on the clinic's day, only amendable fields changed), records it with
/// the chart before and after, and audits `session.amend` once with the fields that changed.
public struct AmendSession: Sendable {
    public struct Request: Sendable {
        public var sessionId: UUID
        public var reason: String?
        public var chart: SessionChart.Input?

        public init(sessionId: UUID, reason: String?, chart: SessionChart.Input?) {
            self.sessionId = sessionId
            self.reason = reason
            self.chart = chart
        }
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The session with its new amendment. Refusals: invalid (reason, chart fields, nothing
    /// changed, a field that cannot be amended), conflict (`Refusal.sessionNotSigned` for a draft).
    public func callAsFunction(_ request: Request, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> SessionRecord {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let problems = SessionAmendment.requestProblems(reason: request.reason, chart: request.chart)
            if !problems.isEmpty { throw Refusal.invalid(problems) }
            let session = try await tx.session(id: request.sessionId, clinicId: clinicId)
            guard session.status == .signed else { throw Refusal.sessionNotSigned }
            let (limits, _) = try await tx.chartLimits(clinicId: clinicId, today: clinician.today)
            let decided: SessionAmendment.Decided
            switch SessionAmendment.decide(reason: request.reason, chart: request.chart, current: session.currentChart, limits: limits) {
            case .failure(let f): throw Refusal.invalid(f.errors)
            case .success(let d): decided = d
            }
            try await tx.insertAmendment(decided, of: session, authorId: clinician.user.id, now: now)
            try await tx.audit(SessionRepository.amendedEvent(id: session.id, patientId: session.patientId, changed: decided.changedFields),
                               by: actor, now: now)
            return try await tx.session(id: session.id, clinicId: clinicId)
        })
    }
}
