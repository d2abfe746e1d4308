import Foundation
import ScarClinic
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// CSV import (issue 15) through the use cases, on both engines: hostile files, a dry run that
/// writes nothing, re-runs that change nothing, duplicates held for review, batches that land whole
/// or not at all, and past appointments that send no messages.
@Suite("CSV import of patients and appointments")
struct ImportTests {
    struct Setup {
        var db: ScarDatabase
        var clinic: Clinic
        var admin: StaffUser
        var actor: AuditActor { AuditActor(user: admin, clientAddress: "test") }
        static let today = CalendarDate("2026-11-21")!
    }

    static func with(_ body: (Setup) async throws -> Void) async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let admin = try await Fixtures.staff(db, clinic: clinic, role: .admin)
            _ = try await Fixtures.staff(db, clinic: clinic, role: .practitioner)
            _ = try await ScheduleRepository(db).addRoom(name: "Room 1", clinicId: clinic.id, by: .commandLine(clinicId: clinic.id))
            try await body(Setup(db: db, clinic: clinic, admin: admin))
        }
    }

    static func file(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("import-test-\(UUID().uuidString.lowercased()).csv")
        try Data(bytes).write(to: url)
        return url
    }

    static func file(_ text: String) throws -> URL { try file(Array(text.utf8)) }

    static func patients(_ s: Setup, _ url: URL, mapping: ImportMapping = .scarTrack(.patients), _ options: ImportOptions = .init()) async throws -> ImportSummary {
        try await ImportPatients(s.db)(url, fileName: url.lastPathComponent, mapping: mapping, options: options, clinicId: s.clinic.id,
                                       today: Setup.today, actor: s.actor)
    }

    static func appointments(_ s: Setup, _ url: URL, now: Date) async throws -> ImportSummary {
        try await ImportAppointments(s.db)(url, fileName: url.lastPathComponent, mapping: .scarTrack(.appointments), options: .init(),
                                           clinicId: s.clinic.id, zone: TimeZone(identifier: "Europe/London")!, actor: s.actor, now: { now })
    }

    /// Every table's row count, so "writes nothing" covers tables nobody thought of.
    static func counts(_ db: ScarDatabase) async throws -> [String: Int] {
        let engine = db.engine
        return try await db.read { sql in
            let query = engine == .sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
            let names = try await sql.raw(SQLQueryString(query)).all().map { try $0.decode(column: "name", as: String.self) }
            var counts: [String: Int] = [:]
            for name in names {
                counts[name] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: name)").first()!.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }

    /// The clinic's patients as stored: given, family, date of birth.
    static func stored(_ s: Setup) async throws -> [(given: String, family: String, dob: String)] {
        try await s.db.read { sql in
            try await sql.raw("SELECT given_name, family_name, date_of_birth FROM patients WHERE clinic_id = \(bind: s.clinic.id) ORDER BY family_name, given_name")
                .all().map { (try $0.decode(column: "given_name", as: String.self), try $0.decode(column: "family_name", as: String.self),
                              try $0.decode(column: "date_of_birth", as: String.self)) }
        }
    }

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    @Test func aHostileFileImportsEveryGoodRowAndNamesEveryBadOne() async throws {
        try await Self.with { s in
            // BOM, `;` separators, a quoted `;` and a quoted line break, empty lines, CRLF, a bad date, a bad e-mail.
            let text = "sourceId;givenName;familyName;dateOfBirth;sex;email;phone\r\n"
                + "A1;Ivy;\"Box;car\";1991-04-12;F;ivy@example.org;+44 20 7946 0001\r\n"
                + "\r\n"
                + "A2;\"Line\nBreak\";Smith;1980-01-02;male;;\r\n"
                + "A3;Noor;Haddad;1990-02-31;female;;\r\n"
                + "\n"
                + "A4;Ana;Lima;1985-06-07;;not-an-email;\r\n"
                + "A5;Zoë;Müller;1975-12-01;u;;\r\n"
            let url = try Self.file(Self.bom + Array(text.utf8))
            let summary = try await Self.patients(s, url)
            #expect(summary.rowsRead == 5)
            #expect(summary.emptyLines == 2)
            #expect(summary.imported == 2)
            #expect(summary.separator == ";")
            #expect(summary.notice == nil)
            #expect(summary.problems.contains(ImportProblem(row: 4, field: "givenName", reason: "must not contain control characters")), "\(summary.problems)")
            #expect(summary.problems.contains(ImportProblem(row: 5, field: "dateOfBirth", reason: "must be a real date written YYYY-MM-DD")))
            #expect(summary.problems.contains(ImportProblem(row: 7, field: "email", reason: "must be an email address")))
            #expect(summary.rowsWithErrors == 3)
            let names = try await Self.stored(s).map { "\($0.given) \($0.family)" }.sorted()
            #expect(names == ["Ivy Box;car", "Zoë Müller"])
            #expect(ImportProblem.report(summary.problems).hasPrefix("row,field,reason\r\n4,givenName,must not contain control characters\r\n"))
        }
    }

    @Test func latin1IsDecodedAndSaidSoAndDayFirstDatesFollowTheMapping() async throws {
        try await Self.with { s in
            // "José Núñez" in Windows-1252, dates as DD/MM/YYYY; an ISO date in that file is refused, not guessed.
            var bytes = Array("sourceId,givenName,familyName,dateOfBirth\n".utf8)
            bytes += Array("L1,Jos".utf8) + [0xE9] + Array(",N".utf8) + [0xFA, 0xF1] + Array("ez,03/04/1990\n".utf8)
            bytes += Array("L2,Ann,Lee,1990-04-03\n".utf8)
            var mapping = ImportMapping.scarTrack(.patients)
            mapping.dateFormat = .dayMonthYear
            let summary = try await Self.patients(s, try Self.file(bytes), mapping: mapping)
            #expect(summary.notice?.contains("Windows-1252") == true)
            #expect(summary.imported == 1)
            #expect(summary.problems == [ImportProblem(row: 3, field: "dateOfBirth", reason: "must be a real date written DD/MM/YYYY")])
            let p = try #require(try await Self.stored(s).first)
            #expect(p.given == "José" && p.family == "Núñez")
            #expect(p.dob == "1990-04-03")
        }
    }

    @Test func aMissingRequiredColumnImportsNothingAndSaysWhich() async throws {
        try await Self.with { s in
            let before = try await Self.counts(s.db)
            let summary = try await Self.patients(s, try Self.file("pid,fname,lname\n1,Ivy,Boxcar\n"), mapping: .openEMR)
            #expect(summary.problems == [ImportProblem(row: 1, field: "DOB", reason: "this column is required and is not in the file")])
            #expect(summary.imported == 0)
            #expect(try await Self.counts(s.db) == before)
        }
    }

    @Test func theDryRunWritesNothingAndTheSecondRunChangesNothing() async throws {
        try await Self.with { s in
            let url = try Self.file("pid,fname,lname,DOB,sex,email,phone_cell\n1,Ivy,Boxcar,1991-04-12,Female,ivy@example.org,\n"
                                    + "2,Tom,Reed,1970-07-07,Male,,+44 20 7946 0002\n3,Bad,Date,1970-13-01,Male,,\n")
            let before = try await Self.counts(s.db)
            let dry = try await Self.patients(s, url, mapping: .openEMR, .init(dryRun: true))
            #expect(dry.imported == 2 && dry.rowsWithErrors == 1)
            #expect(try await Self.counts(s.db) == before, "a dry run writes to no table, audit trail included")

            let first = try await Self.patients(s, url, mapping: .openEMR)
            #expect(first.imported == 2)
            let afterFirst = try await Self.counts(s.db)
            #expect(afterFirst["patients"] == before["patients"]! + 2)
            #expect(afterFirst["import_batches"] == 1 && afterFirst["import_sources"] == 2)
            #expect(afterFirst["audit_log"] == before["audit_log"]! + 1, "one audit entry for the batch")
            let entry = try #require(try await AuditRepository(s.db).entries(clinicId: s.clinic.id, action: "patient.import", limit: 5).first)
            #expect(entry.details.contains(first.fileSHA256) && entry.actor == s.admin.email)

            let again = try await Self.patients(s, url, mapping: .openEMR)
            #expect(again.imported == 0 && again.alreadyImported == 2)
            var expected = afterFirst
            expected["import_batches"]! += 1
            expected["audit_log"]! += 1
            #expect(try await Self.counts(s.db) == expected, "re-running the file adds no patient, only the run's own record")
        }
    }

    @Test func likelyDuplicatesAreListedAndNotMerged() async throws {
        try await Self.with { s in
            let existing = try await RegisterPatient(s.db)(Fixtures.details(given: "Ivy", family: "Boxcar", dob: "1991-04-12"),
                                                         by: Clinician(user: s.admin, today: Setup.today), actor: s.actor, now: Date())
            let url = try Self.file("sourceId,givenName,familyName,dateOfBirth\nD1,IVY , box-car,1991-04-12\nD2,Ivy,Boxcar,1991-04-13\n")
            let summary = try await Self.patients(s, url)
            #expect(summary.imported == 1)
            #expect(summary.duplicates.map(\.row) == [2])
            #expect(summary.duplicates.first?.existingRecordNumber == existing.mrn)
            let all = try await Self.stored(s)
            #expect(all.count == 2, "the duplicate is held for review; the other Ivy (another birthday) is imported")
            let reviewed = try await Self.patients(s, url, .init(importDuplicates: true))
            #expect(reviewed.imported == 1 && reviewed.alreadyImported == 1)
            #expect(try await Self.stored(s).count == 3, "a new record, never a merge")
        }
    }

    @Test func aBatchTheDatabaseRefusesWritesNoneOfItsRows() async throws {
        try await Self.with { s in
            // Batch 1 (rows 2–3) is fine; batch 2 (rows 4–5) types the same record number twice.
            let url = try Self.file("sourceId,givenName,familyName,dateOfBirth,recordNumber\nB1,A,One,1990-01-01,\nB2,B,Two,1990-01-02,\n"
                                    + "B3,C,Three,1990-01-03,OLD-7\nB4,D,Four,1990-01-04,OLD-7\n")
            await #expect(throws: StoreError.self) { try await Self.patients(s, url, .init(batchSize: 2)) }
            let names = try await Self.stored(s).map(\.family).sorted()
            #expect(names == ["One", "Two"], "the refused batch left nothing behind")
            let counts = try await Self.counts(s.db)
            #expect(counts["import_batches"] == 1 && counts["import_sources"] == 2)
        }
    }

    @Test func pastAppointmentsSendNoMessagesAndFutureOnesDo() async throws {
        try await Self.with { s in
            _ = try await Self.patients(s, try Self.file("sourceId,givenName,familyName,dateOfBirth,email\nP1,Ivy,Boxcar,1991-04-12,ivy@example.org\n"))
            let now = ISO8601DateFormatter().date(from: "2026-11-21T12:00:00Z")!
            let url = try Self.file("sourceId,patientSourceId,date,time,durationMinutes,practitioner,room,status\n"
                                    + "AP1,P1,2026-10-01,10:00,60,Practitioner Tester,Room 1,completed\n"
                                    + "AP2,P1,2026-11-01,09:30,60,practitioner tester,room 1,booked\n"
                                    + "AP3,P1,2026-12-15,14:00,60,Practitioner Tester,Room 1,booked\n"
                                    + "AP4,P9,2026-12-16,14:00,60,Practitioner Tester,Room 1,booked\n"
                                    + "AP5,P1,2026-12-17,25:00,60,Nobody,Room 9,maybe\n")
            let summary = try await Self.appointments(s, url, now: now)
            #expect(summary.imported == 3)
            #expect(summary.problems.map(\.field).sorted() == ["patientSourceId", "status", "time"], "\(summary.problems)")
            let rows = try await s.db.read { sql in
                try await sql.raw("SELECT a.starts_at, a.status, (SELECT COUNT(*) FROM message_outbox m WHERE m.appointment_id = a.id) AS n FROM appointments a ORDER BY a.starts_at")
                    .all().map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "n", as: Int.self)) }
            }
            #expect(rows.map(\.0) == ["checked-in", "booked", "booked"])
            #expect(rows.map(\.1)[0] == 0 && rows.map(\.1)[1] == 0, "past appointments send nothing")
            #expect(rows.map(\.1)[2] > 0, "a booked appointment ahead gets the usual messages")
            let again = try await Self.appointments(s, url, now: now)
            #expect(again.imported == 0 && again.alreadyImported == 3)
        }
    }

    @Test func aHundredThousandRowFileIsCheckedInBatches() async throws {
        try await Self.with { s in
            var text = "sourceId,givenName,familyName,dateOfBirth,sex,email\n"
            text.reserveCapacity(100_000 * 60)
            for i in 0..<100_000 {
                text += "S\(i),Given\(i),Family,\(1950 + i % 50)-0\(1 + i % 9)-1\(i % 9),female,p\(i)@example.org\n"
            }
            let url = try Self.file(text)
            let started = Date()
            let summary = try await Self.patients(s, url, .init(dryRun: true, batchSize: 2_000))
            #expect(summary.rowsRead == 100_000)
            #expect(summary.imported == 100_000 && summary.problems.isEmpty)
            #expect(summary.batches == 50)
            print("import dry run: 100000 rows in \(Date().timeIntervalSince(started)) s (\(summary.rowsPerSecond) rows/s)")
        }
    }

    @Test func mappingFilesNameTheirFieldsAndDateFormat() throws {
        let json = #"{"kind":"patients","dateFormat":"DD.MM.YYYY","columns":{"sourceId":"Nr","givenName":"Vorname","familyName":"Name","dateOfBirth":"Geburtsdatum"}}"#
        let mapping = try JSONDecoder().decode(ImportMapping.self, from: Data(json.utf8))
        #expect(mapping.dateFormat.date("3.4.1990") == CalendarDate("1990-04-03"))
        #expect(ImportDateFormat.monthDayYear.date("04/03/1990") == CalendarDate("1990-04-03"))
        #expect(ImportDateFormat.dayMonthYear.date("31/02/1990") == nil)
        #expect(ImportDateFormat.iso.date("90-04-03") == nil)
        let bad = #"{"kind":"patients","dateFormat":"DD.MM.YYYY","columns":{"room":"Raum"}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ImportMapping.self, from: Data(bad.utf8)) }
    }
}
