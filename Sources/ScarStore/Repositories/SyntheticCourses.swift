import Foundation
import ScarCore
import SQLKit

/// A synthetic treatment course (patient, intake, assessments, plan, signed sessions, adverse
/// events) for `scartrack demo --courses` and for the analytics tests' generated clinic with
/// known answers. Rows are written as the features write them (the same JSON shapes), so the
/// pages read them back; the patient and intake go through their repositories (audited).
/// Never used on real patients.
public struct SyntheticCourse: Sendable {
    /// One assessment: the Goodman & Baron qualitative grade (1–4) and scar counts on the left
    /// cheek; the quantitative and ECCA inputs follow from the counts (see `details`).
    public struct Assessment: Sendable {
        public var day: Int
        public var grade: Int
        public var counts: [ScarType: Int]
        public var notes: String?
        public init(day: Int, grade: Int, counts: [ScarType: Int], notes: String? = nil) {
            (self.day, self.grade, self.counts, self.notes) = (day, grade, counts, notes)
        }

        /// The assessment as the grading form would submit it: the qualitative answers that give
        /// `grade`; rolling → G&B B1 and ECCA M-shaped, boxcar → B2 and U-shaped, ice pick → C2 and
        /// V-shaped, macular → A1.
        public func details(on date: CalendarDate) throws -> ScarAssessmentDetails {
            let yes = "yes", no = "no"
            let answers: [String] = switch grade {
            case 1: [no, no, yes, yes]
            case 2: [yes, no, yes, yes]
            case 3: [yes, yes, no, yes]
            default: [yes, yes, no, no]
            }
            var values = ["assessedOn": date.description, "blinded": "no", "hypertrophicAreaCm2": "0",
                          "gbQualitative.contourChange": answers[0], "gbQualitative.obviousAt50cm": answers[1],
                          "gbQualitative.coveredByMakeup": answers[2], "gbQualitative.flattensOnStretch": answers[3]]
            if let notes { values["notes"] = notes }
            for (type, n) in counts where n > 0 { values["zones.left-cheek.\(type.rawValue)"] = String(n) }
            let rolling = counts[.rolling] ?? 0, boxcar = counts[.boxcar] ?? 0, icePick = counts[.icePick] ?? 0, macular = counts[.macular] ?? 0
            values["gbQuantitative.B1"] = String(rolling)
            values["gbQuantitative.B2"] = String(boxcar)
            values["gbQuantitative.C2"] = String(icePick)
            values["gbQuantitative.A1"] = String(macular)
            values["ecca.mShapedOver4mm"] = String(rolling)
            values["ecca.uShaped2to4mm"] = String(boxcar)
            values["ecca.vShapedUnder2mm"] = String(icePick)
            return try ScarAssessmentInput(values).validate(today: ISODate("9999-12-31")!).get()
        }
    }
    public struct Session: Sendable {
        public var day: Int
        public var depthMm: Double
        public var practitionerId: UUID
        public var signed: Bool
        public var prpKit: Bool
        public var notes: String?
        public init(day: Int, depthMm: Double, practitionerId: UUID, signed: Bool = true, prpKit: Bool = false, notes: String? = nil) {
            (self.day, self.depthMm, self.practitionerId, self.signed, self.prpKit, self.notes) = (day, depthMm, practitionerId, signed, prpKit, notes)
        }
    }
    public struct AdverseEvent: Sendable {
        public var day: Int
        public var sessionIndex: Int?
        public var term: String
        public var notes: String?
        public init(day: Int, sessionIndex: Int?, term: String = "post-inflammatory hyperpigmentation", notes: String? = nil) {
            (self.day, self.sessionIndex, self.term, self.notes) = (day, sessionIndex, term, notes)
        }
    }
    public struct Plan: Sendable {
        public var templateVersionId: UUID
        public var sessions: Int
        public var adjuncts: [Adjunct]
        public init(templateVersionId: UUID, sessions: Int, adjuncts: [Adjunct]) {
            (self.templateVersionId, self.sessions, self.adjuncts) = (templateVersionId, sessions, adjuncts)
        }
    }

