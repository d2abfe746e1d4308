import Foundation
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// `scartrack import` through the built executable on a real data folder: a dry run that writes
/// nothing, the import with progress and summary, the error report file, a second run that changes nothing.
@Suite("import command")
struct ImportCommandTests {
    @Test func dryRunImportAndRerunThroughTheCommandLine() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProcessRunner.scartrack.path), "build scartrack first")
        try await AuditVerifyCommandTests.withDataFolder { dir, db in
            let csv = "\(dir)/openemr.csv"
            let report = "\(dir)/errors.csv"
            try "pid,pubpid,fname,lname,DOB,sex,email,phone_cell\n11,A-1,Ivy,Cli,1991-04-12,Female,ivy@example.org,\n12,A-2,Tom,Cli,1970-07-07,Male,,\n13,A-3,Bad,Cli,1970-02-30,Male,,\n"
                .write(toFile: csv, atomically: true, encoding: .utf8)
            func patients() async throws -> Int {
                try await db.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM patients").first()!.decode(column: "n", as: Int.self) }
            }
            let dry = try AuditVerifyCommandTests.run(["import", "patients", csv, "--mapping", "openemr", "--dry-run", "--errors", report], dataDirectory: dir)
            #expect(dry.status == 3, "some rows had errors: \(dry.stdout) \(dry.stderr)")
            #expect(dry.stdout.contains("Dry run (nothing written)") && dry.stdout.contains("Would import: 2"))
            #expect(dry.stderr.contains("patients: 3 rows read, 2 to import (batch 1)"))
            #expect(try String(contentsOfFile: report, encoding: .utf8) == "row,field,reason\r\n4,DOB,must be a real date written YYYY-MM-DD\r\n")
            #expect(try await patients() == 0)

            let real = try AuditVerifyCommandTests.run(["import", "patients", csv, "--mapping", "openemr"], dataDirectory: dir)
            #expect(real.status == 3)
            #expect(real.stdout.contains("Imported: 2") && real.stdout.contains("Rows with errors (skipped): 1") && real.stdout.contains("rows/s"))
            #expect(try await patients() == 2)

            let again = try AuditVerifyCommandTests.run(["import", "patients", csv, "--mapping", "openemr"], dataDirectory: dir)
            #expect(again.stdout.contains("Imported: 0") && again.stdout.contains("Skipped as already imported: 2"))
            #expect(try await patients() == 2)

            let missing = try AuditVerifyCommandTests.run(["import", "appointments", csv], dataDirectory: dir)
            #expect(missing.status == 2 && missing.stdout.contains("this column is required"))
        }
    }
}
