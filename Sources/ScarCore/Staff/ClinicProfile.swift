import Foundation

/// Who the clinic is, as every page, handout, report and message shows it: its name, postal
/// address, phone, e-mail, and the time zone its day runs in.
public struct ClinicProfile: Sendable, Equatable, Codable {
    public var name: String
    /// Lines of the postal address, as printed on a letterhead.
    public var address: String
    public var phone: String
    public var email: String
    /// IANA zone; times are stored in UTC and shown in this zone.
    public var timeZone: String

    public init(name: String, address: String = "", phone: String = "", email: String = "", timeZone: String) {
        self.name = name
        self.address = address
        self.phone = phone
        self.email = email
        self.timeZone = timeZone
    }

    /// A clinic made by the installer has a name and a zone only; the rest is asked for once.
    public var isComplete: Bool { !address.isEmpty && !phone.isEmpty }

    public var addressLines: [String] { address.split(separator: "\n").map { String($0) } }

    /// "12 Harbour Road, Portsmouth PO1 2AB · 023 9200 0000 · desk@clinic.example": one line for footers.
    public var contactLine: String {
        ([addressLines.joined(separator: ", "), phone, email]).filter { !$0.isEmpty }.joined(separator: " · ")
    }

    /// What the settings form sends, before it is checked.
    public struct Input: Sendable, Equatable {
        public var name: String?
        public var address: String?
        public var phone: String?
        public var email: String?
        public var timeZone: String?

        public init(name: String?, address: String?, phone: String?, email: String?, timeZone: String?) {
            self.name = name
            self.address = address
            self.phone = phone
            self.email = email
            self.timeZone = timeZone
        }
    }

    public static func validate(_ input: Input) -> Result<ClinicProfile, ValidationFailure> {
        var errors: [FieldError] = []
        let name = Text.normalized(input.name) ?? ""
        if name.isEmpty { errors.append(FieldError("name", "is required")) }
        else if name.count > 120 || Text.hasControlCharacters(name) { errors.append(FieldError("name", "must be one line of at most 120 characters")) }
        // The address keeps its line breaks (a letterhead prints them); each line is trimmed.
        let lines = (input.address ?? "").replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: true)
            .map { Text.nfc($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
        if lines.count > 6 || lines.contains(where: { $0.count > 100 || Text.hasControlCharacters($0) }) {
            errors.append(FieldError("address", "must be at most 6 lines of at most 100 characters"))
        }
        let phone = Text.trimmed(input.phone) ?? ""
        if phone.count > 40 || phone.contains(where: { !($0.isNumber || " +-()./".contains($0)) }) {
            errors.append(FieldError("phone", "must be a phone number (digits, spaces, + - ( ) . /), at most 40 characters"))
        }
        let email = Text.trimmed(input.email) ?? ""
        if !email.isEmpty, email.count > 254 || !Self.looksLikeEmail(email) {
            errors.append(FieldError("email", "must be an e-mail address such as desk@clinic.example"))
        }
        let zone = Text.trimmed(input.timeZone) ?? ""
        if zone.isEmpty { errors.append(FieldError("timeZone", "is required")) }
        else if TimeZone(identifier: zone) == nil {
            errors.append(FieldError("timeZone", "must be a time zone such as Europe/London"))
        }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        return .success(ClinicProfile(name: name, address: lines.joined(separator: "\n"), phone: phone, email: email, timeZone: zone))
    }

    static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(where: { $0.isWhitespace })
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }
}
