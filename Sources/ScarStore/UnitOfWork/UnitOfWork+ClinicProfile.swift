import Foundation
import ScarCore
import SQLKit

/// The clinic's profile (name, address, phone, e-mail, time zone), version-checked.
extension UnitOfWork {
    public func clinicProfile(clinicId: UUID) async throws -> (profile: ClinicProfile, version: Int) {
        guard let row = try await sql.raw("""
            SELECT name, address, phone, email, time_zone, version FROM clinics WHERE id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        return (try Self.profile(row, prefix: ""), try row.decode(column: "version", as: Int.self))
    }

    /// Writes the profile if `expectedVersion` is still the stored one; returns the new version.
    public func write(profile: ClinicProfile, clinicId: UUID, expectedVersion: Int) async throws -> Int {
        let updated = try await sql.raw("""
            UPDATE clinics SET name = \(bind: profile.name), address = \(bind: profile.address), phone = \(bind: profile.phone),
                   email = \(bind: profile.email), time_zone = \(bind: profile.timeZone), version = version + 1
            WHERE id = \(bind: clinicId) AND version = \(bind: expectedVersion)
            RETURNING version
            """).first()
        guard let updated else {
            let current = try await clinicProfile(clinicId: clinicId).version
            throw StoreError.versionConflict(current: current)
        }
        return try updated.decode(column: "version", as: Int.self)
    }

    static func profile(_ row: any SQLRow, prefix: String) throws -> ClinicProfile {
        ClinicProfile(name: try row.decode(column: prefix + "name", as: String.self), address: try row.decode(column: prefix + "address", as: String.self),
                      phone: try row.decode(column: prefix + "phone", as: String.self), email: try row.decode(column: prefix + "email", as: String.self),
                      timeZone: try row.decode(column: prefix + "time_zone", as: String.self))
    }
}
