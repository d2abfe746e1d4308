import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// A patient signed in to the portal the way an app would be: invited at the desk by staff, then
/// signed in with the code through the API. The portal cookie and its CSRF token.
struct PortalCaller: Sendable {
    var cookie: String
    var csrf: String
    var patientId: String

    var cookieHeader: String { "scartrack_portal=\(cookie)" }
}

extension Harness {
    func portalSignIn(patientId: String, email: String, staffToken: String) async throws -> PortalCaller {
        let invited = try await request(.post, "/api/v1/patients/\(patientId)/portal-invitation", json: ["email": email, "channel": "desk"],
                                        token: staffToken)
        guard invited.status == .created, let code = invited.json["deskCode"] as? String else {
            throw HarnessError("portal invitation failed: \(invited.status) \(invited.body)")
        }
        let opened = try await request(.post, "/api/v1/portal/sessions", json: ["email": email, "code": code])
        guard opened.status == .created, let cookie = PageSession.cookie(named: "scartrack_portal", in: opened.headers),
              let csrf = opened.json["csrfToken"] as? String
        else { throw HarnessError("portal sign-in failed: \(opened.status) \(opened.body)") }
        return PortalCaller(cookie: cookie, csrf: csrf, patientId: patientId)
    }

    /// A request with the portal cookie (and, for writes, its CSRF token as header and form field).
    func portal(_ method: HTTPRequest.Method, _ path: String, as caller: PortalCaller, json: Any? = nil, form: [(String, String)]? = nil,
                accept: String = "application/json") async throws -> Reply {
        var headers: HTTPFields = [.cookie: caller.cookieHeader, .accept: accept]
        headers[HTTPField.Name("X-CSRF-Token")!] = caller.csrf
        if let form {
            let body = (form + [("csrf", caller.csrf)]).map { "\(PageSession.formEncode($0.0))=\(PageSession.formEncode($0.1))" }.joined(separator: "&")
            return try await request(method, path, headers: headers, rawBody: body, contentType: "application/x-www-form-urlencoded")
        }
        return try await request(method, path, json: json, headers: headers)
    }

    /// The audit actions recorded against a patient, oldest first.
    func auditActions(patientId: UUID) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw("SELECT action FROM audit_log WHERE patient_id = \(bind: patientId) ORDER BY seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    /// The outbox's messages to a patient: kind, recipient, body.
    func outbox(patientId: UUID) async throws -> [(kind: String, recipient: String, body: String)] {
        try await db.read { sql in
            try await sql.raw("SELECT kind, recipient, body FROM message_outbox WHERE patient_id = \(bind: patientId) ORDER BY created_at").all()
                .map { (try $0.decode(column: "kind", as: String.self), try $0.decode(column: "recipient", as: String.self),
                        try $0.decode(column: "body", as: String.self)) }
        }
    }

    /// The six-digit code in a portal message ("123 456").
    static func portalCode(in body: String) -> String? {
        guard let range = body.range(of: #"\b\d{3} \d{3}\b"#, options: .regularExpression) else { return nil }
        return String(body[range])
    }
}
