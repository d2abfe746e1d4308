import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Registering and editing a patient, recording an intake and an assessment, enrolling in a
/// study and rating sides: each is one use case, one write transaction and one intent-level
/// audit entry; a refused call writes nothing — no audit row, no record (issue 12).
@Suite("Patient-record use cases")
struct RecordsUseCaseTests {
    struct Caller {
        var clinician: Clinician
        var actor: AuditActor
    }

    static func caller(_ h: Harness, _ role: Role = .practitioner) -> Caller {
        let user = h.staff[role]!
        return Caller(clinician: Clinician(user: user, today: CalendarDate.utc(Date())),
                      actor: AuditActor(user: user, clientAddress: "test"))
    }

    static func count(_ h: Harness, _ table: String) async throws -> Int {
        try await h.db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
        }
    }

    static func actions(_ h: Harness, after seq: Int) async throws -> [String] {
        try await SignSessionTests.auditActions(h.db, after: seq)
    }

    static func assessment() throws -> ScarAssessmentDetails {
        try ScarAssessmentInput(["assessedOn": "2026-05-01", "zones.left-cheek.ice-pick": "12", "zones.left-cheek.sizeClass": "under-2mm",
                                 "gbQuantitative.A1": "8", "ecca.vShapedUnder2mm": "12", "blinded": "no",
                                 "gbQualitative.contourChange": "yes", "gbQualitative.obviousAt50cm": "yes",
                                 "gbQualitative.coveredByMakeup": "no", "gbQualitative.flattensOnStretch": "no"])
            .validate(today: CalendarDate("2026-11-21")!).get()
    }

    // MARK: Patients

    @Test func registeringAndEditingAppendOnlyTheirOwnEntries() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let before = try await SignSessionTests.auditHead(h.db)
            let patient = try await RegisterPatient(h.db)(Fixtures.details(mrn: "MRN-1"), by: c.clinician, actor: c.actor, now: h.now)
            #expect(try await Self.actions(h, after: before) == ["patient.create"])
            #expect(patient.mrn == "MRN-1" && patient.version == 1)

            let edited = try await SignSessionTests.auditHead(h.db)
            let after = try await EditPatient(h.db)(patientId: patient.id, expectedVersion: 1, by: c.clinician, actor: c.actor, now: h.now) { _ in
                Fixtures.details(given: "Iva", mrn: "MRN-1")
            }
            #expect(after.givenName == "Iva" && after.version == 2)
            #expect(try await Self.actions(h, after: edited) == ["patient.update"])
        }
    }

    @Test func aRefusedRegistrationOrEditWritesNothing() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let patient = try await RegisterPatient(h.db)(Fixtures.details(mrn: "MRN-1"), by: c.clinician, actor: c.actor, now: h.now)
            let before = try await SignSessionTests.auditHead(h.db)
            let patients = try await Self.count(h, "patients")
            await #expect(throws: StoreError.duplicate(field: "mrn")) {
                _ = try await RegisterPatient(h.db)(Fixtures.details(given: "Other", mrn: "MRN-1"), by: c.clinician, actor: c.actor, now: h.now)
            }
            await #expect(throws: StoreError.versionConflict(current: 1)) {
                _ = try await EditPatient(h.db)(patientId: patient.id, expectedVersion: 7, by: c.clinician, actor: c.actor, now: h.now) { _ in
                    Fixtures.details(given: "Stale", mrn: "MRN-1")
                }
            }
            #expect(try await Self.actions(h, after: before).isEmpty)
            #expect(try await Self.count(h, "patients") == patients)
            #expect(try await PatientRepository(h.db).find(id: patient.id, clinicId: h.clinic.id, by: c.actor).givenName == "Ivy")
        }
    }

    // MARK: Intake

    @Test func recordingAnIntakeStoresItsScreeningWithOneIntakeCreate() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let patient = try await RegisterPatient(h.db)(Fixtures.details(), by: c.clinician, actor: c.actor, now: h.now)
            let before = try await SignSessionTests.auditHead(h.db)
            let intake = try Intake.parse(json: Data(#"{"fitzpatrick": 2}"#.utf8))
            let recorded = try await RecordIntake(h.db)(intake, patientId: patient.id, by: c.clinician, actor: c.actor, now: h.now)
            #expect(try await Self.actions(h, after: before) == ["intake.create"])
            #expect(recorded.screening.map(\.modality) == Modality.allCases)
            #expect(recorded.screening.allSatisfy { $0.asOf == c.clinician.today })
            #expect(try await Self.count(h, "intakes") == 1)
            #expect(try await Self.count(h, "screenings") == Modality.allCases.count, "the screening is stored with the intake")
        }
    }

    @Test func anIntakeForAnUnknownPatientWritesNothing() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let before = try await SignSessionTests.auditHead(h.db)
            let intake = try Intake.parse(json: Data(#"{"fitzpatrick": 2}"#.utf8))
            await #expect(throws: StoreError.notFound) {
                _ = try await RecordIntake(h.db)(intake, patientId: UUID(), by: c.clinician, actor: c.actor, now: h.now)
            }
            #expect(try await Self.actions(h, after: before).isEmpty)
            #expect(try await Self.count(h, "intakes") == 0)
            #expect(try await Self.count(h, "screenings") == 0)
        }
    }

    @Test func readingTheScreeningIsOneScreeningReadAndAnAcknowledgementWithNothingOpenWritesNothing() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let patient = try await RegisterPatient(h.db)(Fixtures.details(), by: c.clinician, actor: c.actor, now: h.now)
            let before = try await SignSessionTests.auditHead(h.db)
            let none = try await ReadScreening(h.db)(patientId: patient.id, by: c.clinician, actor: c.actor, now: h.now)
            #expect(none.intake == nil && none.results.isEmpty)
            do {
                _ = try await AcknowledgeFinding(h.db)(patientId: patient.id, rule: "isotretinoin", modality: .microneedling,
                                                       reason: "Discussed with the patient", by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("acknowledged without an intake")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .conflict && refusal.title == "No intake yet")
            }
            #expect(try await Self.actions(h, after: before) == ["screening.read"])
            #expect(try await Self.count(h, "screening_acknowledgements") == 0)

            _ = try await RecordIntake(h.db)(try Intake.parse(json: Data(#"{"fitzpatrick": 2}"#.utf8)), patientId: patient.id,
                                             by: c.clinician, actor: c.actor, now: h.now)
            let read = try await SignSessionTests.auditHead(h.db)
            let today = try await ReadScreening(h.db)(patientId: patient.id, by: c.clinician, actor: c.actor, now: h.now)
            #expect(today.results.count == Modality.allCases.count)
            #expect(try await Self.actions(h, after: read) == ["screening.read"])
            #expect(try await Self.count(h, "screenings") == Modality.allCases.count, "stored once a day")
        }
    }

    // MARK: Plans

    @Test func startingAndEditingAPlanAppendOnlyTheirOwnEntriesAndRefusalsWriteNothing() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let patient = try await RegisterPatient(h.db)(Fixtures.details(), by: c.clinician, actor: c.actor, now: h.now)
            let template = try #require(try await ProtocolTemplateRepository(h.db).list(clinicId: h.clinic.id, by: c.actor).first)
            let before = try await SignSessionTests.auditHead(h.db)
            do {
                _ = try await StartPlan(h.db)(patientId: patient.id, templateId: UUID(), by: c.clinician, actor: c.actor, now: h.now) { _ in
                    Issue.record("content asked for an unknown template")
                    throw Refusal.invalid([])
                }
                Issue.record("started from an unknown template")
            } catch let refusal as Refusal {
                #expect(refusal.fields.map(\.field) == ["templateId"])
            }
            #expect(try await Self.actions(h, after: before).isEmpty)
            #expect(try await Self.count(h, "treatment_plans") == 0)

            let plan = try await StartPlan(h.db)(patientId: patient.id, templateId: template.templateId, by: c.clinician, actor: c.actor, now: h.now) { t in
                PlanContent(defaultsOf: t.definition)
            }
            #expect(try await Self.actions(h, after: before) == ["plan.create"])
            let editing = try await SignSessionTests.auditHead(h.db)
            let edited = try await EditPlan(h.db)(planId: plan.id, expectedVersion: plan.version, by: c.clinician, actor: c.actor, now: h.now) { p in
                var content = p.current.content
                content.rationale = "Rolling scars on both cheeks; a full course."
                return content
            }
            #expect(edited.version == plan.version + 1 && edited.current.content.rationale != nil)
            #expect(try await Self.actions(h, after: editing) == ["plan.update"])
            let stale = try await SignSessionTests.auditHead(h.db)
            await #expect(throws: StoreError.versionConflict(current: edited.version)) {
                _ = try await EditPlan(h.db)(planId: plan.id, expectedVersion: plan.version, by: c.clinician, actor: c.actor, now: h.now) { $0.current.content }
            }
            #expect(try await Self.actions(h, after: stale).isEmpty)
        }
    }

    // MARK: Assessment

    @Test func recordingAnAssessmentAppendsOnlyAssessmentCreate() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let patient = try await RegisterPatient(h.db)(Fixtures.details(), by: c.clinician, actor: c.actor, now: h.now)
            let before = try await SignSessionTests.auditHead(h.db)
            let details = try Self.assessment()
            let saved = try await RecordAssessment(h.db)(details, patientId: patient.id, by: c.clinician, actor: c.actor, now: h.now)
            #expect(try await Self.actions(h, after: before) == ["assessment.create"])
            #expect(saved.raterId == c.clinician.user.id)
            #expect(saved.scores == AssessmentScores.compute(details))

            let refused = try await SignSessionTests.auditHead(h.db)
            await #expect(throws: StoreError.notFound) {
                _ = try await RecordAssessment(h.db)(details, patientId: UUID(), by: c.clinician, actor: c.actor, now: h.now)
            }
            #expect(try await Self.actions(h, after: refused).isEmpty)
            #expect(try await Self.count(h, "scar_assessments") == 1)
            #expect(try await Self.count(h, "scar_assessment_scores") == 3)
        }
    }

    // MARK: Studies

    static func study(_ h: Harness, target: Int = 2) async throws -> UUID {
        var design = StudyTests.design
        design["targetEnrolment"] = target
        let created = try await h.request(.post, "/api/v1/studies", json: design, token: try await h.token(.practitioner))
        let id = try #require(created.json["id"] as? String)
        return try #require(UUID(uuidString: id))
    }

    @Test func enrollingAppendsOnlyStudyEnrolAndARefusalWritesNothing() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let token = try await h.token(.practitioner)
            let studyId = try await Self.study(h, target: 2)
            let unconsented = try #require(UUID(uuidString: try await h.patientId(token: token)))
            let consented = try #require(UUID(uuidString: try await StudyTests.consentedPatient(h, token: token)))
            let second = try #require(UUID(uuidString: try await StudyTests.consentedPatient(h, token: token)))
            let another = try #require(UUID(uuidString: try await StudyTests.consentedPatient(h, token: token)))
            let before = try await SignSessionTests.auditHead(h.db)
            do {
                _ = try await EnrolParticipant(h.db)(studyId: studyId, patient: .id(unconsented), by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("enrolled without research consent")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .invalid && refusal.fields.map(\.field) == ["researchConsent"])
            }
            #expect(try await Self.actions(h, after: before).isEmpty)
            #expect(try await Self.count(h, "study_participants") == 0)

            let mrn = try await PatientRepository(h.db).find(id: consented, clinicId: h.clinic.id, by: c.actor).mrn
            let enrolling = try await SignSessionTests.auditHead(h.db)
            let p = try await EnrolParticipant(h.db)(studyId: studyId, patient: .recordNumber(" \(mrn.lowercased()) "), by: c.clinician, actor: c.actor, now: h.now)
            #expect(p.patientId == consented && p.code == "P-001")
            #expect(try await Self.actions(h, after: enrolling) == ["study.enrol"])

            // Enrolled already while the study has room; then, once a second participant filled it, full.
            func refused(_ patient: UUID, _ title: String) async throws {
                let head = try await SignSessionTests.auditHead(h.db)
                do {
                    _ = try await EnrolParticipant(h.db)(studyId: studyId, patient: .id(patient), by: c.clinician, actor: c.actor, now: h.now)
                    Issue.record("enrolled: \(title)")
                } catch let refusal as Refusal {
                    #expect(refusal.kind == .conflict && refusal.title == title)
                }
                #expect(try await Self.actions(h, after: head).isEmpty, "\(title) writes nothing")
            }
            try await refused(consented, "Already enrolled")
            _ = try await EnrolParticipant(h.db)(studyId: studyId, patient: .id(second), by: c.clinician, actor: c.actor, now: h.now)
            try await refused(another, "Study is full")
            let full = try await SignSessionTests.auditHead(h.db)
            do {
                _ = try await EnrolParticipant(h.db)(studyId: studyId, patient: .recordNumber("NO-SUCH"), by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("enrolled an unknown record number")
            } catch let refusal as Refusal {
                #expect(refusal.fields.map(\.field) == ["mrn"])
            }
            #expect(try await Self.actions(h, after: full).isEmpty)
            #expect(try await Self.count(h, "study_participants") == 2)
        }
    }

    @Test func aRatedGridIsOneStudyRateAndAnyRatedCellRefusesTheWholeSubmission() async throws {
        try await Harness.run { h in
            let c = Self.caller(h)
            let token = try await h.token(.practitioner)
            let studyId = try await Self.study(h)
            var codes: [String] = []
            for _ in 0..<2 {
                let patient = try #require(UUID(uuidString: try await StudyTests.consentedPatient(h, token: token)))
                codes.append(try await EnrolParticipant(h.db)(studyId: studyId, patient: .id(patient), by: c.clinician, actor: c.actor, now: h.now).code)
            }
            let before = try await SignSessionTests.auditHead(h.db)
            let grid = codes.flatMap { code in FaceSide.allCases.map { SideRating(participantCode: code, timePoint: "baseline", side: $0, value: 3) } }
            try await RateSide(h.db)(studyId: studyId, ratings: grid, by: c.clinician, actor: c.actor, now: h.now)
            #expect(try await Self.actions(h, after: before) == ["study.rate"])
            #expect(try await Self.count(h, "study_measurements") == 4)

            let again = try await SignSessionTests.auditHead(h.db)
            let mixed = [SideRating(participantCode: codes[0], timePoint: "6 months", side: .left, value: 1),
                         SideRating(participantCode: codes[1], timePoint: "baseline", side: .right, value: 1)]
            do {
                try await RateSide(h.db)(studyId: studyId, ratings: mixed, by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("a rated cell was overwritten")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .conflict && refusal.fields.map(\.field) == ["r|\(codes[1])|baseline|right"])
            }
            do {
                try await RateSide(h.db)(studyId: studyId, ratings: [SideRating(participantCode: codes[0], timePoint: "1 year", side: .left, value: 1)],
                                         by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("rated at a time point the study does not have")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .invalid && refusal.fields.map(\.field) == ["timePoint"])
            }
            #expect(try await Self.actions(h, after: again).isEmpty)
            #expect(try await Self.count(h, "study_measurements") == 4, "nothing of a refused submission is saved")
        }
    }
}
