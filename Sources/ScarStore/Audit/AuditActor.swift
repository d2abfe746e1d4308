import Foundation
import ScarCore

/// Who did something, from where: attached to every audit entry.
public struct AuditActor: Sendable, Equatable {
    public var clinicId: UUID?
    public var userId: UUID?
    /// The staff email, `system`, `cli`, or `patient` (the portal; the entry's patient says who);
    /// never a patient's name.
    public var label: String
    public var clientAddress: String
    /// The HTTP request that acted (`X-Request-Id`), stored in the entry's details as `requestId`.
    public var requestId: String?

    public init(clinicId: UUID?, userId: UUID?, label: String, clientAddress: String) {
        self.clinicId = clinicId
        self.userId = userId
        self.label = label
        self.clientAddress = clientAddress
    }

    public init(user: StaffUser, clientAddress: String) {
        self.init(clinicId: user.clinicId, userId: user.id, label: user.email, clientAddress: clientAddress)
    }

    /// The signed-in patient, acting in the portal on their own record. The audit event's
    /// `patientId` names whose record; staff read it as "entered by the patient".
    public static func patient(clinicId: UUID, clientAddress: String) -> AuditActor {
        AuditActor(clinicId: clinicId, userId: nil, label: "patient", clientAddress: clientAddress)
    }

    public static func commandLine(clinicId: UUID? = nil) -> AuditActor {
        AuditActor(clinicId: clinicId, userId: nil, label: "cli", clientAddress: "local")
    }
}

/// What happened to which record. Actions read `record.verb`, e.g. `patient.read`.
public struct AuditEvent: Sendable, Equatable {
    public var action: String
    public var recordType: String?
    public var recordId: String?
    public var patientId: UUID?
    /// Small, non-identifying facts (changed field names, result counts), stored as JSON.
    public var details: [String: String]

    public init(action: String, recordType: String? = nil, recordId: String? = nil, patientId: UUID? = nil,
                details: [String: String] = [:]) {
        self.action = action
        self.recordType = recordType
        self.recordId = recordId
        self.patientId = patientId
        self.details = details
    }
}

public struct AuditEntry: Sendable, Equatable, Codable {
    public var seq: Int
    public var id: UUID
    public var at: Date
    public var clinicId: UUID?
    public var actorId: UUID?
    public var actor: String
    public var action: String
    public var recordType: String?
    public var recordId: String?
    public var patientId: UUID?
    public var clientAddress: String
    public var details: String
    public var prevHash: String
    public var hash: String
    /// The entry's place in its clinic's chain (1, 2, …), or in the installation's own chain when it
    /// has no clinic; nil for entries written before per-clinic chains (migration 0032), which
    /// form the one installation-wide legacy chain by `seq`.
    public var chainSeq: Int? = nil
}
