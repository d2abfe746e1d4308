import Foundation
import ScarCore
@testable import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 16: a bulk export reads a page of patients with one statement per kind of record, not a
/// dozen per patient, and what it reads is what each patient's own read gives.
@Suite("FHIR export reads a page of charts together")
struct FHIRExportBatchTests {
    @Test func aPageOfChartsReadTogetherEqualsEachChartReadAloneAndCostsTheSameWhateverItsSize() async throws {
        try await Harness.run { h in
            let c = try await FHIRAPITests.course(h)
            let token = c.setup.practitioner
            for i in 0..<4 { _ = try await h.registerPatient(token: token, given: "Batch\(i)") }
            let clinicId = h.staff[.practitioner]!.clinicId
            let before = h.db.counts
            let page = try await h.db.read { sql in
                try await FHIRReadRepository.exportCharts(clinicId: clinicId, groupId: nil, after: nil, limit: 100, on: sql)
            }
            let cost = h.db.counts - before
            #expect(page.count >= 5, "\(page.count) patients")
            #expect(page.contains { !$0.sessions.isEmpty && !$0.plans.isEmpty && !$0.assessments.isEmpty && !$0.adverseEvents.isEmpty },
                    "the course's patient has every kind of record")
            print("export page of \(page.count) patients: \(cost.statements) statements")
            // 13, and one each for reported outcomes, photos and study enrolments (issue 15).
            #expect(cost.statements <= 16, "one statement per kind of record for the page: \(cost.statements)")
            for chart in page {
                let alone = try await h.db.read { sql in try await FHIRReadRepository.chart(patientId: chart.patient.id, clinicId: clinicId, on: sql) }
                #expect(alone.patient == chart.patient)
                #expect(alone.assessments == chart.assessments)
                #expect(alone.intakes == chart.intakes)
                #expect(alone.sessions == chart.sessions)
                #expect(alone.consents == chart.consents)
                #expect(alone.adverseEvents.map(\.record) == chart.adverseEvents.map(\.record))
                #expect(alone.adverseEvents.map(\.updatedAt) == chart.adverseEvents.map(\.updatedAt))
                #expect(alone.appointments == chart.appointments)
                #expect(alone.plans == chart.plans)
                #expect(alone.reportedOutcomes.map(\.record) == chart.reportedOutcomes.map(\.record))
                #expect(alone.photos == chart.photos)
                #expect(alone.studyParticipations.map(\.participant) == chart.studyParticipations.map(\.participant))
            }
            let total = page.reduce(0) { $0 + $1.sessions.count + $1.assessments.count + $1.plans.count + $1.appointments.count }
            #expect(total > 0)
        }
    }

    /// The export reads in `snapshot`, whose SQLite rows come straight from the driver and are read
    /// column by column (`SnapshotSQLiteRow`), its kinds of record read at once on one connection:
    /// the same page as an ordinary read gives, field for field.
    @Test func aPageReadInTheExportsSnapshotEqualsThePageReadOrdinarily() async throws {
        try await Harness.run { h in
            let c = try await FHIRAPITests.course(h)
            for i in 0..<3 { _ = try await h.registerPatient(token: c.setup.practitioner, given: "Snapshot\(i)") }
            let clinicId = h.staff[.practitioner]!.clinicId
            let ordinary = try await h.db.read { sql in
                try await FHIRReadRepository.exportCharts(clinicId: clinicId, groupId: nil, after: nil, limit: 100, on: sql)
            }
            let snapshot = try await h.db.snapshot { sql in
                try await FHIRReadRepository.exportCharts(clinicId: clinicId, groupId: nil, after: nil, limit: 100, on: sql)
            }
            #expect(snapshot.count == ordinary.count && snapshot.count >= 4)
            for (a, b) in zip(snapshot, ordinary) {
                #expect(a.patient == b.patient)
                #expect(a.assessments == b.assessments)
                #expect(a.intakes == b.intakes)
                #expect(a.sessions == b.sessions)
                #expect(a.consents == b.consents)
                #expect(a.adverseEvents.map(\.record) == b.adverseEvents.map(\.record))
                #expect(a.adverseEvents.map(\.reportedById) == b.adverseEvents.map(\.reportedById))
                #expect(a.appointments == b.appointments)
                #expect(a.plans == b.plans)
                #expect(a.reportedOutcomes.map(\.record) == b.reportedOutcomes.map(\.record))
                #expect(a.photos == b.photos)
                #expect(a.studyParticipations.map(\.participant) == b.studyParticipations.map(\.participant))
            }
            let directory = try await h.db.snapshot { sql in try await FHIRReadRepository.exportDirectory(clinicId: clinicId, on: sql) }
            let ordinaryDirectory = try await h.db.read { sql in try await FHIRReadRepository.exportDirectory(clinicId: clinicId, on: sql) }
            #expect(directory.staff == ordinaryDirectory.staff && directory.rooms == ordinaryDirectory.rooms)
            #expect(directory.devices == ordinaryDirectory.devices && directory.cartridgeLots == ordinaryDirectory.cartridgeLots)
            #expect(directory.created == ordinaryDirectory.created)
        }
    }

    /// `SnapshotSQLiteRow` reads each column type it reads itself exactly as SQLiteKit's decoder
    /// does (the ordinary read's rows), and hands everything else to that decoder.
    @Test(.enabled(if: TestDatabase.engine == .sqlite, "SnapshotSQLiteRow is SQLite's; PostgreSQL's snapshot reads through its driver"))
    func aSnapshotRowReadsEveryColumnAsTheDriversDecoderDoes() async throws {
        try await Harness.run { h in
            let id = UUID()
            let select = """
                SELECT 'text' AS t, NULL AS n, 42 AS i, -7 AS neg, 1 AS b, 0 AS b0, 2.5 AS f, 1752570480.125 AS d, 1752570480 AS di,
                       '\(id.lower)' AS u, '\(id.uuidString)' AS upper, 'female' AS sex, '[1,2]' AS list
                """
            struct Read: Equatable {
                var t: String, tOpt: String?, i: Int, iOpt: Int?, neg: Int, b: Bool, b0: Bool, f: Double, fOpt: Double?, fromInt: Double
                var d: Date, dOpt: Date?, di: Date, u: UUID, uOpt: UUID?, upper: UUID, sex: Sex, list: [Int]
                var nils: [Bool], nilFlags: [Bool], contains: [Bool]
            }
            @Sendable func read(_ row: any SQLRow) throws -> Read {
                Read(t: try row.decode(column: "t", as: String.self), tOpt: try row.decode(column: "t", as: String?.self),
                     i: try row.decode(column: "i", as: Int.self), iOpt: try row.decode(column: "i", as: Int?.self),
                     neg: try row.decode(column: "neg", as: Int.self), b: try row.decode(column: "b", as: Bool.self),
                     b0: try row.decode(column: "b0", as: Bool.self), f: try row.decode(column: "f", as: Double.self),
                     fOpt: try row.decode(column: "f", as: Double?.self), fromInt: try row.decode(column: "i", as: Double.self),
                     d: try row.decode(column: "d", as: Date.self), dOpt: try row.decode(column: "d", as: Date?.self),
                     di: try row.decode(column: "di", as: Date.self), u: try row.decode(column: "u", as: UUID.self),
                     uOpt: try row.decode(column: "u", as: UUID?.self), upper: try row.decode(column: "upper", as: UUID.self),
                     sex: try row.decode(column: "sex", as: Sex.self), list: try row.decode(column: "list", as: [Int].self),
                     nils: [try row.decode(column: "n", as: String?.self) == nil, try row.decode(column: "n", as: Int?.self) == nil,
                            try row.decode(column: "n", as: Double?.self) == nil, try row.decode(column: "n", as: Date?.self) == nil,
                            try row.decode(column: "n", as: UUID?.self) == nil, try row.decode(column: "n", as: Bool?.self) == nil],
                     nilFlags: [try row.decodeNil(column: "n"), try row.decodeNil(column: "t"), try row.decodeNil(column: "absent")],
                     contains: [row.contains(column: "t"), row.contains(column: "absent")])
            }
            let ordinary = try await h.db.read { sql in try read(try #require(try await sql.raw(SQLQueryString(select)).first())) }
            let snapshot = try await h.db.snapshot { sql in try read(try #require(try await sql.raw(SQLQueryString(select)).first())) }
            #expect(snapshot == ordinary)
            #expect(snapshot.u == id && snapshot.upper == id && snapshot.nils.allSatisfy { $0 } && snapshot.nilFlags == [true, false, true])
            #expect(snapshot.d.timeIntervalSince1970 == 1752570480.125 && snapshot.b && !snapshot.b0 && snapshot.sex == .female)
            // What neither reads is refused by both: a missing column, text as a number, an id that is no id.
            for (column, type) in [("absent", "String"), ("t", "Int"), ("t", "UUID"), ("f", "Int")] {
                @Sendable func decode(_ row: any SQLRow) -> Bool {
                    switch type {
                    case "Int": (try? row.decode(column: column, as: Int.self)) != nil
                    case "UUID": (try? row.decode(column: column, as: UUID.self)) != nil
                    default: (try? row.decode(column: column, as: String.self)) != nil
                    }
                }
                let a = try await h.db.read { sql in decode(try #require(try await sql.raw(SQLQueryString(select)).first())) }
                let b = try await h.db.snapshot { sql in decode(try #require(try await sql.raw(SQLQueryString(select)).first())) }
                #expect(a == false && b == false, "\(column) as \(type)")
            }
        }
    }
}
