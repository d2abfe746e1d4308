import Foundation
import ScarCore
import ScarStore

/// Following up an adverse event (grade, seriousness, relatedness, action taken, outcome,
/// resolution, the session it followed, a follow-up note): one write transaction that reads the
/// event (version-checked), merges the change into it, checks the result with ScarCore
/// (`AdverseEventDetails.validate`, without the sequela promotion rule: it was promoted when
/// recorded), stores it with its note and appends one `adverse-event.update` audit entry naming
/// what changed.
public struct UpdateAdverseEvent: Sendable {
    /// What changes; nil leaves a field as it is. The term, onset, lots, products and duration are
    /// the event's as recorded and do not change here; the session can be linked later (an event
    /// reported by phone is tied to the session it followed once that is known).
    public struct Change: Sendable {
        public var grade: Int?
        public var serious: Bool?
        public var relatedness: String?
        public var actionTaken: String?
        public var outcome: String?
        public var resolvedOn: String?
        public var notes: String?
        public var sessionId: String?
        public var followUpNote: String?

        public init(grade: Int? = nil, serious: Bool? = nil, relatedness: String? = nil, actionTaken: String? = nil, outcome: String? = nil,
                    resolvedOn: String? = nil, notes: String? = nil, sessionId: String? = nil, followUpNote: String? = nil) {
            self.grade = grade
            self.serious = serious
            self.relatedness = relatedness
            self.actionTaken = actionTaken
            self.outcome = outcome
            self.resolvedOn = resolvedOn
            self.notes = notes
            self.sessionId = sessionId
            self.followUpNote = followUpNote
        }
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The event as stored, or a `Refusal` (invalid) naming every field. An unknown event, or a
    /// session not the patient's, is `StoreError.notFound`; a stale `expectedVersion`
    /// `StoreError.versionConflict`.
    public func callAsFunction(id: UUID, expectedVersion: Int, change: Change, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> AdverseEventRepository.Record {
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
                sessionId: Text.trimmed(change.sessionId) ?? d.sessionId?.lower, lotIds: d.lotIds.map(\.lower), products: d.products,
                durationHours: d.durationHours, notes: change.notes ?? d.notes)
            var errors: [FieldError] = []
            var details: AdverseEventDetails?
            switch AdverseEventDetails.validate(merged, today: clinician.today, thresholds: settings.thresholds, checkPromotion: false) {
            case .success(let v): details = v
            case .failure(let f): errors += f.errors
            }
            var note: String?
            switch AdverseEventFollowUpNote.validate(change.followUpNote) {
            case .success(let n): note = n
            case .failure(let f): errors += f.errors
            }
            guard errors.isEmpty, let details else { throw Refusal.invalid(errors) }
            if let session = details.sessionId, session != d.sessionId,
               !(try await tx.sessionBelongs(session, toPatient: before.patientId, clinicId: clinicId)) {
                throw StoreError.notFound
            }
            let after = try await tx.write(details, of: before, clinicId: clinicId, now: now)
            if let note {
                try await tx.insert(adverseEventNote: note, eventId: id, clinicId: clinicId, authorId: clinician.user.id, now: now)
            }
            try await tx.audit(AuditEvent(action: "adverse-event.update", recordType: "adverse_event", recordId: id.uuidString,
                                          patientId: before.patientId, details: Self.auditDetails(before: d, after: details, note: note)),
                               by: actor, now: now)
            return after
        })
    }

    /// The outcome, what changed and whether a note was added: what the audit trail says of an update.
    static func auditDetails(before: AdverseEventDetails, after: AdverseEventDetails, note: String?) -> [String: String] {
        var changed: [String] = []
        if before.grade != after.grade { changed.append("grade") }
        if before.serious != after.serious { changed.append("serious") }
        if before.relatedness != after.relatedness { changed.append("relatedness") }
        if before.actionTaken != after.actionTaken { changed.append("actionTaken") }
        if before.outcome != after.outcome { changed.append("outcome") }
        if before.resolvedOn != after.resolvedOn { changed.append("resolvedOn") }
        if before.sessionId != after.sessionId { changed.append("sessionId") }
        if before.notes != after.notes { changed.append("notes") }
        var details = ["outcome": after.outcome.rawValue, "changed": changed.joined(separator: ",")]
        if let resolved = after.resolvedOn { details["resolvedOn"] = resolved.description }
        if note != nil { details["followUpNote"] = "added" }
        return details
    }
}
