import Foundation
import ScarCore
import ScarStore

/// A clinician confirms a suspected adverse event: in one transaction the event is recorded
/// through `RecordAdverseEvent`'s checks (graded, the term from the catalogue, refused when an
/// expected sequela is within the clinic's threshold), linked to the session the patient
/// reported about, the suspicion closed with it, and one `suspected-adverse-event.confirm`
/// audit entry appended. A suspicion already decided is a conflict; nothing is written.
public struct ConfirmSuspectedAdverseEvent: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ suspectedId: UUID, details input: AdverseEventDetails.Input, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> AdverseEventRepository.Record {
        try await database.write(unitOfWork: { tx in
            let suspected = try await tx.suspectedAdverseEvent(id: suspectedId, clinicId: clinician.clinicId)
            guard suspected.state == .open else { throw DecideSuspectedAdverseEvent.alreadyDecided(suspected) }
            var input = input
            if Text.trimmed(input.sessionId) == nil { input.sessionId = suspected.sessionId?.lower }
            let (eventId, details) = try await RecordAdverseEvent.record(input, patientId: suspected.patientId, by: clinician, in: tx, now: now)
            guard try await tx.decide(suspected: suspectedId, clinicId: clinician.clinicId, state: .confirmed, adverseEventId: eventId,
                                      dismissReason: nil, by: clinician.user.id, now: now) else {
                throw DecideSuspectedAdverseEvent.alreadyDecided(suspected)
            }
            try await tx.audit(AuditEvent(action: "suspected-adverse-event.confirm", recordType: "suspected_adverse_event",
                                          recordId: suspectedId.uuidString, patientId: suspected.patientId,
                                          details: ["adverseEvent": eventId.lower, "term": details.term, "grade": String(details.grade.rawValue),
                                                    "session": details.sessionId?.lower ?? ""]),
                               by: actor, now: now)
            return try await tx.adverseEvent(id: eventId, clinicId: clinician.clinicId)
        })
    }
}

/// A clinician dismisses a suspected adverse event (what the patient reported is expected, or
/// already handled), with an optional reason; one `suspected-adverse-event.dismiss` audit entry.
public struct DismissSuspectedAdverseEvent: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ suspectedId: UUID, reason: String?, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws {
        let reason = Text.trimmed(reason)
        if let reason, reason.count > 500 || Text.hasControlCharactersBesidesLineBreaks(reason) {
            throw Refusal.invalid([FieldError("reason", "must be at most 500 characters, without control characters")])
        }
        try await database.write(unitOfWork: { tx in
            let suspected = try await tx.suspectedAdverseEvent(id: suspectedId, clinicId: clinician.clinicId)
            guard suspected.state == .open,
                  try await tx.decide(suspected: suspectedId, clinicId: clinician.clinicId, state: .dismissed, adverseEventId: nil,
                                      dismissReason: reason, by: clinician.user.id, now: now) else {
                throw DecideSuspectedAdverseEvent.alreadyDecided(suspected)
            }
            try await tx.audit(AuditEvent(action: "suspected-adverse-event.dismiss", recordType: "suspected_adverse_event",
                                          recordId: suspectedId.uuidString, patientId: suspected.patientId,
                                          details: ["reason": reason == nil ? "none" : "given"]),
                               by: actor, now: now)
        })
    }
}

enum DecideSuspectedAdverseEvent {
    static func alreadyDecided(_ s: CheckInRepository.Suspected) -> Refusal {
        Refusal(.conflict, "Already decided", detail: "This report was already \(s.state == .confirmed ? "confirmed" : "dismissed").")
    }
}

