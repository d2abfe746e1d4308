/// Staff password rules: long enough to resist guessing, and not one of the passwords
/// attackers try first. Pure, so the CLI, the API and the pages apply the same rule.
public enum PasswordPolicy {
    public static let minimumLength = 12

    public static func problems(_ password: String, email: String? = nil) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength {
            problems.append("must be at least \(minimumLength) characters")
        }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) {
            problems.append("is one of the most commonly used passwords")
        }
        if let email, let local = email.split(separator: "@").first, local.count >= 4,
           lowered.contains(local.lowercased()) {
            problems.append("must not contain the email address")
        }
        if Set(password).count < 4 {
            problems.append("uses too few different characters")
        }
        return problems
    }

    /// Common passwords of 12 or more characters (shorter ones already fail the length rule),
    /// from public breach-frequency lists.
    static let commonPasswords: Set<String> = [
        "123456789012", "1234567890123", "12345678901234", "123456123456", "password1234",
        "password12345", "password123456", "passwordpassword", "qwertyuiop123", "qwerty123456",
        "1q2w3e4r5t6y", "1qaz2wsx3edc", "qwertyuiopasdf", "iloveyou1234", "welcome12345",
        "administrator", "administrator1", "letmein12345", "football1234", "baseball1234",
        "changeme1234", "abcdefghijkl", "abc123abc123", "aaaaaaaaaaaa", "111111111111",
        "000000000000", "zaq12wsxcde3", "trustno11234", "sunshine1234", "princess1234",
        "superman1234", "p@ssw0rd1234", "passw0rd1234", "mypassword123", "q1w2e3r4t5y6",
        "1234qwerasdf", "asdfghjkl123", "monkey123456", "dragon123456", "master123456",
        "microneedling", "scartrack123", "scartrack2026", "clinic123456", "doctor123456",
    ]
}
