import Foundation
import ScarCore
import SQLKit

/// A bulk generator of synthetic treated patients for the analytics benchmark (issue 16:
/// 1M signed sessions in minutes, `scartrack demo --synthetic-sessions N`). Each course is a
/// patient, an intake, a baseline and follow-up assessments, an approved plan, 3–6 signed
/// sessions 28 days apart and sometimes an adverse event. The values are made by the validators
/// real input passes (`SessionChart.validate`, `ScarAssessmentInput`, `PlanInput`) once per
/// variant and then written in batched multi-row inserts, many courses per transaction, without
/// an audit entry per row (one entry for the whole run). The analytics facts are then built with
/// the statements that keep them (`AnalyticsFacts.rebuild`). Never used on real patients.
public enum SyntheticSessions {
    public struct Summary: Sendable {
        public var patients = 0, sessions = 0, rows = 0
        public var seconds = 0.0
        public var rowsPerSecond: Double { Double(rows) / max(seconds, 0.001) }
    }

    /// One table's pending rows, written in multi-row INSERTs of at most ~30 000 values.
    struct Rows {
        let table: String
        let columns: [String]
        var rows: [[any Encodable & Sendable]] = []

        mutating func add(_ values: [any Encodable & Sendable]) { rows.append(values) }

        mutating func flush(on sql: any SQLDatabase) async throws -> Int {
            let perStatement = max(1, 30_000 / columns.count)
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + perStatement)
                let insert = sql.insert(into: table).columns(columns)
                for row in rows[start..<end] { _ = insert.values(row) }
                try await insert.run()
                start = end
            }
            defer { rows.removeAll(keepingCapacity: true) }
            return rows.count
        }
    }

    /// The values made once by the validators, reused by every course.
    struct Variants {
        var charts: [String: (chart: String, warnings: String, lots: [(String, UUID)])] = [:]
        var assessments: [Int: (zones: [[any Encodable & Sendable]], scores: [(String, String, String, String, Int)])] = [:]
        var plans: [Int: (templateVersionId: UUID, modality: String, sessions: Int, content: String)] = [:]
        var intakes: [Int: String] = [:]
        var approval = ""
    }

    static let chartDay = CalendarDate("2024-02-29")!
    static let depths = [0.5, 0.75, 1.0, 1.25, 1.5, 2.0]

    static func key(_ modality: Modality, _ depth: Double, _ prp: Bool) -> String { "\(modality.rawValue)/\(depth)/\(prp)" }

    static func variants(_ db: ScarDatabase, clinicId: UUID, practitioner: UUID, actor: AuditActor, now: Date) async throws -> Variants {
        let today = CalendarDate.utc(now)
        var v = Variants()
        let kit = try await SyntheticCourses.equipment(db, clinicId: clinicId, by: actor, now: now)
        let (limits, _) = try await SessionRepository(db).limits(clinicId: clinicId, today: today)
        let details = try PatientDetails.validate(.init(givenName: "Variant", familyName: "Synthetic", dateOfBirth: "1990-01-01", sex: "female"),
                                                  today: today).get()
        for modality in Modality.allCases {
            for depth in depths {
                for prp in [false, true] {
                    let course = SyntheticCourse(details: details, fitzpatrick: nil, start: chartDay, modality: modality, plan: nil,
                                                 assessments: [], sessions: [], adverseEvents: [])
                    let input = course.chart(.init(day: 0, depthMm: depth, practitionerId: practitioner, prpKit: prp), equipment: kit,
                                             deviceId: kit.deviceId, prpLotId: kit.prpLotId)
                    let checked = try SessionChart.validate(input, limits: limits).get()
                    v.charts[key(modality, depth, prp)] = (try SessionRepository.json(checked.chart), try SessionRepository.json(checked.warnings),
                                                           checked.chart.lotIds.map { ($0.role, $0.id) })
                }
            }
        }
        for grade in 1...4 {
            let counts: [ScarType: Int] = [.rolling: 2 + 2 * grade, .boxcar: grade, .icePick: grade % 3]
            let a = try SyntheticCourse.Assessment(day: 0, grade: grade, counts: counts).details(on: today, today: today)
            let scores = AssessmentScores.compute(a)
            func score<R: Codable, I: Encodable>(_ s: RecordedScore<R>, _ input: I) throws -> (String, String, String, String, Int) {
                (s.scaleId, s.version, String(decoding: try AssessmentRepository.encoder.encode(input), as: UTF8.self),
                 String(decoding: try AssessmentRepository.encoder.encode(s.result), as: UTF8.self), s.total)
            }
            v.assessments[grade] = (a.zones.map { z in
                [z.zone.rawValue, z.count(.icePick), z.count(.boxcar), z.count(.rolling), z.count(.hypertrophic), z.count(.keloidal),
                 z.count(.macular), z.sizeClass?.rawValue, z.depthClass?.rawValue] as [any Encodable & Sendable]
            }, [try score(scores.gbQuantitative, a.gbQuantitative), try score(scores.ecca, a.ecca), try score(scores.gbQualitative, a.gbQualitative)])
        }
        let templates = try await ProtocolTemplateRepository(db).list(clinicId: clinicId, by: actor)
        for (i, template) in templates.prefix(2).enumerated() {
            for sessions in 3...6 {
                let plan = PlanContent(sessions: sessions, intervalDays: 28, adjuncts: i == 0 ? [.prp] : [.subcision], rationale: "Synthetic course")
                guard case .success(let content) = PlanInput(plan).validate(against: template.definition) else { continue }
                v.plans[i * 10 + sessions] = (template.id, template.definition.modality.rawValue, sessions, try PlanRepository.json(content))
            }
        }
        for f in 1...6 {
            v.intakes[f] = try IntakeRepository.json(try Intake.parse(json: Data(#"{"activeAcneInArea":false,"fitzpatrick":\#(f)}"#.utf8)))
        }
        v.approval = try PlanRepository.json(PlanApprovalRecord(approvedAt: now, approvedById: practitioner, approvedBy: actor.label, intakeId: nil,
                                                                 ruleSetVersion: "synthetic", screeningOutcome: .eligible))
        return v
    }

    /// Writes courses until `sessions` signed sessions exist, `batch` courses per transaction,
    /// then builds their analytics facts. `progress` gets a line per batch.
    public static func generate(_ db: ScarDatabase, clinicId: UUID, sessions target: Int, seed: UInt64, batch: Int = 2_000, now: Date,
                                progress: @Sendable (String) -> Void) async throws -> Summary {
        let started = Date()
        let actor = AuditActor.commandLine(clinicId: clinicId)
        let staff = try await StaffRepository(db).users(clinicId: clinicId).filter { $0.role == .practitioner }.map(\.id)
        guard let rater = staff.first else { throw StoreError.notFound }
        let v = try await variants(db, clinicId: clinicId, practitioner: rater, actor: actor, now: now)
        var random = SplitMix64(seed: seed)
        let ms = now.wholeMilliseconds
        let today = CalendarDate.utc(now)
        let firstDay = today.adding(days: -3 * 365)
        var summary = Summary()
        let run = String(UUID().uuidString.prefix(6))
        var patients = Rows(table: "patients", columns: ["id", "clinic_id", "given_name", "family_name", "search_name", "date_of_birth", "sex",
                                                         "mrn", "created_at", "updated_at", "version"])
        var intakes = Rows(table: "intakes", columns: ["id", "clinic_id", "patient_id", "recorded_on", "recorded_at", "recorded_by", "fitzpatrick", "data"])
        var assessments = Rows(table: "scar_assessments", columns: ["id", "clinic_id", "patient_id", "rater_id", "assessed_on", "blinded",
                                                                    "hypertrophic_area_cm2", "created_at"])
        var zones = Rows(table: "scar_assessment_zones", columns: ["assessment_id", "zone", "ice_pick", "boxcar", "rolling", "hypertrophic",
                                                                   "keloidal", "macular", "size_class", "depth_class"])
        var scores = Rows(table: "scar_assessment_scores", columns: ["assessment_id", "scale_id", "scale_version", "input", "result", "total"])
        var plans = Rows(table: "treatment_plans", columns: ["id", "clinic_id", "patient_id", "version", "created_at", "updated_at"])
        var versions = Rows(table: "treatment_plan_versions", columns: [
            "id", "plan_id", "clinic_id", "patient_id", "version_number", "status", "template_version_id", "modality", "sessions", "interval_days",
            "content", "created_at", "created_by", "created_by_label", "updated_at", "approved_at", "approved_by", "approved_by_label", "approval"])
        var sessions = Rows(table: "treatment_sessions", columns: [
            "id", "clinic_id", "patient_id", "status", "modality", "performed_on", "device_id", "cartridge_lot_id", "chart", "warnings",
            "plan_version_id", "practitioner_id", "created_at", "updated_at", "version"])
        var lots = Rows(table: "session_lots", columns: ["session_id", "lot_id", "role"])
        var events = Rows(table: "adverse_events", columns: [
            "id", "clinic_id", "patient_id", "session_id", "term", "onset_on", "grade", "serious", "relatedness", "outcome", "resolved_on",
            "lot_ids", "reported_by", "created_at", "updated_at", "version"])
        let kit = try await SyntheticCourses.equipment(db, clinicId: clinicId, by: actor, now: now)
        let assessor = { (patient: UUID, day: CalendarDate, grade: Int) in
            let id = UUID()
            assessments.add([id, clinicId, patient, rater, day.description, false, 0.0, ms])
            let variant = v.assessments[grade]!
            for z in variant.zones { zones.add([id] + z) }
            for s in variant.scores { scores.add([id, s.0, s.1, s.2, s.3, s.4]) }
        }
        while summary.sessions < target {
            let batchStart = Date()
            for _ in 0..<batch where summary.sessions < target {
                let n = summary.patients + 1
                let patient = UUID()
                let details = try PatientDetails.validate(.init(givenName: "Synthetic", familyName: "Sample-\(run)-\(n)",
                                                                dateOfBirth: "19\(60 + n % 40)-0\(1 + n % 9)-1\(n % 10)", sex: n % 2 == 0 ? "female" : "male",
                                                                mrn: "SYN-\(run)-\(n)"), today: today).get()
                patients.add([patient, clinicId, details.givenName, details.familyName, PatientRepository.searchName(details),
                              details.dateOfBirth.description, details.sex.rawValue, "SYN-\(run)-\(n)", now, now, 1])
                let start = firstDay.adding(days: Int.random(in: 0...(2 * 365), using: &random))
                if Int.random(in: 0..<10, using: &random) > 0 {
                    let f = Int.random(in: 1...6, using: &random)
                    intakes.add([UUID(), clinicId, patient, start.description, now, rater, f, v.intakes[f]!])
                }
                let baseline = Int.random(in: 2...4, using: &random)
                assessor(patient, start, baseline)
                let count = min(Int.random(in: 3...6, using: &random), target - summary.sessions)
                let modality: Modality = Int.random(in: 0..<5, using: &random) == 0 ? .rfMicroneedling : .microneedling
                let templateIndex = Int.random(in: 0..<10, using: &random)
                var planVersion: UUID?
                if templateIndex < 9, let plan = v.plans[(templateIndex % 2) * 10 + max(3, count)] ?? v.plans[(templateIndex % 2) * 10 + 3] {
                    let planId = UUID(), versionId = UUID()
                    plans.add([planId, clinicId, patient, 2, now, now])
                    versions.add([versionId, planId, clinicId, patient, 1, "approved", plan.templateVersionId, plan.modality, plan.sessions, 28,
                                  plan.content, now, rater, actor.label, now, ms, rater, actor.label, v.approval])
                    planVersion = versionId
                }
                let practitioner = staff[Int.random(in: 0..<staff.count, using: &random)]
                let prp = Int.random(in: 0..<10, using: &random) == 0
                var sessionIds: [UUID] = []
                for k in 0..<count {
                    let id = UUID(), day = start.adding(days: 7 + 28 * k)
                    let depth = depths[Int.random(in: 0..<depths.count, using: &random)]
                    let chart = v.charts[key(modality, depth, prp)]!
                    sessions.add([id, clinicId, patient, "draft", modality.rawValue, day.description,
                                  modality == .rfMicroneedling ? kit.rfDeviceId : kit.deviceId, kit.cartridgeLotId,
                                  chart.chart.replacingOccurrences(of: "\"\(chartDay)\"", with: "\"\(day)\""), chart.warnings, planVersion,
                                  practitioner, ms, ms, 1])
                    for (role, lot) in chart.lots { lots.add([id, lot, role]) }
                    sessionIds.append(id)
                }
                for followUp in 0..<Int.random(in: 0...2, using: &random) {
                    let grade = max(1, baseline - Int.random(in: 0...(1 + followUp), using: &random))
                    assessor(patient, start.adding(days: 7 + 28 * count + 60 * (followUp + 1)), grade)
                }
                if Int.random(in: 0..<20, using: &random) == 0, let session = sessionIds.last {
                    let onset = start.adding(days: 8 + 28 * (count - 1)), resolved = onset.adding(days: 14)
                    events.add([UUID(), clinicId, patient, session, "pih", onset.description, CTCAEGrade.mild.rawValue, false,
                                Relatedness.possible.rawValue, (resolved <= today ? AEOutcome.resolved : .ongoing).rawValue,
                                (resolved <= today ? resolved.description : nil) as String?, "", rater, ms, ms, 1])
                }
                summary.patients += 1
                summary.sessions += count
            }
            let ids = sessions.rows.map { $0[0] }
            let tables = [patients, intakes, assessments, zones, scores, plans, versions, sessions, lots], aes = events
            summary.rows += try await db.write { sql in
                var rows = 0
                for table in tables {
                    var t = table
                    rows += try await t.flush(on: sql)
                }
                // Signed after their lots are linked, as signing does.
                let chunk = 30_000
                for start in stride(from: 0, to: ids.count, by: chunk) {
                    let list = SQLList(ids[start..<min(ids.count, start + chunk)].map { SQLBind($0) })
                    try await sql.raw("""
                        UPDATE treatment_sessions SET status = 'signed', signed_at = \(bind: ms), signed_by = practitioner_id, version = 2
                        WHERE id IN (\(list)) AND status = 'draft'
                        """).run()
                }
                var e = aes
                rows += try await e.flush(on: sql)
                return rows
            }
            patients.rows.removeAll(); intakes.rows.removeAll(); assessments.rows.removeAll(); zones.rows.removeAll(); scores.rows.removeAll()
            plans.rows.removeAll(); versions.rows.removeAll(); sessions.rows.removeAll(); lots.rows.removeAll(); events.rows.removeAll()
            let elapsed = Date().timeIntervalSince(started)
            progress(String(format: "Synthetic sessions: %d of %d signed (%d patients), %.0f rows/s, batch %.1f s", summary.sessions, target,
                            summary.patients, Double(summary.rows) / max(elapsed, 0.001), Date().timeIntervalSince(batchStart)))
        }
        progress("Building the analytics facts of the clinic …")
        let factsStarted = Date()
        let counts = ["patients": String(summary.patients), "sessions": String(summary.sessions)]
        try await db.write { sql in
            try await AnalyticsFacts.rebuild(clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "demo.synthetic-sessions", recordType: "clinic", recordId: clinicId.uuidString,
                                                   details: counts),
                                        by: actor, engine: AnalyticsFacts.engine(of: sql), on: sql, now: now)
        }
        progress(String(format: "Analytics facts built in %.1f s", Date().timeIntervalSince(factsStarted)))
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}
