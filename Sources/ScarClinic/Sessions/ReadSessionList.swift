import Foundation
import ScarCore
import ScarStore

/// One page of a patient's session list (the API and the "All sessions" page; issue 16: every
/// list is paged): one read transaction finds the patient and reads the page after the cursor,
/// then one `session.list` entry naming how many were shown is appended (an audited look).
public struct ReadSessionList: Sendable {
    public struct Page: Sendable {
        public var patient: Patient
        public var sessions: [SessionRecord]
        /// Where the next page starts; nil on the last page.
        public var next: SessionCursor?
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// A patient of another clinic is `StoreError.notFound`.
    public func callAsFunction(patientId: UUID, after cursor: SessionCursor?, limit: Int, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> Page {
        try await database.look({ tx in
            let patient = try await tx.patient(id: patientId, clinicId: clinician.clinicId)
            let page = try await tx.sessionPage(patientId: patientId, clinicId: clinician.clinicId, after: cursor, limit: limit)
            return Page(patient: patient, sessions: page.sessions, next: page.next)
        }, record: { tx, page in
            try await tx.audit(AuditEvent(action: "session.list", recordType: "session", patientId: patientId,
                                          details: ["results": String(page.sessions.count), "page": cursor == nil ? "first" : "later"]),
                               by: actor, now: now)
            return page
        })
    }
}
