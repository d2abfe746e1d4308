import Foundation

/// What an installation's operator gives to add a clinic: its name, its time zone and the
/// email of its first administrator. Every field checked, all problems reported at once.
public struct NewClinic: Sendable, Equatable {
    public var name: String
    /// IANA zone (`Europe/London`); the clinic's days and times are shown in it.
    public var timeZone: String
    public var adminEmail: String
    public var adminName: String

    public static let maxNameLength = 120

    public struct Input: Sendable, Equatable {
        public var name: String?
        public var timeZone: String?
        public var adminEmail: String?
        public var adminName: String?
        public init(name: String? = nil, timeZone: String? = nil, adminEmail: String? = nil, adminName: String? = nil) {
            (self.name, self.timeZone, self.adminEmail, self.adminName) = (name, timeZone, adminEmail, adminName)
        }
    }

    public static func validate(_ input: Input) -> Result<NewClinic, ValidationFailure> {
        var errors: [FieldError] = []
        let name = Text.trimmed(input.name)
        if let name {
            if name.count > maxNameLength { errors.append(FieldError("name", "must be at most \(maxNameLength) characters")) }
            if Text.hasControlCharacters(name) { errors.append(FieldError("name", "must not contain control characters")) }
        } else {
            errors.append(FieldError("name", "is required"))
        }
        let zone = Text.trimmed(input.timeZone) ?? "UTC"
        // Only IANA names (`Area/Place` or UTC): abbreviations such as "BST" are ambiguous.
        if TimeZone(identifier: zone) == nil || !(zone == "UTC" || zone.contains("/")) || zone.count > 64 {
            errors.append(FieldError("timeZone", "must be an IANA time zone such as Europe/London"))
        }
        let email = Text.trimmed(input.adminEmail)?.lowercased()
        if let email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || parts[1].hasPrefix(".") || parts[1].hasSuffix(".")
                || email.count > 254 || email.contains(where: { $0.isWhitespace }) || Text.hasControlCharacters(email) {
                errors.append(FieldError("adminEmail", "must be an email address"))
            }
        } else {
            errors.append(FieldError("adminEmail", "is required"))
        }
        let adminName = Text.trimmed(input.adminName) ?? "Administrator"
        if adminName.count > 120 || Text.hasControlCharacters(adminName) {
            errors.append(FieldError("adminName", "must be at most 120 characters without control characters"))
        }
        guard errors.isEmpty, let name, let email else { return .failure(ValidationFailure(errors)) }
        return .success(NewClinic(name: name, timeZone: zone, adminEmail: email, adminName: adminName))
    }
}