    public var details: PatientDetails
    public var fitzpatrick: Int?
    /// Day 0 of the course (the baseline assessment's day when it is on day 0).
    public var start: CalendarDate
    public var modality: Modality
    public var plan: Plan?
    public var assessments: [Assessment]
    public var sessions: [Session]
    public var adverseEvents: [AdverseEvent]

    public init(details: PatientDetails, fitzpatrick: Int?, start: CalendarDate, modality: Modality, plan: Plan?,
                assessments: [Assessment], sessions: [Session], adverseEvents: [AdverseEvent]) {
        self.details = details
        self.fitzpatrick = fitzpatrick
        self.start = start
        self.modality = modality
        self.plan = plan
        self.assessments = assessments
        self.sessions = sessions
        self.adverseEvents = adverseEvents
    }
}

public enum SyntheticCourses {
    /// A device and a PRP-kit lot for synthetic sessions (created once per clinic).
    public static func equipment(_ db: ScarDatabase, clinicId: UUID, now: Date = Date()) async throws -> (deviceId: UUID, prpLotId: UUID) {
        try await db.write { sql in
            if let d = try await sql.raw("SELECT id FROM devices WHERE clinic_id = \(bind: clinicId) AND serial_number = 'SYNTH-001'").first(),
               let l = try await sql.raw("SELECT id FROM consumable_lots WHERE clinic_id = \(bind: clinicId) AND lot_number = 'SYNTH-PRP-1'").first() {
                return (try d.decode(column: "id", as: UUID.self), try l.decode(column: "id", as: UUID.self))
            }
            let device = UUID(), lot = UUID()
            try await sql.raw("""
                INSERT INTO devices (id, clinic_id, model, manufacturer, device_type, max_depth_mm, needle_geometry, needle_count, serial_number,
                                     active, created_at, updated_at, version)
                VALUES (\(bind: device), \(bind: clinicId), 'Synthetic pen', 'Demo devices', 'motorized-pen', 2.5, '12-pin round', 12, 'SYNTH-001',
                        \(bind: true), \(bind: now), \(bind: now), 1)
                """).run()
            try await sql.raw("""
                INSERT INTO consumable_lots (id, clinic_id, kind, product, lot_number, expires_on, quantity, received_on, created_at, updated_at, version)
                VALUES (\(bind: lot), \(bind: clinicId), 'prp-kit', 'Synthetic PRP kit', 'SYNTH-PRP-1', '2099-12-31', 100, '2024-01-01',
                        \(bind: now), \(bind: now), 1)
                """).run()
            return (device, lot)
        }
    }

