import Foundation
import HTTPTypes
import Logging
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 11, item 4: a session lookup that fails because the database does not answer is an
/// outage, not a sign-out. The API answers 503 problem+json with `Retry-After` (GET and POST with
/// a valid token); a page answers a 503 error page in place (no redirect to /signin) that says
/// nothing was saved. Only a lookup that succeeds and finds no session is "no session".
@Suite("a database outage is not a sign-out")
struct SessionOutageTests {
    static let title = "The database is not answering right now"

    /// What a clinician with a valid API token and a valid page session sees while the database is out.
    static func expectOutageAnswers(_ h: Harness, token: String, page: PageSession) async throws {
        let get = try await h.request(.get, "/api/v1/me", token: token)
        #expect(get.status == .serviceUnavailable, "\(get.status) \(get.body)")
        #expect(get.isProblem)
        #expect(get.json["title"] as? String == Self.title)
        #expect(get.headers[.retryAfter] == "30")

        let post = try await h.registerPatient(token: token, family: "Outage")
        #expect(post.status == .serviceUnavailable, "\(post.status) \(post.body)")
        #expect(post.isProblem)
        #expect(post.headers[.retryAfter] == "30")

        // A page: an error page where the user is, not a redirect to sign-in.
        let shown = try await page.get(h, "/patients")
        #expect(shown.status == .serviceUnavailable, "\(shown.status) \(shown.headers)")
        #expect(shown.headers[.location] == nil)
        #expect(shown.headers[.contentType]?.hasPrefix("text/html") == true)
        #expect(shown.body.contains(Self.title))
        #expect(shown.body.contains("was not saved"))
        #expect(shown.headers[.retryAfter] == "30")

        // A form post (a chart being saved): the same page, at the same address.
        let form = try await page.post(h, "/patients", [("givenName", "Rhea"), ("familyName", "Outage"), ("dateOfBirth", "1990-01-02"),
                                                        ("sex", "female")])
        #expect(form.status == .serviceUnavailable, "\(form.status) \(form.headers)")
        #expect(form.headers[.location] == nil)
        #expect(form.body.contains("was not saved"))
    }

    static func expectRecovered(_ h: Harness, token: String, page: PageSession) async throws {
        let me = try await h.request(.get, "/api/v1/me", token: token)
        #expect(me.status == .ok, "the same token works again once the database answers: \(me.status)")
        #expect(try await page.get(h, "/patients").status == .ok)
        // And a token that does not exist is still simply no session.
        let unknown = try await h.request(.get, "/api/v1/me", token: "not-a-session-token")
        #expect(unknown.status == .unauthorized)
    }

    /// Both engines: the session store errors out (its table is out of reach, so the driver
    /// itself fails the lookup with its own error), then comes back.
    @Test func aSessionLookupTheDatabaseCannotAnswerIs503NotASignOut() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let page = try await PageSession.signIn(h, role: .practitioner)
            let unknown = try await h.request(.get, "/api/v1/me", token: "not-a-session-token")
            #expect(unknown.status == .unauthorized)

            try await h.db.write { sql in try await sql.raw("ALTER TABLE auth_sessions RENAME TO auth_sessions_away").run() }
            try await Self.expectOutageAnswers(h, token: token, page: page)
            try await h.db.write { sql in try await sql.raw("ALTER TABLE auth_sessions_away RENAME TO auth_sessions").run() }
            try await Self.expectRecovered(h, token: token, page: page)
        }
    }

    /// PostgreSQL: the database becomes unreachable for real. Every connection the app holds is
    /// terminated and new ones are refused by the server (`ALLOW_CONNECTIONS false`), the way a
    /// stopped or partitioned database looks to the app; then it is allowed back.
    @Test(.enabled(if: TestDatabase.engine == .postgres, "needs PostgreSQL"))
    func anUnreachablePostgreSQLIs503WithRetryAfterNotASignOut() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let page = try await PageSession.signIn(h, role: .practitioner)
            guard case .postgres(let url) = h.db.location, let base = ProcessInfo.processInfo.environment["SCARTRACK_TEST_DATABASE_URL"] else {
                Issue.record("not a PostgreSQL test database")
                return
            }
            let name = try #require(URL(string: url)?.lastPathComponent)
            let admin = try ScarDatabase(location: .postgres(url: base), logger: TestDatabase.logger, connectionsPerEventLoop: 1)
            do {
                try await admin.read { sql in
                    try await sql.raw("ALTER DATABASE \(ident: name) ALLOW_CONNECTIONS false").run()
                    try await sql.raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(bind: name) AND pid <> pg_backend_pid()").run()
                }
                #expect(await h.db.ping() == false, "the app's database is unreachable")
                try await Self.expectOutageAnswers(h, token: token, page: page)
                try await admin.read { sql in try await sql.raw("ALTER DATABASE \(ident: name) ALLOW_CONNECTIONS true").run() }
                try await Self.expectRecovered(h, token: token, page: page)
            } catch {
                try? await admin.read { sql in try await sql.raw("ALTER DATABASE \(ident: name) ALLOW_CONNECTIONS true").run() }
                await admin.shutdown()
                throw error
            }
            await admin.shutdown()
        }
    }
}
