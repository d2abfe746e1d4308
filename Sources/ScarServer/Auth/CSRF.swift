import Foundation
import Hummingbird

/// Cross-site request forgery protection for pages. Signed in: the form's `csrf` field must
/// equal the token stored with the server-side session. Signed out (the sign-in form itself):
/// it must equal a random cookie set when the form was shown (double submit).
enum CSRF {
    static let cookieName = "scartrack_csrf"
    static let fieldName = "csrf"

    static func check(form: FormBody, request: Request, context: AppContext, policy: AccessPolicy = .anyone) throws {
        guard let sent = form[fieldName], !sent.isEmpty else { throw AppError.csrf }
        if let expected = sessionToken(policy: policy, context: context) {
            guard equal(sent, expected) else { throw AppError.csrf }
        } else {
            guard let cookie = request.cookies[cookieName]?.value, equal(sent, cookie) else { throw AppError.csrf }
        }
    }

    /// The token a signed-in form must carry: the portal session's on portal routes, the staff
    /// session's elsewhere (a signed-out form: none, the double-submit cookie is checked).
    static func sessionToken(policy: AccessPolicy, context: AppContext) -> String? {
        if case .patient = policy { return context.signedInPatient?.csrfToken }
        return context.signedIn?.csrfToken
    }

    /// Constant-time comparison: the time taken does not reveal how much of a guess was right.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// Random tokens from the system's secure generator.
enum Token {
    static func make(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