    /// Writes one course; returns the patient id.
    @discardableResult
    public static func insert(_ course: SyntheticCourse, into db: ScarDatabase, clinicId: UUID, raterId: UUID, deviceId: UUID, prpLotId: UUID,
                              by actor: AuditActor, now: Date = Date()) async throws -> UUID {
        let patient = try await PatientRepository(db).register(course.details, clinicId: clinicId, by: actor, now: now)
        if let f = course.fitzpatrick {
            let intake = try Intake.parse(json: Data(#"{"activeAcneInArea":false,"fitzpatrick":\#(f)}"#.utf8))
            _ = try await IntakeRepository(db).record(intake, patientId: patient.id, clinicId: clinicId, recordedOn: course.start, by: actor, now: now)
        }
        @Sendable func day(_ offset: Int) -> String { course.start.adding(days: offset).description }
        for a in course.assessments {
            _ = try await AssessmentRepository(db).create(try a.details(on: course.start.adding(days: a.day)), patientId: patient.id,
                                                          clinicId: clinicId, raterId: raterId, by: actor, now: now)
        }
        let ms = now.wholeMilliseconds
        try await db.write { sql in
            var planVersionId: UUID?
            if let plan = course.plan {
                let planId = UUID(), versionId = UUID()
                planVersionId = versionId
                let content = PlanContent(sessions: plan.sessions, intervalDays: 28, adjuncts: plan.adjuncts, rationale: "Synthetic course")
                let approval = PlanApprovalRecord(approvedAt: ms, approvedById: raterId, approvedBy: actor.label, intakeId: nil,
                                                  ruleSetVersion: "synthetic", screeningOutcome: .eligible)
                try await sql.raw("""
                    INSERT INTO treatment_plans (id, clinic_id, patient_id, version, created_at, updated_at)
                    VALUES (\(bind: planId), \(bind: clinicId), \(bind: patient.id), 1, \(bind: ms), \(bind: ms))
                    """).run()
                try await sql.raw("""
                    INSERT INTO treatment_plan_versions (id, plan_id, clinic_id, patient_id, version_number, status, template_version_id, modality,
                                                         sessions, interval_days, content, created_at, created_by, created_by_label, updated_at,
                                                         approved_at, approved_by, approved_by_label, approval)
                    VALUES (\(bind: versionId), \(bind: planId), \(bind: clinicId), \(bind: patient.id), 1, 'approved', \(bind: plan.templateVersionId),
                            \(bind: course.modality.rawValue), \(bind: plan.sessions), 28, \(bind: try PlanRepository.json(content)), \(bind: ms),
                            \(bind: raterId), \(bind: actor.label), \(bind: ms), \(bind: ms), \(bind: raterId), \(bind: actor.label),
                            \(bind: try PlanRepository.json(approval)))
                    """).run()
            }
            var sessionIds: [UUID] = []
            for s in course.sessions {
                let id = UUID()
                sessionIds.append(id)
                var chart: [String: Any] = [
                    "performedOn": day(s.day), "modality": course.modality.rawValue, "deviceId": deviceId.lower,
                    "zones": [["zone": "left-cheek", "depthMm": s.depthMm, "passes": 2, "endpoint": "uniform-erythema"]],
                    "topicals": s.prpKit ? [["product": "PRP", "lotId": prpLotId.lower, "vitaminC": false]] : [],
                    "reactions": ["erythema": true, "edema": false, "pinpointBleeding": true], "durationMinutes": 40,
                ]
                if let n = s.notes { chart["notes"] = n }
                let json = String(decoding: try JSONSerialization.data(withJSONObject: chart, options: [.sortedKeys]), as: UTF8.self)
                try await sql.raw("""
                    INSERT INTO treatment_sessions (id, clinic_id, patient_id, status, modality, performed_on, device_id, chart, warnings,
                                                    plan_version_id, practitioner_id, created_at, updated_at, signed_at, signed_by, version)
                    VALUES (\(bind: id), \(bind: clinicId), \(bind: patient.id), 'draft', \(bind: course.modality.rawValue),
                            \(bind: day(s.day)), \(bind: deviceId), \(bind: json), '[]', \(bind: planVersionId), \(bind: s.practitionerId),
                            \(bind: ms), \(bind: ms), NULL, NULL, 1)
                    """).run()
                if s.prpKit {
                    try await sql.raw("INSERT INTO session_lots (session_id, lot_id, role) VALUES (\(bind: id), \(bind: prpLotId), 'topical')").run()
                }
                // Signed after its lots are linked, as signing does (a signed session refuses new lot links).
                if s.signed {
                    try await sql.raw("""
                        UPDATE treatment_sessions SET status = 'signed', signed_at = \(bind: ms), signed_by = \(bind: s.practitionerId), version = 2
                        WHERE id = \(bind: id)
                        """).run()
                }
            }
            for e in course.adverseEvents {
                try await sql.raw("""
                    INSERT INTO adverse_events (id, clinic_id, patient_id, session_id, term, onset_on, grade, serious, relatedness, outcome,
                                                lot_ids, notes, reported_by, created_at, updated_at, version)
                    VALUES (\(bind: UUID()), \(bind: clinicId), \(bind: patient.id), \(bind: e.sessionIndex.map { sessionIds[$0] }), \(bind: e.term),
                            \(bind: day(e.day)), 1, \(bind: false), 'possible', 'resolved', '', \(bind: e.notes), \(bind: raterId), \(bind: ms), \(bind: ms), 1)
                    """).run()
            }
        }
        return patient.id
    }
}
