import Foundation
import ScarCore
import ScarStore

/// First start: an empty database gets one clinic and one admin account with a random
/// one-time password (never a fixed default), which the caller prints once. The admin must
/// replace it at the first sign-in.
public enum Bootstrap {
    public static let defaultClinicName = "ScarTrack Clinic"
    public static let initialAdminEmail = "admin@clinic.example"

    public struct InitialAdmin: Sendable {
        public var email: String
        public var password: String
    }

    /// Nil when any staff account exists, or when another server starting at the same moment
    /// created the first admin first (`StaffRepository.createFirstAdmin` decides under the
    /// migrations' lock, so only one password is ever printed and only one clinic made).
    public static func ensureInitialAdmin(_ database: ScarDatabase, bcryptCost: UInt8 = 12) async throws -> InitialAdmin? {
        let staff = StaffRepository(database)
        guard try await staff.countUsers() == 0 else { return nil }
        let password = generatePassword()
        let hash = try await PasswordHasher(cost: bcryptCost).hash(password)
        do {
            guard try await staff.createFirstAdmin(email: initialAdminEmail, displayName: "Administrator", passwordHash: hash,
                                                   clinicName: defaultClinicName, timeZone: "UTC") != nil else { return nil }
        } catch StoreError.configuration(let message) {
            throw ConfigurationError(message)
        }
        return InitialAdmin(email: initialAdminEmail, password: password)
    }

    /// The clinic named (by id or exact name), or the only clinic; creates the default clinic
    /// (or the one named) when there is none at all. With several clinics one must be named:
    /// guessing would put staff or demo data into the wrong clinic.
    public static func ensureClinic(_ database: ScarDatabase, named name: String?) async throws -> Clinic {
        let staff = StaffRepository(database)
        let clinics = try await staff.clinics()
        if let name {
            if let match = clinics.first(where: { $0.id.lower == name.lowercased() }) ?? clinics.first(where: { $0.name == name }) {
                return match
            }
            if clinics.isEmpty { return try await staff.createClinic(name: name, timeZone: "UTC", by: .commandLine()) }
            throw ConfigurationError("No clinic with the id or name \(name). Clinics: \(clinics.map(\.name).joined(separator: ", ")) (see scartrack clinic list)")
        }
        if clinics.count > 1 {
            throw ConfigurationError("This installation has \(clinics.count) clinics: name one with --clinic (id or exact name; see scartrack clinic list)")
        }
        if let first = clinics.first { return first }
        return try await staff.createClinic(name: defaultClinicName, timeZone: "UTC", by: .commandLine())
    }

    /// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I), grouped for reading aloud.
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return stride(from: 0, to: 20, by: 5).map { String(chars[$0..<$0 + 5]) }.joined(separator: "-")
    }
}
