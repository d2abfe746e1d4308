import Foundation
import ScarCore
@testable import ScarStore
import ScarTestSupport
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

    /// The export reads in `snapshot`, whose SQLite rows decode ids from text without Foundation's
    /// parser (`TextIDRow`): the same page as an ordinary read gives, field for field.
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
}
