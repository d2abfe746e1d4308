import Foundation

/// RFC 4648 base32 (the alphabet authenticator apps expect for TOTP secrets), without padding.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }

    /// Decodes, ignoring case, spaces, dashes and `=` padding; nil for any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        for c in text.uppercased() where c != " " && c != "-" && c != "=" {
            guard let value = alphabet.firstIndex(of: c) else { return nil }
            buffer = ((buffer << 5) | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}

/// Time-based one-time passwords (RFC 6238) with the parameters every authenticator app
/// supports: 30-second steps, 6 digits, HMAC-SHA-1. The HMAC itself is computed by the
/// caller (ScarCore has no cryptography); everything else is here and pure.
public enum TOTP {
    public static let period: Int64 = 30
    public static let digits = 6
    /// Codes of the previous and next step are accepted too (clock drift of ±30 s).
    public static let drift: ClosedRange<Int64> = -1...1
    /// 160-bit secrets, the size RFC 4226 recommends for HMAC-SHA-1.
    public static let secretBytes = 20

    /// The RFC 6238 time step `T = floor((unix time - T0) / X)` with T0 = 0, X = 30.
    public static func step(at date: Date, period: Int64 = TOTP.period) -> Int64 {
        Int64((date.timeIntervalSince1970).rounded(.down)) / period
    }

    /// The 8-byte big-endian counter HMAC'd for a step.
    public static func message(step: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: step) >> (56 - 8 * UInt64($0))) }
    }

    /// RFC 4226 dynamic truncation of an HMAC to `digits` decimal digits, zero-padded.
    public static func truncate(_ hmac: [UInt8], digits: Int = digits) -> String {
        let offset = Int(hmac[hmac.count - 1] & 0x0F)
        let binary = (Int(hmac[offset] & 0x7F) << 24) | (Int(hmac[offset + 1]) << 16) | (Int(hmac[offset + 2]) << 8) | Int(hmac[offset + 3])
        var modulus = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: max(0, digits - value.count)) + value
    }

    /// What a person typed, as a 6-digit code (spaces allowed), or nil.
    public static func normalizedCode(_ input: String) -> String? {
        let compact = input.filter { $0 != " " }
        guard compact.count == digits, compact.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return compact
    }

    /// The `otpauth://` URI authenticator apps read (Key Uri Format), for the secret's base32.
    public static func authenticatorURI(secret: [UInt8], account: String, issuer: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        let label = (issuer + ":" + account).addingPercentEncoding(withAllowedCharacters: allowed) ?? account
        let encodedIssuer = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? "ScarTrack"
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(encodedIssuer)&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }
}

/// One-time recovery codes: ten per enrolment, shown once, stored hashed. Each is ten
/// characters from a 31-character alphabet without look-alikes (about 49 bits), shown as `xxxxx-xxxxx`.
public enum RecoveryCodes {
    public static let count = 10
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public static func generate<R: RandomNumberGenerator>(using rng: inout R) -> [String] {
        (0..<count).map { _ in
            let chars = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            return String(chars[0..<5]) + "-" + String(chars[5..<10])
        }
    }

    /// What a person typed, in the stored form (lower case, no dash or spaces), or nil when it
    /// cannot be a recovery code.
    public static func normalized(_ input: String) -> String? {
        let compact = input.lowercased().filter { $0 != " " && $0 != "-" }
        guard compact.count == 10, compact.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return compact
    }
}
