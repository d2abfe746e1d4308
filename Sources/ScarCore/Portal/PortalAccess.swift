import Foundation

/// The portal's sign-in rules (issue 14), one place: how long an invitation, a sign-in code and a
/// portal session live, and how many attempts the throttle allows. Not clinical numbers: the
/// product's security settings, documented in docs/PORTAL.md.
public enum PortalRules {
    /// An invitation's link and code (e-mailed or shown at the desk).
    public static let invitationLifetime: TimeInterval = 72 * 60 * 60
    /// A code or link the patient asked for on the sign-in page.
    public static let signInCodeLifetime: TimeInterval = 15 * 60
    /// A portal session ends this long after sign-in, whatever happens.
    public static let sessionLifetime: TimeInterval = 60 * 60
    /// A portal session ends after this long without a request.
    public static let sessionIdleTimeout: TimeInterval = 20 * 60
    /// The throttle's window.
    public static let throttleWindow: TimeInterval = 15 * 60
    /// Wrong codes (or links) per e-mail address, and per client address, within the window.
    public static let maxCodeEntriesPerAccount = 5
    public static let maxCodeEntriesPerAddress = 20
    /// Codes asked for per e-mail address, and per client address, within the window.
    public static let maxCodeRequestsPerAccount = 3
    public static let maxCodeRequestsPerAddress = 20
}

/// A fresh one-time secret: the short code a person types (six digits, shown as "123 456") and
/// the long link token (256 bits) an e-mailed link carries. Randomness is passed in.
public struct PortalSecret: Sendable, Equatable {
    public var code: String
    public var link: String

    public init(code: String, link: String) {
        self.code = code
        self.link = link
    }

    public static func make<R: RandomNumberGenerator>(using rng: inout R) -> PortalSecret {
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &rng))
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        let link = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return PortalSecret(code: code, link: link)
    }

    /// The code as people write it, for messages and the desk: "123 456".
    public var displayCode: String { String(code.prefix(3)) + " " + String(code.suffix(3)) }

    /// What a person typed, as a code: digits only (spaces and dashes dropped); nil unless six digits.
    public static func normalizedCode(_ typed: String) -> String? {
        let digits = typed.filter { !$0.isWhitespace && $0 != "-" }
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }

    /// A link token as it arrives: base64url characters only, 43 of them; nil otherwise.
    public static func normalizedLink(_ sent: String) -> String? {
        guard sent.count == 43, sent.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        return sent
    }

    /// An e-mail address as the portal compares it: trimmed, lower case; nil when it cannot be one.
    public static func normalizedEmail(_ typed: String?) -> String? {
        guard let email = Text.normalized(typed)?.lowercased() else { return nil }
        guard email.count <= 254, let at = email.firstIndex(of: "@"), at != email.startIndex, email.index(after: at) != email.endIndex,
              !email.contains(where: { $0.isWhitespace }) else { return nil }
        return email
    }
}

/// The messages the portal sends through the outbox, in plain words.
public enum PortalMessages {
    public struct Message: Sendable, Equatable {
        public var subject: String
        public var body: String
    }

    /// The invitation: the link (when the server knows its public address) and the code.
    public static func invitation(clinicName: String, clinicPhone: String, secret: PortalSecret, linkURL: String?) -> Message {
        var lines = ["Hello,", "", "\(clinicName) has invited you to its patient portal, where you can fill in your health questions,",
                     "read and sign your consent forms and follow your treatment course.", ""]
        if let linkURL { lines += ["Open this link to sign in (it works once, for 3 days):", linkURL, "", "Or enter this code on the portal's sign-in page:"] }
        else { lines += ["Enter this code on the portal's sign-in page (it works once, for 3 days):"] }
        lines += [secret.displayCode, ""] + footer(clinicName: clinicName, clinicPhone: clinicPhone)
        return Message(subject: "Your invitation to the \(clinicName) patient portal", body: lines.joined(separator: "\n"))
    }

    /// A sign-in code the patient asked for.
    public static func signInCode(clinicName: String, clinicPhone: String, secret: PortalSecret, linkURL: String?) -> Message {
        var lines = ["Hello,", "", "Your sign-in code for the \(clinicName) patient portal is:", secret.displayCode, "",
                     "It works once, for 15 minutes."]
        if let linkURL { lines += ["", "Or open this link to sign in:", linkURL] }
        lines += [""] + footer(clinicName: clinicName, clinicPhone: clinicPhone)
        return Message(subject: "Your \(clinicName) portal sign-in code", body: lines.joined(separator: "\n"))
    }

    static func footer(clinicName: String, clinicPhone: String) -> [String] {
        ["If you did not ask for this, you can ignore this message.",
         clinicPhone.isEmpty ? clinicName : "\(clinicName) · \(clinicPhone)"]
    }
}
