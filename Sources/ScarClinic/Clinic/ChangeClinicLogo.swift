import Foundation
import ScarCore
import ScarStore

/// An administrator uploads, replaces or removes the clinic's logo. The file is checked in ScarCore
/// (`ClinicLogo.accept`: PNG or JPEG by content, 1 MiB at most, metadata removed), its bytes saved
/// in the photo store first (content no row points at is harmless), then the row and one audit
/// entry (`clinic.logo-update` / `clinic.logo-remove`) land in one transaction.
public struct ChangeClinicLogo: Sendable {
    let database: ScarDatabase
    let files: any PhotoFiles

    public init(_ database: ScarDatabase, files: any PhotoFiles) {
        self.database = database
        self.files = files
    }

    /// Sets the logo (replacing any before); refuses with the `logo` field named.
    public func replace(with bytes: [UInt8], by clinician: Clinician, actor: AuditActor, now: Date) async throws -> ClinicLogo {
        let accepted: ImageUpload.Accepted
        switch ClinicLogo.accept(bytes) {
        case .success(let a): accepted = a
        case .failure(let error): throw Refusal.invalid([error])
        }
        let stored = try await files.save(accepted.bytes, type: accepted.info.mediaType)
        let logo = ClinicLogo(sha256: stored.sha256, mediaType: accepted.info.mediaType, byteSize: stored.byteSize,
                              width: accepted.info.width, height: accepted.info.height)
        let clinicId = clinician.clinicId
        return try await database.write(unitOfWork: { tx in
            let before = try await tx.clinicLogo(clinicId: clinicId)
            try await tx.write(logo: logo, clinicId: clinicId, now: now)
            try await tx.audit(AuditEvent(action: "clinic.logo-update", recordType: "clinic", recordId: clinicId.lower, details: [
                "mediaType": logo.mediaType.rawValue, "width": String(logo.width), "height": String(logo.height),
                "byteSize": String(logo.byteSize), "sha256": logo.sha256, "replaced": before == nil ? "no" : "yes",
            ]), by: actor, now: now)
            return logo
        })
    }

    /// Removes the logo; refused (404) when the clinic has none.
    public func remove(by clinician: Clinician, actor: AuditActor, now: Date) async throws {
        let clinicId = clinician.clinicId
        try await database.write(unitOfWork: { tx in
            guard try await tx.removeClinicLogo(clinicId: clinicId) else {
                throw Refusal(.notFound, "No logo", detail: "The clinic has no logo to remove.")
            }
            try await tx.audit(AuditEvent(action: "clinic.logo-remove", recordType: "clinic", recordId: clinicId.lower), by: actor, now: now)
        })
    }
}

/// The clinic's logo and its bytes, for the pages and the portal of that clinic. Not patient data:
/// read without an audit entry, as the clinic's name is.
public struct ReadClinicLogo: Sendable {
    let database: ScarDatabase
    let files: any PhotoFiles

    public init(_ database: ScarDatabase, files: any PhotoFiles) {
        self.database = database
        self.files = files
    }

    public func callAsFunction(clinicId: UUID) async throws -> (logo: ClinicLogo, bytes: [UInt8])? {
        guard let logo = try await database.read(unitOfWork: { tx in try await tx.clinicLogo(clinicId: clinicId) }) else { return nil }
        return (logo, try await files.read(sha256: logo.sha256, type: logo.mediaType))
    }
}
