import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// Issue 13, item 8: the clinic's logo, uploaded by an administrator on the clinic details page and
/// on the first-run set-up page, stored like photos, and shown in the header, the printed
/// letterhead, the course report, the post-care sheet and the patient portal.
@Suite("clinic logo")
struct ClinicLogoTests {
    static func form(_ bytes: [UInt8], filename: String = "logo.png", type: String = "image/png", next: String = "settings",
                     csrf: String) -> Multipart {
        var m = Multipart()
        m.fields = [("csrf", csrf), ("next", next)]
        m.files = [("logo", filename, type, bytes)]
        return m
    }

    func post(_ h: Harness, _ s: PageSession, _ path: String, _ form: Multipart) async throws -> RawReply {
        try await h.send(.post, path, headers: [.cookie: s.cookieHeader, .accept: "text/html"], body: form.body, contentType: form.contentType)
    }

    func logoRows(_ h: Harness) async throws -> Int {
        try await h.db.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM clinic_logos").first()!.decode(column: "n", as: Int.self) }
    }

    func auditActions(_ h: Harness) async throws -> [String] {
        try await h.db.read { sql in
            try await sql.raw("SELECT action FROM audit_log WHERE action LIKE 'clinic.logo-%' ORDER BY seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    @Test(arguments: [PhotoStoreKind.folder, .database])
    func anAdminUploadsReplacesAndRemovesTheLogoAndItIsServedWithItsTypeAndETag(store: PhotoStoreKind) async throws {
        try await withPhotoHarness(photoStore: store) { h, _ in
            let admin = try await PageSession.signIn(h, role: .admin)
            #expect(try await admin.get(h, "/admin/clinic").body.contains("id=\"no-logo\""))
            let png = ImageFixtures.png(width: 40, height: 20)
            let saved = try await post(h, admin, "/admin/clinic/logo", Self.form(png, csrf: admin.csrf))
            #expect(saved.status == .seeOther && saved.headers[.location] == "/admin/clinic?logo=saved#clinic-logo")
            let page = try await admin.get(h, "/admin/clinic?logo=saved")
            #expect(page.body.contains("id=\"logo-preview\"") && page.body.contains("id=\"logo-notice\""))
            #expect(page.body.contains("id=\"header-logo\"") && page.body.contains("id=\"letterhead-logo\""), "the header and letterhead show it")

            let image = try await h.send(.get, "/clinic/logo", headers: [.cookie: admin.cookieHeader])
            #expect(image.status == .ok && image.headers[.contentType] == "image/png" && image.bytes == png)
            let etag = try #require(image.headers[.eTag])
            #expect(etag == "\"\(PhotoStore.sha256Hex(png))\"" && image.headers[.cacheControl] == "private, max-age=3600")
            let again = try await h.send(.get, "/clinic/logo", headers: [.cookie: admin.cookieHeader, .ifNoneMatch: etag])
            #expect(again.status == .notModified && again.bytes.isEmpty)

            let jpeg = ImageFixtures.jpeg(width: 30, height: 10)
            let replaced = try await post(h, admin, "/admin/clinic/logo", Self.form(jpeg, filename: "logo.jpg", type: "image/jpeg", next: "set-up",
                                                                                  csrf: admin.csrf))
            #expect(replaced.headers[.location] == "/admin/clinic/set-up?logo=saved#clinic-logo")
            let second = try await h.send(.get, "/clinic/logo", headers: [.cookie: admin.cookieHeader, .ifNoneMatch: etag])
            #expect(second.status == .ok && second.headers[.contentType] == "image/jpeg" && second.headers[.eTag] != etag, "a replaced logo is new content")
            #expect(try await logoRows(h) == 1)

            let removed = try await post(h, admin, "/admin/clinic/logo/remove", { var m = Multipart(); m.fields = [("csrf", admin.csrf)]; return m }())
            #expect(removed.status == .seeOther && removed.headers[.location] == "/admin/clinic?logo=removed#clinic-logo")
            #expect(try await h.send(.get, "/clinic/logo", headers: [.cookie: admin.cookieHeader]).status == .notFound)
            #expect(!(try await admin.get(h, "/patients")).body.contains("id=\"letterhead-logo\""))
            #expect(try await logoRows(h) == 0)
            #expect(try await auditActions(h) == ["clinic.logo-update", "clinic.logo-update", "clinic.logo-remove"], "one entry per change")
        }
    }

    @Test func aFileThatIsNotAPNGOrJPEGOrIsTooLargeIsRefusedBesideTheLogoFieldAndNothingIsSaved() async throws {
        try await withPhotoHarness { h, dir in
            let admin = try await PageSession.signIn(h, role: .admin)
            let svg = Array("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8)
            // Named and declared as a PNG: the bytes decide.
            let disguised = try await post(h, admin, "/admin/clinic/logo", Self.form(svg, filename: "logo.png", csrf: admin.csrf))
            #expect(disguised.status == .unprocessableContent)
            #expect(disguised.text.contains("id=\"logo-error\"") && disguised.text.contains("must be a PNG or JPEG image"))
            let truncated = try await post(h, admin, "/admin/clinic/logo", Self.form(Array(ImageFixtures.png(width: 8, height: 8).prefix(20)),
                                                                                   next: "set-up", csrf: admin.csrf))
            #expect(truncated.status == .unprocessableContent && truncated.text.contains("id=\"set-up-form\""), "the set-up page comes back")
            #expect(truncated.text.contains("id=\"logo-error\"") && truncated.text.contains("could not be read as a PNG image"))
            let large = ImageFixtures.png(width: 620, height: 620)
            #expect(large.count > ClinicLogo.maxBytes)
            let tooLarge = try await post(h, admin, "/admin/clinic/logo", Self.form(large, csrf: admin.csrf))
            #expect(tooLarge.status == .unprocessableContent && tooLarge.text.contains("Logo is larger than 1 MiB"))
            let missing = try await post(h, admin, "/admin/clinic/logo", Self.form([], csrf: admin.csrf))
            #expect(missing.status == .unprocessableContent && missing.text.contains("id=\"logo-error\""))
            #expect(try await logoRows(h) == 0 && filesUnder(dir).filter { $0.hasPrefix("photos/") }.isEmpty, "nothing was stored")
            #expect(try await auditActions(h).isEmpty)
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let refused = try await post(h, practitioner, "/admin/clinic/logo", Self.form(ImageFixtures.png(), csrf: practitioner.csrf))
            #expect(refused.status == .forbidden)
        }
    }

    @Test func theLogoIsShownOnTheCourseReportThePostCarePagesAndThePortalOfItsClinicOnly() async throws {
        try await withPhotoHarness { h, _ in
            let admin = try await PageSession.signIn(h, role: .admin)
            let setUp = try await admin.get(h, "/admin/clinic/set-up")
            #expect(setUp.body.contains("id=\"logo-form\"") && setUp.body.contains("name=\"next\" value=\"set-up\""), "the set-up page offers it")
            _ = try await post(h, admin, "/admin/clinic/logo", Self.form(ImageFixtures.png(width: 12, height: 6), next: "set-up", csrf: admin.csrf))
            let course = try await ClinicFixtures.readyToChart(h)
            let session = try await ClinicFixtures.signedSession(h, course)
            let (token, patient) = (course.practitioner, course.patient)
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let report = try await practitioner.get(h, "/patients/\(patient)/report")
            #expect(report.status == .ok && report.body.contains("id=\"report-logo\"") && report.body.contains("id=\"letterhead-logo\""))
            let sheet = try await practitioner.get(h, "/sessions/\(session.lower)/post-care")
            #expect(sheet.status == .ok && sheet.body.contains("id=\"postcare-logo\"") && sheet.body.contains("id=\"letterhead-logo\""))

            let caller = try await h.portalSignIn(patientId: patient, email: "ivy.logo@example.com", staffToken: token)
            let home = try await h.portal(.get, "/portal", as: caller, accept: "text/html")
            #expect(home.status == .ok && home.body.contains("id=\"portal-logo\""))
            let portalImage = try await h.send(.get, "/clinic/logo", headers: [.cookie: caller.cookieHeader])
            #expect(portalImage.status == .ok && portalImage.headers[.contentType] == "image/png")

            #expect(try await h.send(.get, "/clinic/logo").status == .notFound, "nobody signed in: no clinic, no logo")
            let otherToken = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.send(.get, "/clinic/logo", token: otherToken).status == .notFound, "another clinic has its own (none)")
        }
    }
}
