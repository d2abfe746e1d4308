import Foundation
import ScarCore
import ScarStore

/// Adding a clinic to an installation: the `scartrack clinic add` command and the operator API
/// both come here. The clinic's first administrator gets a one-time password, returned once
/// and stored only as a bcrypt hash; like the first-start admin they must change it at first
/// sign-in, and (as an administrator) turn on two-factor sign-in before anything else.
public enum ClinicProvisioning {
    public struct Created: Sendable {
        public var clinic: Clinic
        public var admin: StaffUser
        public var oneTimePassword: String
    }

    public static func create(_ new: NewClinic, database: ScarDatabase, hasher: PasswordHasher, by actor: AuditActor) async throws -> Created {
        let password = Bootstrap.generatePassword()
        let hash = try await hasher.hash(password)
        let (clinic, admin) = try await ClinicRepository(database).create(new, adminPasswordHash: hash, by: actor)
        return Created(clinic: clinic, admin: admin, oneTimePassword: password)
    }

    /// The audit actor of the operator API (no clinic, no staff account).
    static func operatorActor(clientAddress: String) -> AuditActor {
        AuditActor(clinicId: nil, userId: nil, label: "operator", clientAddress: clientAddress)
    }
}
