import Foundation
import ScarCore
import ScarStore

/// Staff reading what patients reported: the open suspected adverse events (the API list), one
/// of them (the confirm page), a patient's check-ins (the patient page), and a reported photo's
/// file. Each is one read with one audit entry, because each shows identified patient data
/// (the check-ins only when there are some to show).
public struct ReadPatientReports: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func openSuspected(by clinician: Clinician, actor: AuditActor, now: Date) async throws -> [CheckInRepository.Suspected] {
        try await database.write(unitOfWork: { tx in
            let list = try await tx.openSuspectedAdverseEvents(clinicId: clinician.clinicId, limit: 200)
            try await tx.audit(AuditEvent(action: "suspected-adverse-event.list", recordType: "clinic", recordId: clinician.clinicId.lower,
                                          details: ["count": String(list.count)]), by: actor, now: now)
            return list
        })
    }

    public func suspected(_ id: UUID, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> CheckInRepository.Suspected {
        try await database.write(unitOfWork: { tx in
            let s = try await tx.suspectedAdverseEvent(id: id, clinicId: clinician.clinicId)
            try await tx.audit(AuditEvent(action: "suspected-adverse-event.read", recordType: "suspected_adverse_event", recordId: id.uuidString,
                                          patientId: s.patientId), by: actor, now: now)
            return s
        })
    }

    public func checkIns(patientId: UUID, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> [CheckInRepository.CheckIn] {
        try await database.write(unitOfWork: { tx in
            try await tx.requirePatient(patientId, clinicId: clinician.clinicId)
            let list = try await tx.checkIns(patientId: patientId, clinicId: clinician.clinicId)
            // Nothing shown, nothing to log: a patient without check-ins keeps a quiet access log.
            guard !list.isEmpty else { return list }
            try await tx.audit(AuditEvent(action: "check-in.list", recordType: "patient", recordId: patientId.uuidString, patientId: patientId,
                                          details: ["count": String(list.count)]), by: actor, now: now)
            return list
        })
    }

    /// A photo a patient sent, for this clinic's staff; `reported-photo.view` audited.
    public func photo(_ id: UUID, clinicId: UUID, actor: AuditActor, now: Date) async throws -> CheckInRepository.PhotoFile {
        try await database.write(unitOfWork: { tx in
            let (patientId, file) = try await tx.reportedPhoto(id: id, clinicId: clinicId)
            try await tx.audit(AuditEvent(action: "reported-photo.view", recordType: "reported_photo", recordId: id.uuidString, patientId: patientId),
                               by: actor, now: now)
            return file
        })
    }
}
