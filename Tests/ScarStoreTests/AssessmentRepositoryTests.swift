import Foundation
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

@Suite("Scar assessments in the store")
struct AssessmentRepositoryTests {
    static func details(_ extra: [String: String] = [:]) throws -> ScarAssessmentDetails {
        var values = ["assessedOn": "2026-05-01", "gbQualitative.contourChange": "yes", "gbQualitative.obviousAt50cm": "yes",
                      "gbQualitative.coveredByMakeup": "no", "gbQualitative.flattensOnStretch": "no",
                      "zones.left-cheek.ice-pick": "12", "zones.left-cheek.sizeClass": "under-2mm", "zones.forehead.rolling": "4",
                      "zones.chin.keloidal": "1", "zones.chin.depthClass": "deep", "hypertrophicAreaCm2": "5",
                      "gbQuantitative.A1": "8", "gbQuantitative.B2": "15", "gbQuantitative.C1": "25", "gbQuantitative.D1": "3",
                      "ecca.vShapedUnder2mm": "12", "ecca.uShaped2to4mm": "3", "ecca.mShapedOver4mm": "25", "blinded": "yes",
                      "notes": "Baseline, before session 1"]
        values.merge(extra) { _, new in new }
        return try ScarAssessmentInput(values).validate(today: CalendarDate("2026-11-21")!).get()
    }

    @Test func savedAssessmentReadsBackWithInputsStoredTotalsAndScaleVersions() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let rater = try await Fixtures.staff(db, clinic: clinic, role: .practitioner)
            let actor = AuditActor(user: rater, clientAddress: "127.0.0.1")
            let patient = try await PatientRepository(db).register(Fixtures.details(), clinicId: clinic.id, by: actor)
            let repo = AssessmentRepository(db)
            let details = try Self.details()
            let saved = try await repo.create(details, patientId: patient.id, clinicId: clinic.id, raterId: rater.id, by: actor)

            let read = try await repo.find(id: saved.id, clinicId: clinic.id, by: actor)
            #expect(read.details == details)
            #expect(read.raterId == rater.id)
            #expect(read.raterName == rater.displayName)
            #expect(read.patientId == patient.id)
            // D2 from the 5 cm² area: 12 points; 16 + 12 = 28 (reference §3.2 worked example plus D2).
            #expect(read.scores.gbQuantitative.total == 28)
            #expect(read.scores.gbQuantitative.version == GoodmanBaronQuantitative.version)
            #expect(read.scores.ecca.total == 125)
            #expect(read.scores.ecca.version == ECCA.version)
            #expect(read.scores.gbQualitative.total == 4)
            #expect(read.scores == AssessmentScores.compute(details))
            #expect(read.scores == saved.scores)

            let list = try await repo.list(patientId: patient.id, clinicId: clinic.id, by: actor)
            #expect(list.map(\.id) == [saved.id])

