import Foundation
import ScarCore
import ScarStore

/// An administrator sets the clinic's name, address, phone, e-mail and time zone: checked in
/// ScarCore, written if nobody changed it meanwhile, audited once (`clinic.profile-update`,
/// naming the fields that changed).
public struct UpdateClinicProfile: Sendable {
    public struct Saved: Sendable {
        public var profile: ClinicProfile
        public var version: Int
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ input: ClinicProfile.Input, expectedVersion: Int, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> Saved {
        let profile: ClinicProfile
        switch ClinicProfile.validate(input) {
        case .success(let p): profile = p
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        let clinicId = clinician.clinicId
        return try await database.write(unitOfWork: { tx in
            let (before, _) = try await tx.clinicProfile(clinicId: clinicId)
            let version = try await tx.write(profile: profile, clinicId: clinicId, expectedVersion: expectedVersion)
            let changed = [("name", before.name != profile.name), ("address", before.address != profile.address),
                           ("phone", before.phone != profile.phone), ("email", before.email != profile.email),
                           ("timeZone", before.timeZone != profile.timeZone)].filter(\.1).map(\.0)
            try await tx.audit(AuditEvent(action: "clinic.profile-update", recordType: "clinic", recordId: clinicId.lower,
                                          details: ["changed": changed.joined(separator: ","), "version": String(version)]), by: actor, now: now)
            return Saved(profile: profile, version: version)
        })
    }
}

/// The clinic's profile and its version, for the settings form.
public struct ReadClinicProfile: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(by clinician: Clinician) async throws -> UpdateClinicProfile.Saved {
        let clinicId = clinician.clinicId
        return try await database.read(unitOfWork: { tx in
            let (profile, version) = try await tx.clinicProfile(clinicId: clinicId)
            return UpdateClinicProfile.Saved(profile: profile, version: version)
        })
    }
}
