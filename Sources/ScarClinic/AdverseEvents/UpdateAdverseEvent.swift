import Foundation
import ScarCore
import ScarStore

/// Following up an adverse event (grade, seriousness, relatedness, action taken, outcome,
/// resolution, notes): one write transaction that reads the event (version-checked), merges the
/// change into it, checks the result with ScarCore (`AdverseEventDetails.validate`, without the
/// sequela promotion rule: it was promoted when recorded), stores it and appends one
/// `adverse-event.update` audit entry.
public struct UpdateAdverseEvent: Sendable {
    /// What changes; nil leaves a field as it is. The term, onset, session, lots, products and
    /// duration are the event's as recorded and do not change here.
    public struct Change: Sendable {
        public var grade: Int?
        public var serious: Bool?
        public var relatedness: String?
        public var actionTaken: String?
        public var outcome: String?
        public var resolvedOn: String?
        public var notes: String?

        public init(grade: Int? = nil, serious: Bool? = nil, relatedness: String? = nil, actionTaken: String? = nil, outcome: String? = nil,
                    resolvedOn: String? = nil, notes: String? = nil) {
            self.grade = grade
            self.serious = serious
            self.relatedness = relatedness
            self.actionTaken = actionTaken
            self.outcome = outcome
            self.resolvedOn = resolvedOn
            self.notes = notes
        }
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The event as stored, or a `Refusal` (invalid) naming every field. An unknown event is
    /// `StoreError.notFound`, a stale `expectedVersion` `StoreError.versionConflict`.
    public func callAsFunction(id: UUID, expectedVersion: Int, change: Change, by clinician: Clinician, actor: AuditActor,
                               now: Date = Date()) async throws -> AdverseEventRepository.Record {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let settings = try await tx.chartingSettings(clinicId: clinicId)
            let before = try await tx.adverseEvent(id: id, clinicId: clinicId)
            guard before.version == expectedVersion else { throw StoreError.versionConflict(current: before.version) }
            let d = before.details
            let merged = AdverseEventDetails.Input(
                term: d.term, onsetOn: d.onsetOn.description, grade: change.grade ?? d.grade.rawValue, serious: change.serious ?? d.serious,
                relatedness: change.relatedness ?? d.relatedness.rawValue, actionTaken: change.actionTaken ?? d.actionTaken,
                outcome: change.outcome ?? d.outcome.rawValue, resolvedOn: change.resolvedOn ?? d.resolvedOn?.description,
                sessionId: d.sessionId?.lower, lotIds: d.lotIds.map(\.lower), products: d.products,
                durationHours: d.durationHours, notes: change.notes ?? d.notes)
            let details: AdverseEventDetails
            switch AdverseEventDetails.validate(merged, today: clinician.today, thresholds: settings.thresholds, checkPromotion: false) {
            case .success(let v): details = v
            case .failure(let f): throw Refusal.invalid(f.errors)
            }
            let after = try await tx.write(details, of: before, clinicId: clinicId, now: now)
            try await tx.audit(AuditEvent(action: "adverse-event.update", recordType: "adverse_event", recordId: id.uuidString,
                                          patientId: before.patientId, details: ["outcome": details.outcome.rawValue]), by: actor, now: now)
            return after
        })
    }
}
