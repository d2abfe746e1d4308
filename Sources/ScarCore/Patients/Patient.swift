import Foundation

public enum Sex: String, Sendable, Codable, CaseIterable {
    case female, male, other, unknown
}

/// A registered patient of one clinic. `version` grows by one on every saved change, so an
/// edit made against an older version can be refused instead of silently overwriting.
public struct Patient: Sendable, Equatable, Codable, Identifiable {
    public var id: UUID
    public var clinicId: UUID
    public var givenName: String
    public var familyName: String
    public var dateOfBirth: CalendarDate
    public var sex: Sex
    /// Medical record number, unique within the clinic.
    public var mrn: String
    public var phone: String?
    public var email: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(id: UUID, clinicId: UUID, givenName: String, familyName: String, dateOfBirth: CalendarDate, sex: Sex,
                mrn: String, phone: String?, email: String?, createdAt: Date, updatedAt: Date, version: Int) {
        self.id = id
        self.clinicId = clinicId
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.mrn = mrn
        self.phone = phone
        self.email = email
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    public var fullName: String { "\(givenName) \(familyName)" }

    /// Age in whole years on a given day (the day is passed in: no hidden clock).
    public func age(on day: CalendarDate) -> Int {
        var years = day.year - dateOfBirth.year
        if (day.month, day.day) < (dateOfBirth.month, dateOfBirth.day) { years -= 1 }
        return years
    }
}
