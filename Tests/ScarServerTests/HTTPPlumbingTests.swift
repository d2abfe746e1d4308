import Foundation
import HTTPTypes
@testable import ScarServer
import ScarTestSupport
import Testing

/// The HTTP plumbing, one way each: the strict JSON reader, the page id parameter, explicit
/// nulls and the markup escaper.
@Suite("HTTP plumbing")
struct HTTPPlumbingTests {
    @Test func theJSONReaderNamesWrongTypesUnknownKeysAndMissingFields() async throws {
        try await Harness.run { h in
            let path = "/api/v1/auth/sessions"
            let wrongType = try await h.request(.post, path, json: ["email": 5, "password": "x"])
            #expect(wrongType.status == .unprocessableContent && wrongType.problemFields == ["email"], "\(wrongType.body)")
            let unknown = try await h.request(.post, path, json: ["email": "a@b.example", "password": "x", "remember": true])
            #expect(unknown.status == .unprocessableContent && unknown.problemFields == ["remember"], "\(unknown.body)")
            let missing = try await h.request(.post, path, json: ["remember": true])
            #expect(missing.status == .unprocessableContent && Set(missing.problemFields) == ["remember", "email", "password"], "\(missing.body)")
            let notAnObject = try await h.request(.post, path, rawBody: "[1, 2]")
            #expect(notAnObject.status == .badRequest && notAnObject.isProblem)
            let notJSON = try await h.request(.post, path, rawBody: "email=a", contentType: "application/x-www-form-urlencoded")
            #expect(notJSON.status == .unsupportedMediaType)
        }
    }

    @Test func aMalformedIdInAPagePathIsNotFound() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let r = try await admin.post(h, "/admin/staff/not-a-uuid/access", [("version", "1"), ("active", "false")])
            #expect(r.status == .notFound)
        }
    }

    struct Sample: Encodable {
        @ExplicitNull var note: String?
        @ExplicitNull var count: Int?
    }

    @Test func explicitNullsAreWrittenAndValuesAreKept() throws {
        let data = try JSON.encoder.encode(Sample(note: nil, count: 3))
        #expect(String(decoding: data, as: UTF8.self) == #"{"count":3,"note":null}"#)
    }

    @Test func markupEscapesTextAndAttributeValues() {
        #expect(Markup.escape(#"<a title="x">O'Brien & co</a>"#) == "&lt;a title=&quot;x&quot;&gt;O&#39;Brien &amp; co&lt;/a&gt;")
    }
}
