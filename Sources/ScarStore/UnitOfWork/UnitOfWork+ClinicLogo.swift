import Foundation
import ScarCore
import SQLKit

/// The clinic's logo row (`clinic_logos`); its bytes live in the photo store, saved before the
/// transaction that records them.
extension UnitOfWork {
    public func clinicLogo(clinicId: UUID) async throws -> ClinicLogo? {
        guard let row = try await sql.raw("""
            SELECT sha256, media_type, byte_size, width, height FROM clinic_logos WHERE clinic_id = \(bind: clinicId)
            """).first() else { return nil }
        return try Self.logo(row)
    }

    /// Records the clinic's logo, replacing the one before.
    public func write(logo: ClinicLogo, clinicId: UUID, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO clinic_logos (clinic_id, sha256, media_type, byte_size, width, height, updated_at)
            VALUES (\(bind: clinicId), \(bind: logo.sha256), \(bind: logo.mediaType.rawValue), \(bind: logo.byteSize),
                    \(bind: logo.width), \(bind: logo.height), \(bind: now))
            ON CONFLICT (clinic_id) DO UPDATE SET sha256 = excluded.sha256, media_type = excluded.media_type,
                byte_size = excluded.byte_size, width = excluded.width, height = excluded.height, updated_at = excluded.updated_at
            """).run()
    }

    /// Removes the clinic's logo; false when there was none.
    public func removeClinicLogo(clinicId: UUID) async throws -> Bool {
        let rows = try await sql.raw("DELETE FROM clinic_logos WHERE clinic_id = \(bind: clinicId) RETURNING clinic_id").all()
        return !rows.isEmpty
    }

    static func logo(_ row: any SQLRow) throws -> ClinicLogo {
        let type = try row.decode(column: "media_type", as: String.self)
        guard let mediaType = ImageMediaType(rawValue: type) else { throw StoreError.configuration("unknown logo type \(type)") }
        return ClinicLogo(sha256: try row.decode(column: "sha256", as: String.self), mediaType: mediaType,
                          byteSize: try row.decode(column: "byte_size", as: Int.self), width: try row.decode(column: "width", as: Int.self),
                          height: try row.decode(column: "height", as: Int.self))
    }
}
