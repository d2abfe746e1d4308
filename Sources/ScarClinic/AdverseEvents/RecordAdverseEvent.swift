import Foundation
import ScarCore
import ScarStore

/// Recording an adverse event: one write transaction that reads the clinic's sequela thresholds,
/// checks the details with ScarCore (`AdverseEventDetails.validate`, which refuses an expected
/// sequela within its threshold), checks that the patient, the session and the lots are this
/// clinic's, stores the event and appends one `adverse-event.create` audit entry.
public struct RecordAdverseEvent: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The stored event, or a `Refusal` (invalid) naming every field; a patient, session or lot
    /// not of this clinic (or not the patient's) is `StoreError.notFound`.
    public func callAsFunction(_ input: AdverseEventDetails.Input, patientId: UUID, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> AdverseEventRepository.Record {
        try await database.write(unitOfWork: { tx in
            let (id, details) = try await Self.record(input, patientId: patientId, by: clinician, in: tx, now: now)
            try await tx.audit(AuditEvent(action: "adverse-event.create", recordType: "adverse_event", recordId: id.uuidString, patientId: patientId,
                                          details: ["term": details.term, "grade": String(details.grade.rawValue)]), by: actor, now: now)
            return try await tx.adverseEvent(id: id, clinicId: clinician.clinicId)
        })
    }

    /// The checks and the insert, inside the caller's transaction and without its audit entry
    /// (confirming a suspected adverse event records one through here and audits its own intent).
    static func record(_ input: AdverseEventDetails.Input, patientId: UUID, by clinician: Clinician, in tx: UnitOfWork,
                       now: Date) async throws -> (UUID, AdverseEventDetails) {
        let clinicId = clinician.clinicId
        let settings = try await tx.chartingSettings(clinicId: clinicId)
        let details: AdverseEventDetails
        switch AdverseEventDetails.validate(input, today: clinician.today, thresholds: settings.thresholds) {
        case .success(let d): details = d
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        try await tx.requirePatient(patientId, clinicId: clinicId)
        if let sessionId = details.sessionId, !(try await tx.sessionBelongs(sessionId, toPatient: patientId, clinicId: clinicId)) {
            throw StoreError.notFound
        }
        for lot in details.lotIds {
            if !(try await tx.lotExists(lot, clinicId: clinicId)) { throw StoreError.notFound }
        }
        let id = UUID()
        try await tx.insert(adverseEvent: details, id: id, patientId: patientId, clinicId: clinicId, reporterId: clinician.user.id, now: now)
        return (id, details)
    }
}
