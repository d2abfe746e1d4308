import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// `/admin/import` over real HTTP, as an administrator's browser uses it: upload → dry run report
/// (nothing written) → error report download → Import.
@Suite("Import page")
struct ImportPageTests {
    static func patientCount(_ h: Harness) async throws -> Int {
        try await h.db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM patients WHERE clinic_id = \(bind: h.clinic.id)").first()!.decode(column: "n", as: Int.self)
        }
    }

    static func upload(_ h: Harness, _ s: PageSession, file: String?, kind: String = "patients", dateFormat: String = "DD/MM/YYYY") async throws -> RawReply {
        var form = Multipart()
        form.fields = [("csrf", s.csrf), ("kind", kind), ("mapping", "scartrack"), ("dateFormat", dateFormat)]
        if let file { form.files = [("file", "clinic-export.csv", "text/csv", Array(file.utf8))] }
        return try await h.send(.post, "/admin/import", headers: [.cookie: s.cookieHeader, .accept: "text/html"], body: form.body,
                                contentType: form.contentType)
    }

    @Test func anAdministratorChecksAFileDownloadsTheErrorsAndImports() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .admin)
            let start = try await s.get(h, "/admin/import")
            #expect(start.status == .ok)
            #expect(start.body.contains("enctype=\"multipart/form-data\"") && start.body.contains("id=\"nav-import\""))
            let before = try await Self.patientCount(h)

            let file = "sourceId;givenName;familyName;dateOfBirth\nW1;Ivy;Page;12/04/1991\nW2;Tom;Page;01/02/1980\nW3;Bad;Date;1980-02-01\n"
            let checked = try await Self.upload(h, s, file: file)
            #expect(checked.status == .ok, "\(checked.text)")
            let html = checked.text
            #expect(html.contains("nothing written yet"))
            #expect(html.contains("<dt>Ready to import</dt><dd>2</dd>"))
            #expect(html.contains("<td>4</td><td>dateOfBirth</td><td>must be a real date written DD/MM/YYYY</td>"))
            #expect(try await Self.patientCount(h) == before, "the dry run wrote nothing")

            let action = try #require(html.range(of: #"/admin/import/[0-9a-f-]{36}"#, options: .regularExpression).map { String(html[$0]) })
            let errors = try await h.send(.get, action + "/errors.csv", headers: [.cookie: s.cookieHeader])
            #expect(errors.status == .ok)
            #expect(errors.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(errors.text == "row,field,reason\r\n4,dateOfBirth,must be a real date written DD/MM/YYYY\r\n")

            let imported = try await s.post(h, action, [])
            #expect(imported.status == .ok, "\(imported.body)")
            #expect(imported.body.contains("Imported from clinic-export.csv") && imported.body.contains("<dt>Imported</dt><dd>2</dd>"))
            #expect(try await Self.patientCount(h) == before + 2)
            let again = try await s.post(h, action, [])
            #expect(again.status == .conflict, "the uploaded file is gone once imported")
        }
    }

    @Test func aMissingFileIsShownBesideItsFieldAndMissingColumnsInTheReport() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .admin)
            let noFile = try await Self.upload(h, s, file: nil)
            #expect(noFile.status == .unprocessableContent)
            #expect(noFile.text.contains("id=\"file-error\">File is required: choose a CSV file"))
            let noColumns = try await Self.upload(h, s, file: "\u{FEFF}x\n1\n", kind: "appointments", dateFormat: "YYYY-MM-DD")
            #expect(noColumns.status == .ok)
            #expect(noColumns.text.contains("<td>1</td><td>durationMinutes</td><td>this column is required and is not in the file</td>"))
            #expect(!noColumns.text.contains("id=\"import-button\""), "nothing to import")
        }
    }
}