            let actions = try await AuditRepository(db).entries(patientId: patient.id).map(\.action)
            #expect(actions.filter { $0.hasPrefix("assessment.") }.sorted() == ["assessment.create", "assessment.list", "assessment.read"])
            #expect(try await AuditRepository(db).verify().intact)
        }
    }

    @Test func savedAssessmentsCannotBeChangedOrDeletedInTheDatabase() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let rater = try await Fixtures.staff(db, clinic: clinic, role: .practitioner)
            let actor = AuditActor(user: rater, clientAddress: "127.0.0.1")
            let patient = try await PatientRepository(db).register(Fixtures.details(), clinicId: clinic.id, by: actor)
            let repo = AssessmentRepository(db)
            let saved = try await repo.create(try Self.details(), patientId: patient.id, clinicId: clinic.id, raterId: rater.id, by: actor)
            await #expect(throws: (any Error).self) {
                try await db.write { sql in
                    try await sql.raw("UPDATE scar_assessment_scores SET total = 1 WHERE assessment_id = \(bind: saved.id)").run()
                }
            }
            await #expect(throws: (any Error).self) {
                try await db.write { sql in
                    try await sql.raw("DELETE FROM scar_assessments WHERE id = \(bind: saved.id)").run()
                }
            }
            let read = try await repo.find(id: saved.id, clinicId: clinic.id, by: actor)
            #expect(read.scores.gbQuantitative.total == 28)
        }
    }

    @Test func resultsSavedUnderAnOlderScaleVersionAreShownAsStoredNotRecomputed() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let rater = try await Fixtures.staff(db, clinic: clinic, role: .practitioner)
            let actor = AuditActor(user: rater, clientAddress: "127.0.0.1")
            let patient = try await PatientRepository(db).register(Fixtures.details(), clinicId: clinic.id, by: actor)
            // An assessment as an older release would have stored it: scale version "0", whose
            // total for these inputs differed from today's arithmetic.
            let id = UUID()
            try await db.write { sql in
                try await sql.raw("""
                    INSERT INTO scar_assessments (id, clinic_id, patient_id, rater_id, assessed_on, blinded, notes, hypertrophic_area_cm2, created_at)
                    VALUES (\(bind: id), \(bind: clinic.id), \(bind: patient.id), \(bind: rater.id), '2025-01-01', \(bind: false), NULL, \(bind: 0.0), \(bind: Date()))
                    """).run()
                for (scale, input, result, total) in [
                    ("gb-quantitative", #"{"A1":8}"#, #"{"total":99,"rows":[]}"#, 99),
                    ("ecca", #"{"vShapedUnder2mm":12}"#, #"{"total":77,"rows":[]}"#, 77),
                    ("gb-qualitative", #"{"contourChange":true,"obviousAt50cm":true,"coveredByMakeup":false,"flattensOnStretch":true}"#, "2", 2),
                ] {
                    try await sql.raw("""
                        INSERT INTO scar_assessment_scores (assessment_id, scale_id, scale_version, input, result, total)
                        VALUES (\(bind: id), \(bind: scale), '0', \(bind: input), \(bind: result), \(bind: total))
                        """).run()
                }
            }
            let read = try await AssessmentRepository(db).find(id: id, clinicId: clinic.id, by: actor)
            #expect(read.scores.gbQuantitative.total == 99)
            #expect(read.scores.gbQuantitative.version == "0")
            #expect(read.scores.ecca.total == 77)
            #expect(read.scores.gbQualitative.result == .mild)
            #expect(AssessmentScores.compute(read.details).gbQuantitative.total == 1)
        }
    }

    @Test func listIsNewestAssessmentDateFirst() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let rater = try await Fixtures.staff(db, clinic: clinic, role: .practitioner)
            let actor = AuditActor(user: rater, clientAddress: "127.0.0.1")
            let patient = try await PatientRepository(db).register(Fixtures.details(), clinicId: clinic.id, by: actor)
            let repo = AssessmentRepository(db)
            let older = try await repo.create(try Self.details(["assessedOn": "2026-01-10"]), patientId: patient.id, clinicId: clinic.id,
                                              raterId: rater.id, by: actor)
            let newer = try await repo.create(try Self.details(["assessedOn": "2026-04-10"]), patientId: patient.id, clinicId: clinic.id,
                                              raterId: rater.id, by: actor)
            let list = try await repo.list(patientId: patient.id, clinicId: clinic.id, by: actor)
            #expect(list.map(\.id) == [newer.id, older.id])
        }
    }

    @Test func anotherClinicsAssessmentAndPatientAreNotFound() async throws {
        try await TestDatabase.with { db in
            let mine = try await Fixtures.clinic(db)
            let theirs = try await Fixtures.clinic(db, name: "Other Clinic")
            let rater = try await Fixtures.staff(db, clinic: mine, role: .practitioner)
            let outsider = try await Fixtures.staff(db, clinic: theirs, role: .admin)
            let actor = AuditActor(user: rater, clientAddress: "127.0.0.1")
            let outsiderActor = AuditActor(user: outsider, clientAddress: "127.0.0.1")
            let patient = try await PatientRepository(db).register(Fixtures.details(), clinicId: mine.id, by: actor)
            let repo = AssessmentRepository(db)
            let saved = try await repo.create(try Self.details(), patientId: patient.id, clinicId: mine.id, raterId: rater.id, by: actor)

            await #expect(throws: StoreError.notFound) {
                _ = try await repo.find(id: saved.id, clinicId: theirs.id, by: outsiderActor)
            }
            await #expect(throws: StoreError.notFound) {
                _ = try await repo.list(patientId: patient.id, clinicId: theirs.id, by: outsiderActor)
            }
            await #expect(throws: StoreError.notFound) {
                _ = try await repo.create(try Self.details(), patientId: patient.id, clinicId: theirs.id, raterId: outsider.id, by: outsiderActor)
            }
            #expect(try await repo.list(patientId: patient.id, clinicId: mine.id, by: actor).count == 1)
        }
    }
}
