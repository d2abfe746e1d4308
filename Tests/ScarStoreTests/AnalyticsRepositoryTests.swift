import Foundation
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

@Suite("Analytics in the database: a generated clinic with known answers")
struct AnalyticsRepositoryTests {
    static func check(_ result: ClinicAnalytics, against e: AnalyticsClinic.Expected, _ label: String) {
        #expect(result.patientsTreated == e.patients, "\(label): patients")
        #expect(result.sessionsSigned == e.sessions, "\(label): sessions")
        #expect(result.completedCourses == e.completed, "\(label): completed")
        #expect(result.overall?.evaluable == e.evaluable, "\(label): evaluable")
        #expect(result.overall?.responders == e.responders, "\(label): responders")
        let got = Dictionary(uniqueKeysWithValues: result.groups.filter { $0.dimension != .overall }
            .map { ("\($0.dimension.rawValue):\($0.key)", ($0.patients, $0.evaluable, $0.responders)) })
        #expect(Set(got.keys) == Set(e.groups.keys), "\(label): groups \(got.keys.sorted()) vs \(e.groups.keys.sorted())")
        for (key, want) in e.groups {
            let have = got[key]
            #expect(have?.0 == want.patients && have?.1 == want.evaluable && have?.2 == want.responders,
                    "\(label): \(key) got \(String(describing: have)) want \(want)")
        }
        let grade = result.scaleChanges.first { $0.scale == GoodmanBaronQualitative.id }
        #expect(grade?.patients == e.gradeChangeN, "\(label): grade change n")
        #expect(grade?.sum == Double(e.gradeChangeSum), "\(label): grade change sum")
        #expect(result.timeToResponse.patients == e.ttrDays.count, "\(label): ttr n")
        #expect(result.adverseEvents.events == e.aeEvents, "\(label): AE events")
        #expect(result.adverseEvents.patientsWithEvent == e.aePatients, "\(label): AE patients")
        #expect(result.adverseEvents.sessionsWithEvent == e.aeSessions, "\(label): AE sessions")
    }

    @Test func knownAnswersUnfilteredAndFiltered() async throws {
        try await TestDatabase.with { db in
            let ac = try await AnalyticsClinic.make(db)
            let repo = AnalyticsRepository(db)
            let bands = DepthBands.productDefault
            let all = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(), bands: bands)

            // Hand-counted answers (see AnalyticsClinic.specs).
            #expect(all.patientsTreated == 20)
            #expect(all.sessionsSigned == 62)
            #expect(all.completedCourses == 16)
            #expect(all.overall?.evaluable == 18 && all.overall?.responders == 14)
            let overall = try #require(all.overall?.interval)
            // SciPy binomtest(14, 18).proportion_ci(method="wilson")
            #expect(abs(overall.lower - 0.547854156838) < 1e-9 && abs(overall.upper - 0.909990718914) < 1e-9)
            let ae = all.adverseEvents
            #expect(ae.events == 6 && ae.patientsWithEvent == 5 && ae.patients == 20)
            #expect(ae.sessionsWithEvent == 4 && ae.sessions == 62)
            // SciPy binomtest(5, 20) and binomtest(4, 62), method="wilson"
            #expect(abs(ae.perPatient!.lower - 0.111861701408) < 1e-9 && abs(ae.perPatient!.upper - 0.468700877619) < 1e-9)
            #expect(abs(ae.perSession!.lower - 0.025372905520) < 1e-9 && abs(ae.perSession!.upper - 0.154475157278) < 1e-9)
            let lighter = all.groups(.fitzpatrickGroup).first { $0.key == "I-III" }
            #expect(lighter?.patients == 9 && lighter?.evaluable == 8 && lighter?.responders == 6)
            #expect(all.groups(.prp).first { $0.key == "1" }?.patients == 11, "10 plans with PRP + 1 charted PRP kit")
            #expect(all.groups(.dominantType).map(\.key) == ["ice-pick", "boxcar", "rolling", "mixed", "none"])
            // Grade change: responders fell by 1 except patients 3, 9, 13 (by 2); sum −17 over 18.
            let grade = try #require(all.scaleChanges.first { $0.scale == GoodmanBaronQualitative.id })
            #expect(grade.patients == 18 && grade.sum == -17)
            // Time to response: 13 at day 120, patient 7 at day 90, patient 3 at day 150.
            #expect(all.timeToResponse.patients == 14 && all.timeToResponse.median == 120)
            #expect(abs(all.timeToResponse.mean! - Double(12 * 120 + 90 + 150) / 14) < 1e-9)
            // Every ECCA / G&B quantitative change equals the scale code's arithmetic on the same inputs.
            let ecca = try #require(all.scaleChanges.first { $0.scale == ECCA.id })
            #expect(ecca.patients == 18 && ecca.sum < 0)
            Self.check(all, against: AnalyticsClinic.expected(), "unfiltered")

            let to40 = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(to: CalendarDate(AnalyticsClinic.day(40))), bands: bands)
            Self.check(to40, against: AnalyticsClinic.expected(toDay: 40), "to day 40")
            #expect(to40.overall?.evaluable == 1 && to40.overall?.responders == 0)

            let from50 = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(from: CalendarDate(AnalyticsClinic.day(50))), bands: bands)
            Self.check(from50, against: AnalyticsClinic.expected(fromDay: 50), "from day 50")

            let b = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(practitionerId: ac.practitionerB.id), bands: bands)
            Self.check(b, against: AnalyticsClinic.expected(practitionerB: true), "practitioner B")
            #expect(b.patientsTreated == 7)

            let t1 = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(protocolTemplateId: ac.template1), bands: bands)
            Self.check(t1, against: AnalyticsClinic.expected(plan: 1), "template 1")
            #expect(t1.patientsTreated == 10)

            let narrow = try DepthBands.parse("0.5, 1.25, 1.75").get()
            let banded = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(), bands: narrow)
            Self.check(banded, against: AnalyticsClinic.expected(bands: narrow), "narrow bands")

            let otherClinic = try await repo.compute(clinicId: ac.otherClinic.id, filter: AnalyticsFilter(), bands: bands)
            #expect(otherClinic.patientsTreated == 1 && otherClinic.overall?.responders == 1)
            let nobody = try await repo.compute(clinicId: ac.clinic.id, filter: AnalyticsFilter(from: CalendarDate("2030-01-01")), bands: bands)
            #expect(nobody.patientsTreated == 0 && nobody.overall?.interval == nil && nobody.adverseEvents.perPatient == nil)
        }
    }

    @Test func viewsAreAuditedAndSettingsAreVersioned() async throws {
        try await TestDatabase.with { db in
            let ac = try await AnalyticsClinic.make(db)
            let repo = AnalyticsRepository(db)
            let actor = AuditActor(user: ac.practitionerA, clientAddress: "127.0.0.1")
            _ = try await repo.analytics(clinicId: ac.clinic.id, filter: AnalyticsFilter(practitionerId: ac.practitionerB.id), by: actor)
            let audited = try await db.read { sql in
                try await sql.raw("SELECT action, details, patient_id FROM audit_log WHERE action = 'analytics.view'").all()
            }
            #expect(audited.count == 1)
            #expect(try audited[0].decode(column: "details", as: String.self).contains(ac.practitionerB.id.uuidString.lowercased()))
            #expect(try audited[0].decode(column: "patient_id", as: UUID?.self) == nil)

            let settings = try await repo.settings(clinicId: ac.clinic.id)
            #expect(settings.bands == .productDefault && settings.version == 1)
            let saved = try await repo.saveBands(try DepthBands.parse("1.25").get(), clinicId: ac.clinic.id, expectedVersion: 1, by: actor)
            #expect(saved.version == 2)
            await #expect(throws: StoreError.versionConflict(current: 2)) {
                try await repo.saveBands(.productDefault, clinicId: ac.clinic.id, expectedVersion: 1, by: actor)
            }
            #expect(try await repo.settings(clinicId: ac.clinic.id).bands.text == "1.25")
        }
    }

    @Test func researchExportIsDeidentifiedWithStablePseudonyms() async throws {
        try await TestDatabase.with { db in
            let ac = try await AnalyticsClinic.make(db)
            let repo = AnalyticsRepository(db)
            let actor = AuditActor(user: ac.practitionerA, clientAddress: "127.0.0.1")
            let first = try await repo.researchExport(clinicId: ac.clinic.id, by: actor)
            let second = try await repo.researchExport(clinicId: ac.clinic.id, by: actor)
            #expect(first.csv == second.csv, "two exports are identical, pseudonyms included")
            // 20 treated patients (baseline + follow-ups) and the draft-only patient's two assessments.
            let assessments = AnalyticsClinic.specs.reduce(0) { $0 + 1 + $1.followUps.count } + 2
            #expect(first.rows == assessments)
            let lines = first.csv.split(separator: "\r\n").map(String.init)
            #expect(lines.count == assessments + 1)
            #expect(lines[0] == AnalyticsRepository.exportHeader.joined(separator: ","))
            for value in ac.identifiers {
                #expect(!first.csv.contains(value), "the export contains \(value)")
            }
            for id in ac.patients + [ac.untreated] {
                #expect(!first.csv.lowercased().contains(id.uuidString.lowercased()))
            }
            #expect(!first.csv.contains("2025-"), "no calendar dates")
            let pseudonyms = lines.dropFirst().map { String($0.split(separator: ",")[0]) }
            #expect(Set(pseudonyms).count == 21, "one pseudonym per patient")
            #expect(pseudonyms.allSatisfy { $0.hasPrefix("R-") && $0.count == 18 })
            // Keyed, not a plain hash: the same patient under another key gets another pseudonym.
            let p = ac.patients[0]
            #expect(AnalyticsRepository.pseudonym(p, key: String(repeating: "ab", count: 32))
                    != AnalyticsRepository.pseudonym(p, key: String(repeating: "cd", count: 32)))
            // The baseline row says day 0; patient 3's second follow-up is day 150 and responds.
            let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = AnalyticsRepository.exportHeader
            let dayIndex = header.firstIndex(of: "days_from_baseline")!, respIndex = header.firstIndex(of: "responder_vs_baseline")!
            #expect(rows.filter { $0[1] == "0" }.allSatisfy { $0[dayIndex] == "0" && $0[respIndex] == "" })
            #expect(rows.contains { $0[dayIndex] == "150" && $0[respIndex] == "1" })
            let audits = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'research.export'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(audits == 2)
        }
    }
}
