import Foundation

/// The editable part of a patient record, validated. Built only through `validate`, so a
/// value of this type is always safe to store.
public struct PatientDetails: Sendable, Equatable {
    public var givenName: String
    public var familyName: String
    public var dateOfBirth: CalendarDate
    public var sex: Sex
    /// nil asks the store to assign the next record number.
    public var mrn: String?
    public var phone: String?
    public var email: String?

    /// The raw input, as typed in a form or sent in JSON. Every field is text so that wrong
    /// types are reported per field instead of failing the whole payload.
    public struct Input: Sendable, Equatable {
        public var givenName: String?
        public var familyName: String?
        public var dateOfBirth: String?
        public var sex: String?
        public var mrn: String?
        public var phone: String?
        public var email: String?

        public init(givenName: String? = nil, familyName: String? = nil, dateOfBirth: String? = nil, sex: String? = nil,
                    mrn: String? = nil, phone: String? = nil, email: String? = nil) {
            self.givenName = givenName
            self.familyName = familyName
            self.dateOfBirth = dateOfBirth
            self.sex = sex
            self.mrn = mrn
            self.phone = phone
            self.email = email
        }
    }

    public static let maxNameLength = 100

    /// Checks every field and reports all problems at once. `today` bounds the date of birth.
    /// Names, record number, phone and email are trimmed and NFC-normalised (`Text.normalized`),
    /// so the same name typed in composed or decomposed form is stored alike.
    public static func validate(_ input: Input, today: CalendarDate) -> Result<PatientDetails, ValidationFailure> {
        var errors: [FieldError] = []

        func name(_ field: String, _ value: String?) -> String {
            guard let v = Text.normalized(value) else {
                errors.append(FieldError(field, "is required"))
                return ""
            }
            if v.count > maxNameLength { errors.append(FieldError(field, "must be at most \(maxNameLength) characters")) }
            if Text.hasControlCharacters(v) { errors.append(FieldError(field, "must not contain control characters")) }
            return v
        }
        let given = name("givenName", input.givenName)
        let family = name("familyName", input.familyName)

        var dob = CalendarDate("1900-01-01")!
        if let raw = Text.trimmed(input.dateOfBirth) {
            if let d = CalendarDate(raw) {
                if d > today {
                    errors.append(FieldError("dateOfBirth", "must not be in the future"))
                } else if d.year < 1900 {
                    errors.append(FieldError("dateOfBirth", "must be after 1900"))
                }
                dob = d
            } else {
                errors.append(FieldError("dateOfBirth", "must be a real date written YYYY-MM-DD"))
            }
        } else {
            errors.append(FieldError("dateOfBirth", "is required"))
        }

        var sex = Sex.unknown
        if let raw = Text.trimmed(input.sex) {
            if let s = Sex(rawValue: raw) { sex = s } else {
                errors.append(FieldError("sex", "must be one of female, male, other, unknown"))
            }
        }

        let mrn = Text.normalized(input.mrn)
        if let mrn {
            let allowed = mrn.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "/") }
            if !allowed || mrn.count > 32 {
                errors.append(FieldError("mrn", "may contain letters, digits, - and / only (at most 32)"))
            }
        }

        let phone = Text.normalized(input.phone)
        if let phone {
            let allowed = phone.unicodeScalars.allSatisfy { CharacterSet(charactersIn: "0123456789+-() ./").contains($0) }
            let digits = phone.filter(\.isNumber).count
            if !allowed || digits < 5 || phone.count > 32 {
                errors.append(FieldError("phone", "must be a phone number (digits, spaces, + - ( ) . /)"))
            }
        }

        let email = Text.normalized(input.email)
        if let email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.count > 254
                || email.contains(where: { $0.isWhitespace }) || Text.hasControlCharacters(email) {
                errors.append(FieldError("email", "must be an email address"))
            }
        }

        if !errors.isEmpty { return .failure(ValidationFailure(errors)) }
        return .success(PatientDetails(givenName: given, familyName: family, dateOfBirth: dob, sex: sex,
                                       mrn: mrn, phone: phone, email: email))
    }
}
