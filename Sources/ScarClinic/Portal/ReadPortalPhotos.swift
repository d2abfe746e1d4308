import Foundation
import ScarCore
import ScarStore

/// The signed-in patient's photos side by side (baseline and latest of each standard view), only
/// when the clinic shows photos in the portal; one audited read (`portal.photos`).
public struct ReadPortalPhotos: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// Nil when the clinic does not show photos in the portal.
    public func callAsFunction(for patient: PortalPatient, actor: AuditActor, now: Date) async throws -> [PhotoPairs.Pair]? {
        try await database.write(unitOfWork: { tx in
            guard try await tx.portalShowsPhotos(clinicId: patient.clinicId) else { return nil }
            let pairs = PhotoPairs.pairs(try await tx.photos(patientId: patient.patientId, clinicId: patient.clinicId))
            let shown = pairs.flatMap { [$0.baseline.id] + ($0.latest.map { [$0.id] } ?? []) }
            try await tx.audit(AuditEvent(action: "portal.photos", recordType: "photo", patientId: patient.patientId,
                                          details: ["shown": shown.map(\.lower).joined(separator: ",")]), by: actor, now: now)
            return pairs
        })
    }

    /// One of the patient's own photos, to show its image: another patient's, or any photo while the
    /// clinic does not show photos, is not found. Audited as `photo.view` by the patient.
    public func photo(id: UUID, for patient: PortalPatient, actor: AuditActor, now: Date) async throws -> Photo {
        try await database.write(unitOfWork: { tx in
            guard try await tx.portalShowsPhotos(clinicId: patient.clinicId),
                  let photo = try await tx.photos(patientId: patient.patientId, clinicId: patient.clinicId).first(where: { $0.id == id })
            else { throw StoreError.notFound }
            try await tx.audit(AuditEvent(action: "photo.view", recordType: "photo", recordId: id.uuidString, patientId: patient.patientId),
                               by: actor, now: now)
            return photo
        })
    }
}
