import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ScarCore
import ScarTestSupport
import Testing

/// A browser-like session for page tests: cookies kept, CSRF token taken from the forms.
struct PageSession: Sendable {
    var sessionCookie: String
    var csrf: String

    var cookieHeader: String { "scartrack_session=\(sessionCookie)" }

    /// Signs in through the real sign-in form, the way a browser does.
    static func signIn(_ h: Harness, role: Role) async throws -> PageSession {
        let form = try await h.request(.get, "/signin")
        let csrfCookie = try #require(cookie(named: "scartrack_csrf", in: form.headers))
        let hidden = try #require(hiddenValue("csrf", in: form.body))
        let email = h.staff[role]!.email
        let posted = try await h.request(.post, "/signin", headers: [.cookie: "scartrack_csrf=\(csrfCookie)"],
                                         rawBody: "csrf=\(hidden)&email=\(formEncode(email))&password=\(formEncode(Fixtures.password))",
                                         contentType: "application/x-www-form-urlencoded")
        guard posted.status == .seeOther, let session = cookie(named: "scartrack_session", in: posted.headers) else {
            throw HarnessError("page sign-in failed: \(posted.status)")
        }
        let page = try await h.request(.get, "/patients", headers: [.cookie: "scartrack_session=\(session)"])
        let csrf = try #require(hiddenValue("csrf", in: page.body))
        return PageSession(sessionCookie: session, csrf: csrf)
    }

    func get(_ h: Harness, _ path: String) async throws -> Reply {
        try await h.request(.get, path, headers: [.cookie: cookieHeader, .accept: "text/html"])
    }

    func post(_ h: Harness, _ path: String, _ fields: [(String, String)], includeCSRF: Bool = true) async throws -> Reply {
        var all = fields
        if includeCSRF { all.append(("csrf", csrf)) }
        let body = all.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        return try await h.request(.post, path, headers: [.cookie: cookieHeader, .accept: "text/html"], rawBody: body,
                                   contentType: "application/x-www-form-urlencoded")
    }

    static func cookie(named name: String, in headers: HTTPFields) -> String? {
        for value in headers[values: .setCookie] {
            let first = value.split(separator: ";").first.map(String.init) ?? ""
            if first.hasPrefix(name + "=") { return String(first.dropFirst(name.count + 1)) }
        }
        return nil
    }

    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

/// Requests on their own connection, for tests that need truly concurrent clients.
enum TestClientSession {
    static func post(port: Int, path: String, json: [String: Any]) async throws -> HTTPResponse.Status {
        let body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        // bcrypt runs for every counted attempt, and test machines are shared: allow it time.
        return try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120))) { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return try await client.execute(TestClient.Request(path, method: .post, headers: headers, body: body)).status
        }
    }

    static func patch(port: Int, path: String, token: String, json: [String: Any], ifMatch: String) async throws -> HTTPResponse.Status {
        let body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        return try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            headers[.contentType] = "application/json"
            headers[.ifMatch] = ifMatch
            return try await client.execute(TestClient.Request(path, method: .patch, headers: headers, body: body)).status
        }
    }
}
