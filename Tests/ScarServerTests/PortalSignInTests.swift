import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

@Suite("Patient portal sign-in: invitations, one-time codes, throttling, sessions")
struct PortalSignInTests {
    static let link = String(repeating: "a", count: 40) + "xyz"

    func clinician(_ h: Harness) -> Clinician { Clinician(user: h.staff[.frontDesk]!, today: CalendarDate.utc(Date())) }
    func actor(_ h: Harness) -> AuditActor { AuditActor(user: h.staff[.frontDesk]!, clientAddress: "desk") }

    func patient(_ h: Harness, _ token: String, given: String = "Ada") async throws -> UUID {
        let id = try await h.registerPatient(token: token, given: given).json["id"] as? String
        return try #require(id.flatMap(UUID.init(uuidString:)))
    }

    @Test func theInvitationGoesThroughTheOutboxOnceAndItsCodeSignsInOnce() async throws {
        try await Harness.run { h in
            let staff = try await h.token(.frontDesk)
            let id = try await patient(h, staff)
            let invited = try await h.request(.post, "/api/v1/patients/\(id.lower)/portal-invitation", json: ["email": "Ada@Example.org "], token: staff)
            #expect(invited.status == .created, "\(invited.body)")
            #expect(invited.json["email"] as? String == "ada@example.org")
            #expect(invited.json["deskCode"] == nil)
            let messages = try await h.outbox(patientId: id)
            #expect(messages.map(\.kind) == ["portal-invitation"])
            #expect(messages.first?.recipient == "ada@example.org")
            let code = try #require(Harness.portalCode(in: messages.first?.body ?? ""))
            #expect(messages.first?.body.contains("/portal/signin/link?token=") == true)

            // The sender takes it once; a second pass finds nothing to send.
            let outbox = OutboxRepository(h.db)
            let claimed = try await outbox.claim(worker: "w1", now: Date().addingTimeInterval(1))
            #expect(claimed.filter { $0.kind == "portal-invitation" }.count == 1)
            for m in claimed { #expect(try await outbox.markSent(id: m.id, worker: "w1", now: Date())) }
            #expect(try await outbox.claim(worker: "w2", now: Date().addingTimeInterval(3600)).isEmpty)

            let opened = try await h.request(.post, "/api/v1/portal/sessions", json: ["email": "ada@example.org", "code": code])
            #expect(opened.status == .created, "\(opened.body)")
            let cookie = try #require(PageSession.cookie(named: "scartrack_portal", in: opened.headers))
            #expect(PageSession.cookie(named: "scartrack_session", in: opened.headers) == nil, "the portal never sets the staff cookie")
            let caller = PortalCaller(cookie: cookie, csrf: try #require(opened.json["csrfToken"] as? String), patientId: id.lower)
            let me = try await h.portal(.get, "/api/v1/portal/me", as: caller)
            #expect(me.status == .ok)
            #expect(me.json["patientId"] as? String == id.lower)

            let replay = try await h.request(.post, "/api/v1/portal/sessions", json: ["email": "ada@example.org", "code": code])
            #expect(replay.status == .unprocessableContent, "a code works once")
            #expect(replay.problemFields == ["code"])

            let noCSRF = try await h.request(.delete, "/api/v1/portal/sessions/current", headers: [.cookie: caller.cookieHeader])
            #expect(noCSRF.status == .forbidden)
            #expect(try await h.portal(.delete, "/api/v1/portal/sessions/current", as: caller).status == .noContent)
            #expect(try await h.portal(.get, "/api/v1/portal/me", as: caller).status == .unauthorized)
            #expect(try await h.auditActions(patientId: id).filter { $0.hasPrefix("portal.") }
                == ["portal.invite", "portal.sign-in", "portal.sign-in-failed", "portal.sign-out"])
        }
    }

    @Test func codesAndLinksAreSingleUseAndExpire() async throws {
        try await Harness.run { h in
            let id = try await patient(h, try await h.token(.frontDesk))
            let t0 = Date(timeIntervalSince1970: 1_900_000_000)
            let invite = InvitePatient(h.db), signIn = SignInWithCode(h.db)
            let email = "ada@example.org"
            func invited(_ code: String, link: String = Self.link, at time: Date = t0) async throws {
                _ = try await invite(.init(email: email, channel: "desk", linkBase: nil), patientId: id, by: clinician(h), actor: actor(h), now: time,
                                     secret: PortalSecret(code: code, link: link))
            }
            try await invited("111111")
            #expect(try await signIn(.code(email: email, code: "111 111"), clientAddress: "a1", now: t0.addingTimeInterval(PortalRules.invitationLifetime + 1)) == .wrong)
            try await invited("222222", link: String(repeating: "b", count: 43))
            guard case .signedIn(let opened) = try await signIn(.code(email: email, code: "222-222"), clientAddress: "a2",
                                                              now: t0.addingTimeInterval(PortalRules.invitationLifetime - 60))
            else { Issue.record("an unexpired code signs in"); return }
            #expect(opened.patientId == id)
            #expect(try await signIn(.code(email: email, code: "222222"), clientAddress: "a3", now: t0.addingTimeInterval(120)) == .wrong)
            #expect(try await signIn(.link(String(repeating: "b", count: 43)), clientAddress: "a3", now: t0.addingTimeInterval(120)) == .wrong,
                    "the link of a used code is used too")

            // A code asked for on the sign-in page lives 15 minutes.
            let request = RequestPortalCode(h.db)
            #expect(try await request(email: email, clientAddress: "a4", linkBase: nil, now: t0, secret: PortalSecret(code: "333333", link: String(repeating: "d", count: 43))) == .accepted)
            #expect(try await signIn(.code(email: email, code: "333333"), clientAddress: "a4", now: t0.addingTimeInterval(PortalRules.signInCodeLifetime + 1)) == .wrong)
            let link = String(repeating: "c", count: 43)
            #expect(try await request(email: email, clientAddress: "a5", linkBase: nil, now: t0, secret: PortalSecret(code: "444444", link: link)) == .accepted)
            guard case .signedIn = try await signIn(.link(link), clientAddress: "a5", now: t0.addingTimeInterval(60)) else {
                Issue.record("the link signs in"); return
            }
            #expect(try await signIn(.link(link), clientAddress: "a5", now: t0.addingTimeInterval(61)) == .wrong)
            #expect(try await signIn(.code(email: email, code: "444444"), clientAddress: "a5", now: t0.addingTimeInterval(62)) == .wrong)
        }
    }

