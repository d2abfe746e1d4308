import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Likely duplicates within one file (held for review in the dry run, the import and the row
/// report, never merged) and the import API for integrators (`POST /api/v1/imports/{kind}`, the
/// same use cases as the command line and the admin page), on both engines.
@Suite("CSV import: duplicates within a file and the import API")
struct ImportAPIAndSameFileDuplicateTests {
    static let twins = """
        sourceId,givenName,familyName,dateOfBirth
        T1,Ana,O'Neil,1990-05-06
        T2,Zed,Other,1980-01-01
        T3, ana ,oneil,1990-05-06
        T4,Ana,O'Neil,1990-05-07

        """

    @Test func aPersonTwiceInOneFileIsHeldForReviewInTheDryRunTheImportAndTheReport() async throws {
        try await ImportTests.with { s in
            let url = try ImportTests.file(Self.twins)
            let before = try await ImportTests.counts(s.db)
            let dry = try await ImportTests.patients(s, url, .init(dryRun: true))
            #expect(try await ImportTests.counts(s.db) == before, "the dry run writes nothing")
            #expect(dry.imported == 3 && dry.duplicates.map(\.row) == [4] && dry.duplicates.first?.sameFileRow == 2)
            #expect(dry.duplicates.first?.existingRecordNumber == nil)
            #expect(dry.errorReport.contains("4,likely duplicate,same name and date of birth as row 2 of this file: held for review and not imported"),
                    "\(dry.errorReport)")
            #expect(dry.rowsWithErrors == 0, "held for review is not an error")
            let real = try await ImportTests.patients(s, url)
            #expect(real.imported == 3 && real.duplicates.map(\.row) == [4])
            #expect(try await ImportTests.stored(s).count == 3, "the second Ana is not written, and nothing is merged")
            let reviewed = try await ImportTests.patients(s, url, .init(importDuplicates: true))
            #expect(reviewed.imported == 1 && reviewed.alreadyImported == 3)
            #expect(try await ImportTests.stored(s).count == 4, "after review: a new record")
        }
    }

    static func csv(_ h: Harness, _ path: String, _ body: String, token: String, contentType: String = "text/csv") async throws -> Reply {
        try await h.request(.post, path, token: token, rawBody: body, contentType: contentType)
    }

    @Test func theImportAPIRunsTheSameUseCaseDryRunFirstAndNamesWhatIsWrong() async throws {
        try await Harness.run { h in
            let admin = try await h.token(.admin)
            let patientsBefore = try await h.request(.get, "/api/v1/patients", token: admin).body
            let dry = try await Self.csv(h, "/api/v1/imports/patients?dryRun=true", Self.twins, token: admin)
            #expect(dry.status == .ok && dry.headers[.contentType] == "application/json", "\(dry.status) \(dry.body)")
            #expect(dry.json["dryRun"] as? Bool == true && dry.json["imported"] as? Int == 3 && dry.json["rowsRead"] as? Int == 4)
            let duplicates = dry.json["duplicates"] as? [[String: Any]] ?? []
            #expect(duplicates.count == 1 && duplicates.first?["row"] as? Int == 4 && duplicates.first?["sameFileRow"] as? Int == 2)
            #expect(try await h.request(.get, "/api/v1/patients", token: admin).body == patientsBefore, "a dry run writes nothing")

            let bad = "sourceId,givenName,familyName,dateOfBirth\nB1,Bea,Bad,1970-02-30\nB2,Bo,Good,03.04.1975\n"
            let dotted = try await Self.csv(h, "/api/v1/imports/patients?dateFormat=DD.MM.YYYY", bad, token: admin)
            #expect(dotted.status == .ok && dotted.json["imported"] as? Int == 1 && dotted.json["rowsWithErrors"] as? Int == 1, "\(dotted.body)")
            let problems = dotted.json["problems"] as? [[String: Any]] ?? []
            #expect(problems.first?["row"] as? Int == 2 && problems.first?["field"] as? String == "dateOfBirth")
            let before = try await SignSessionTests.auditHead(h.db)
            let real = try await Self.csv(h, "/api/v1/imports/patients", Self.twins, token: admin)
            #expect(real.status == .ok && real.json["imported"] as? Int == 3 && real.json["dryRun"] as? Bool == false)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["patient.import"], "one batch, one audit entry, as the command line")

            let missing = try await Self.csv(h, "/api/v1/imports/appointments", "sourceId,date\nA1,2026-01-01\n", token: admin)
            #expect(missing.status == .unprocessableContent && missing.problemFields.contains("time"), "\(missing.body)")
            for (path, field) in [("/api/v1/imports/patients?mapping=excel", "mapping"), ("/api/v1/imports/patients?dateFormat=YY", "dateFormat"),
                                  ("/api/v1/imports/patients?dryRun=yes", "dryRun"), ("/api/v1/imports/appointments?mapping=openemr", "mapping")] {
                let r = try await Self.csv(h, path, Self.twins, token: admin)
                #expect(r.status == .badRequest && r.problemFields.contains(field), "\(path): \(r.status) \(r.body)")
            }
            let empty = try await Self.csv(h, "/api/v1/imports/patients", "", token: admin)
            #expect(empty.status == .unprocessableContent && empty.problemFields.contains("body"))
            let json = try await Self.csv(h, "/api/v1/imports/patients", "{}", token: admin, contentType: "application/json")
            #expect(json.status == .unsupportedMediaType)
            for role in [Role.practitioner, .frontDesk, .researcher, .blindedRater] {
                let r = try await Self.csv(h, "/api/v1/imports/patients?dryRun=true", Self.twins, token: try await h.token(role))
                #expect(r.status == .forbidden, "\(role)")
            }
        }
    }
}
