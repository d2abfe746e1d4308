import Foundation
import HummingbirdBcrypt
import ScarCore
import ScarStore

/// Clinic-shaped fixtures: clinics, staff and patients that read like a real day.
public enum Fixtures {
    public static let password = "Rolling-Scars-Need-Subcision"

    /// The fixture staff's password hash, at bcrypt's smallest cost. Verifying reads the cost from
    /// the hash, and the suites sign in hundreds of times: at the product's cost 12 (a quarter of a
    /// second optimised, more in a debug build) that was minutes of CPU per run. Every hash the
    /// product makes is still cost 12 or more (`PasswordHasher`, checked in `AuthTests`).
    public static let passwordHash: String = Bcrypt.hash(password, cost: 4)

    public static func clinic(_ db: ScarDatabase, name: String = "Harbour Skin Clinic") async throws -> Clinic {
        try await StaffRepository(db).createClinic(name: name, timeZone: "Europe/London", by: .commandLine())
    }

    public static func staff(_ db: ScarDatabase, clinic: Clinic, role: Role, email: String? = nil, hash: String = passwordHash) async throws -> StaffUser {
        let address = email ?? "\(role.rawValue).\(UUID().uuidString.prefix(6).lowercased())@\(clinic.name.lowercased().replacingOccurrences(of: " ", with: "-")).example"
        return try await StaffRepository(db).createUser(clinicId: clinic.id, email: address, displayName: "\(role.rawValue.capitalized) Tester",
                                                        role: role, passwordHash: hash, by: .commandLine(clinicId: clinic.id))
    }

    public static func details(given: String = "Ivy", family: String = "Boxcar", dob: String = "1991-04-12", mrn: String? = nil,
                               phone: String? = "+44 20 7946 0000") -> PatientDetails {
        let input = PatientDetails.Input(givenName: given, familyName: family, dateOfBirth: dob, sex: "female", mrn: mrn, phone: phone)
        guard case .success(let d) = PatientDetails.validate(input, today: CalendarDate("2026-11-21")!) else { fatalError("bad fixture") }
        return d
    }
}