    @Test func concurrentWrongGuessesAreAllCounted() async throws {
        try await Harness.run { h in
            let id = try await patient(h, try await h.token(.frontDesk))
            let email = "ada@example.org"
            _ = try await InvitePatient(h.db)(.init(email: email, channel: "desk", linkBase: nil), patientId: id, by: clinician(h), actor: actor(h), now: h.now,
                                              secret: PortalSecret(code: "123456", link: Self.link))
            let signIn = SignInWithCode(h.db)
            let outcomes = try await withThrowingTaskGroup(of: SignInWithCode.Outcome.self) { group in
                for i in 0..<12 {
                    group.addTask { try await signIn(.code(email: email, code: String(format: "%06d", 200_000 + i)), clientAddress: "9.9.9.9", now: h.now) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .wrong }.count == PortalRules.maxCodeEntriesPerAccount)
            #expect(outcomes.filter { $0 == .throttled }.count == 12 - PortalRules.maxCodeEntriesPerAccount)
            // The right code, now, from another address: the account is at its limit.
            #expect(try await signIn(.code(email: email, code: "123456"), clientAddress: "8.8.8.8", now: h.now) == .throttled)
            let counted = try await h.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM portal_attempts WHERE kind = 'code-entry' AND account = \(bind: email)").first()!
                    .decode(column: "n", as: Int.self)
            }
            #expect(counted == PortalRules.maxCodeEntriesPerAccount)
            let actions = try await h.db.read { sql in
                try await sql.raw("SELECT action FROM audit_log WHERE action LIKE 'portal.sign-in%'").all().map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(actions.filter { $0 == "portal.sign-in-failed" }.count == PortalRules.maxCodeEntriesPerAccount)
            #expect(actions.filter { $0 == "portal.sign-in-throttled" }.count == 12 - PortalRules.maxCodeEntriesPerAccount + 1)
        }
    }

    @Test func knownAndUnknownAddressesGetTheSameAnswer() async throws {
        try await Harness.run { h in
            let staff = try await h.token(.frontDesk)
            let id = try await patient(h, staff)
            _ = try await h.request(.post, "/api/v1/patients/\(id.lower)/portal-invitation", json: ["email": "ada@example.org"], token: staff)
            let known = try await h.request(.post, "/api/v1/portal/sign-in-codes", json: ["email": "ada@example.org"])
            let unknown = try await h.request(.post, "/api/v1/portal/sign-in-codes", json: ["email": "nobody@example.org"])
            #expect(known.status == .accepted)
            #expect(unknown.status == known.status && unknown.body == known.body)
            #expect(try await h.outbox(patientId: id).map(\.kind) == ["portal-invitation", "portal-code"])
            let total = try await h.db.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM message_outbox").first()!.decode(column: "n", as: Int.self) }
            #expect(total == 2, "nothing is sent for an unknown address")
            let bad = try await h.request(.post, "/api/v1/portal/sign-in-codes", json: ["email": "not an address"])
            #expect(bad.status == .unprocessableContent && bad.problemFields == ["email"])
            for _ in 0..<2 { _ = try await h.request(.post, "/api/v1/portal/sign-in-codes", json: ["email": "ada@example.org"]) }
            #expect(try await h.request(.post, "/api/v1/portal/sign-in-codes", json: ["email": "ada@example.org"]).status == .tooManyRequests)
        }
    }

    @Test func theLinkPageDoesNotSignInUntilItsButtonIsPressed() async throws {
        try await Harness.run { h in
            let id = try await patient(h, try await h.token(.frontDesk))
            _ = try await InvitePatient(h.db)(.init(email: "ada@example.org", channel: "email", linkBase: "https://portal.example"), patientId: id,
                                              by: clinician(h), actor: actor(h), now: h.now, secret: PortalSecret(code: "123456", link: Self.link))
            #expect(try await h.outbox(patientId: id).first?.body.contains("https://portal.example/portal/signin/link?token=\(Self.link)") == true)
            let page = try await h.request(.get, "/portal/signin/link?token=\(Self.link)", headers: [.accept: "text/html"])
            #expect(page.status == .ok)
            #expect(PageSession.cookie(named: "scartrack_portal", in: page.headers) == nil, "opening the link signs nobody in")
            let csrf = try #require(PageSession.cookie(named: "scartrack_csrf", in: page.headers))
            let hidden = try #require(PageSession.hiddenValue("csrf", in: page.body))
            let posted = try await h.request(.post, "/portal/signin/link", headers: [.cookie: "scartrack_csrf=\(csrf)", .accept: "text/html"],
                                             rawBody: "csrf=\(hidden)&token=\(Self.link)", contentType: "application/x-www-form-urlencoded")
            #expect(posted.status == .seeOther)
            #expect(posted.headers[.location] == "/portal")
            let cookie = try #require(PageSession.cookie(named: "scartrack_portal", in: posted.headers))
            let home = try await h.request(.get, "/portal", headers: [.cookie: "scartrack_portal=\(cookie)", .accept: "text/html"])
            #expect(home.status == .ok)
            #expect(home.body.contains("Hello, Ada") && home.body.contains(h.clinic.name))
        }
    }

    @Test func revokingAccessEndsThePatientsSessionsAtOnce() async throws {
        try await Harness.run { h in
            let staff = try await h.token(.frontDesk)
            let id = try await patient(h, staff)
            let caller = try await h.portalSignIn(patientId: id.lower, email: "ada@example.org", staffToken: staff)
            #expect(try await h.portal(.get, "/api/v1/portal/me", as: caller).status == .ok)
            #expect(try await h.request(.delete, "/api/v1/patients/\(id.lower)/portal-invitation", token: staff).status == .noContent)
            #expect(try await h.portal(.get, "/api/v1/portal/me", as: caller).status == .unauthorized)
            #expect(try await h.request(.delete, "/api/v1/patients/\(id.lower)/portal-invitation", token: staff).status == .noContent,
                    "ending access twice is no error")
            #expect(try await h.auditActions(patientId: id).last == "portal.revoke")
            // Another patient cannot be invited with an address a patient signs in with.
            let other = try await patient(h, staff, given: "Bea")
            _ = try await h.request(.post, "/api/v1/patients/\(id.lower)/portal-invitation", json: ["email": "ada@example.org"], token: staff)
            let taken = try await h.request(.post, "/api/v1/patients/\(other.lower)/portal-invitation", json: ["email": "ada@example.org"], token: staff)
            #expect(taken.status == .conflict && taken.problemFields == ["email"])
        }
    }
}
