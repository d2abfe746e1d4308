import Foundation
import ScarCore
import SQLKit

/// A synthetic treatment course (patient, intake, assessments, plan, signed sessions, adverse
/// events) for `scartrack demo --courses` and for the analytics tests' generated clinic with
/// known answers. Every record passes the validator real input passes (`PatientDetails`,
/// `Intake.parse`, `ScarAssessmentInput`, `PlanInput`, `SessionChart`, `AdverseEventDetails`,
/// `DeviceDetails`, `LotDetails`) and is written by the repository function the API uses
/// (audited). Only signing is done directly: a synthetic course has no signed consent or
/// checklist to record. Never used on real patients. `RecordDemoCourse` (ScarClinic) writes the
/// same value through the use cases, each step on its own day.
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
        public func details(on date: CalendarDate, today: CalendarDate = CalendarDate.utc(Date())) throws -> ScarAssessmentDetails {
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
            return try ScarAssessmentInput(values).validate(today: today).get()
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
        /// A catalogue term (`AETerm.catalogue`); `pih` is post-inflammatory hyperpigmentation.
        public var term: String
        /// Days from onset to resolution; nil: still ongoing. Synthetic, not a clinical figure.
        public var resolvedAfterDays: Int?
        public var notes: String?
        public init(day: Int, sessionIndex: Int?, term: String = "pih", resolvedAfterDays: Int? = 14, notes: String? = nil) {
            (self.day, self.sessionIndex, self.term, self.resolvedAfterDays, self.notes) = (day, sessionIndex, term, resolvedAfterDays, notes)
        }
    }
    public struct Plan: Sendable {
        public var templateVersionId: UUID
        /// The template's stable id, for writers that start the plan as a planner does (`StartPlan`).
        public var templateId: UUID?
        public var sessions: Int
        public var adjuncts: [Adjunct]
        public init(templateVersionId: UUID, templateId: UUID? = nil, sessions: Int, adjuncts: [Adjunct]) {
            (self.templateVersionId, self.templateId, self.sessions, self.adjuncts) = (templateVersionId, templateId, sessions, adjuncts)
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

extension SyntheticCourse {
    /// A session's chart as the chart form would submit it: the left cheek at the session's depth,
    /// two passes to uniform erythema, the clinic's synthetic cartridge, PRP when the session used the kit.
    /// `deviceId` charts microneedling; RF microneedling uses the synthetic RF device.
    public func chart(_ s: Session, equipment kit: SyntheticCourses.Equipment, deviceId: UUID, prpLotId: UUID) -> SessionChart.Input {
        let rf = modality == .rfMicroneedling
        return SessionChart.Input(
            performedOn: start.adding(days: s.day).description, modality: modality.rawValue,
            deviceId: (rf ? kit.rfDeviceId : deviceId).lower, cartridgeLotId: kit.cartridgeLotId.lower,
            zones: [.init(zone: FacialZone.leftCheek.rawValue, depthMm: s.depthMm, passes: 2, endpoint: Endpoint.uniformErythema.rawValue)],
            topicals: s.prpKit ? [.init(product: "PRP", lotId: prpLotId.lower, vitaminC: false)] : [],
            durationMinutes: 40, reactions: .init(erythema: true, edema: false, pinpointBleeding: true), notes: s.notes)
    }
}

/// The analytics tests' known-answer clinic is written here, straight through the audited
/// repositories, because it holds on purpose courses the checklist would refuse today (a course
/// charted without an intake or a plan). `scartrack demo --courses` writes through the use cases
/// instead (`RecordDemoCourse` in ScarClinic).
public enum SyntheticCourses {
    /// The synthetic clinic's equipment: a motorized pen, an RF microneedling device, a cartridge
    /// lot and a PRP-kit lot, each validated and added through `DeviceLotRepository` (once per clinic).
    public struct Equipment: Sendable {
        public var deviceId: UUID
        public var rfDeviceId: UUID
        public var cartridgeLotId: UUID
        public var prpLotId: UUID
    }

    public static func equipment(_ db: ScarDatabase, clinicId: UUID, by actor: AuditActor? = nil, now: Date = Date()) async throws -> Equipment {
        let actor = actor ?? .commandLine(clinicId: clinicId)
        let repo = DeviceLotRepository(db)
        let today = CalendarDate.utc(now)
        let devices = try await repo.devices(clinicId: clinicId), lots = try await repo.lots(clinicId: clinicId)
        func device(_ serial: String, model: String, type: DeviceType) async throws -> UUID {
            if let d = devices.first(where: { $0.details.serialNumber == serial }) { return d.id }
            let details = try DeviceDetails.validate(.init(model: model, manufacturer: "Demo devices", type: type.rawValue, maxDepthMm: 2.5,
                                                           needleGeometry: "12-pin round", needleCount: 12, serialNumber: serial, active: true)).get()
            return try await repo.addDevice(details, clinicId: clinicId, by: actor, now: now).id
        }
        func lot(_ number: String, kind: ConsumableKind, product: String) async throws -> UUID {
            if let l = lots.first(where: { $0.details.lotNumber == number }) { return l.id }
            let details = try LotDetails.validate(.init(kind: kind.rawValue, product: product, lotNumber: number, expiresOn: "2099-12-31",
                                                        quantity: 100, receivedOn: "2024-01-01"), today: today).get()
            return try await repo.addLot(details, clinicId: clinicId, by: actor, now: now).id
        }
        return Equipment(deviceId: try await device("SYNTH-001", model: "Synthetic pen", type: .motorizedPen),
                         rfDeviceId: try await device("SYNTH-RF-001", model: "Synthetic RF microneedling", type: .rfMicroneedling),
                         cartridgeLotId: try await lot("SYNTH-CART-1", kind: .cartridge, product: "Synthetic 12-pin cartridge"),
                         prpLotId: try await lot("SYNTH-PRP-1", kind: .prpKit, product: "Synthetic PRP kit"))
    }

    /// Writes one course through the validators and repositories real input goes through;
    /// returns the patient id. `deviceId` charts microneedling sessions; RF microneedling
    /// sessions and the cartridges come from the clinic's synthetic `equipment`.
    @discardableResult
    public static func insert(_ course: SyntheticCourse, into db: ScarDatabase, clinicId: UUID, raterId: UUID, deviceId: UUID, prpLotId: UUID,
                              by actor: AuditActor, now: Date = Date()) async throws -> UUID {
        let today = CalendarDate.utc(now)
        let kit = try await equipment(db, clinicId: clinicId, by: actor, now: now)
        let patient = try await PatientRepository(db).register(course.details, clinicId: clinicId, by: actor, now: now)
        var intakeId: UUID?
        if let f = course.fitzpatrick {
            let intake = try Intake.parse(json: Data(#"{"activeAcneInArea":false,"fitzpatrick":\#(f)}"#.utf8))
            intakeId = try await IntakeRepository(db).record(intake, patientId: patient.id, clinicId: clinicId, recordedOn: course.start, by: actor, now: now).id
        }
        @Sendable func day(_ offset: Int) -> String { course.start.adding(days: offset).description }
        for a in course.assessments {
            _ = try await AssessmentRepository(db).create(try a.details(on: course.start.adding(days: a.day), today: today), patientId: patient.id,
                                                          clinicId: clinicId, raterId: raterId, by: actor, now: now)
        }
        var planVersionId: UUID?
        if let plan = course.plan {
            let template = try await db.read { sql in try await ProtocolTemplateRepository.version(id: plan.templateVersionId, clinicId: clinicId, on: sql) }
            let content = try PlanInput(PlanContent(sessions: plan.sessions, intervalDays: 28, adjuncts: plan.adjuncts, rationale: "Synthetic course"))
                .validate(against: template.definition).get()
            let plans = PlanRepository(db)
            let draft = try await plans.create(patientId: patient.id, clinicId: clinicId, templateVersionId: template.id, content: content,
                                               assessmentId: nil, by: actor, now: now)
            let approval = PlanApprovalRecord(approvedAt: now.wholeMilliseconds, approvedById: raterId, approvedBy: actor.label, intakeId: intakeId,
                                              ruleSetVersion: "synthetic", screeningOutcome: .eligible)
            planVersionId = try await plans.approve(id: draft.id, clinicId: clinicId, expectedVersion: draft.version, by: actor, now: now) { _ in approval }
                .inForce?.id
        }
        let sessions = SessionRepository(db)
        let (limits, _) = try await sessions.limits(clinicId: clinicId, today: today)
        var sessionIds: [UUID] = []
        for s in course.sessions {
            let input = course.chart(s, equipment: kit, deviceId: deviceId, prpLotId: prpLotId)
            let checked = try SessionChart.validate(input, limits: limits).get()
            let session = try await sessions.create(checked, patientId: patient.id, clinicId: clinicId, practitionerId: s.practitionerId,
                                                    appointmentId: nil, planVersionId: planVersionId, by: actor, now: now)
            sessionIds.append(session.id)
            // Signed after its lots are linked, as signing does (a signed session refuses new lot links).
            if s.signed {
                let ms = now.wholeMilliseconds
                try await db.write { sql in
                    try await sql.raw("""
                        UPDATE treatment_sessions SET status = 'signed', signed_at = \(bind: ms), signed_by = \(bind: s.practitionerId),
                            version = version + 1
                        WHERE id = \(bind: session.id) AND status = 'draft'
                        """).run()
                    try await AnalyticsFacts.sessionChanged(session.id, on: sql)
                }
            }
        }
        let settings = try await DeviceLotRepository(db).settings(clinicId: clinicId)
        for e in course.adverseEvents {
            // An event whose resolution would fall after today is still ongoing today.
            let resolvedDay = e.resolvedAfterDays.map { e.day + $0 }.flatMap { course.start.adding(days: $0) <= today ? $0 : nil }
            let input = AdverseEventDetails.Input(
                term: e.term, onsetOn: day(e.day), grade: CTCAEGrade.mild.rawValue, serious: false, relatedness: Relatedness.possible.rawValue,
                outcome: (resolvedDay == nil ? AEOutcome.ongoing : .resolved).rawValue,
                resolvedOn: resolvedDay.map { day($0) }, sessionId: e.sessionIndex.map { sessionIds[$0].lower },
                notes: e.notes)
            let details = try AdverseEventDetails.validate(input, today: today, thresholds: settings.thresholds).get()
            _ = try await AdverseEventRepository(db).record(details, patientId: patient.id, clinicId: clinicId, reporterId: raterId, by: actor, now: now)
        }
        return patient.id
    }
}
