import Foundation

public struct Clinic: Sendable, Equatable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    /// IANA zone; times are stored in UTC and shown in this zone.
    public var timeZone: String

    public init(id: UUID, name: String, timeZone: String) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
    }
}

/// A member of staff as the rest of the system sees them: never with the password hash.
public struct StaffUser: Sendable, Equatable, Codable, Identifiable {
    public var id: UUID
    public var clinicId: UUID
    public var email: String
    public var displayName: String
    public var role: Role
    public var active: Bool
    public var passwordChangedAt: Date
    public var version: Int
    /// Set for a one-time password (first start, a new account): every route but the
    /// change-password page refuses until the member of staff picks their own.
    public var mustChangePassword: Bool

    public init(id: UUID, clinicId: UUID, email: String, displayName: String, role: Role, active: Bool,
                passwordChangedAt: Date, version: Int, mustChangePassword: Bool = false) {
        self.id = id
        self.clinicId = clinicId
        self.email = email
        self.displayName = displayName
        self.role = role
        self.active = active
        self.passwordChangedAt = passwordChangedAt
        self.version = version
        self.mustChangePassword = mustChangePassword
    }
}
