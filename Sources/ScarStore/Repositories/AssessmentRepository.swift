import Foundation
import ScarCore
import SQLKit

/// Scar assessments of one clinic's patients. Append-only: there is create, list and find, no
/// update (a correction is a new assessment). Every call is scoped by the caller's clinic, so
/// another clinic's record is simply not found, and every read and write appends its audit
/// entry in the same transaction.
public struct AssessmentRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let columns = """
        a.id, a.clinic_id, a.patient_id, a.rater_id, s.display_name AS rater_name, a.assessed_on, a.blinded, a.notes,
        a.hypertrophic_area_cm2, a.created_at
        """

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Saves a new assessment for a patient of the clinic, scored now by the current version of
    /// each scale (ScarCore does the arithmetic). The rater is the signed-in member of staff.
    public func create(_ details: ScarAssessmentDetails, patientId: UUID, clinicId: UUID, raterId: UUID, by actor: AuditActor,
                       now: Date = Date()) async throws -> ScarAssessment {
        let engine = db.engine
        return try await db.write { sql in
            let saved = try await Self.insert(details, patientId: patientId, clinicId: clinicId, raterId: raterId, now: now, on: sql)
            try await AuditTrail.append(Self.creationEvent(saved), by: actor, engine: engine, on: sql, now: now)
            return saved
        }
    }

    /// The `assessment.create` entry, with the three scale totals.
    public static func creationEvent(_ a: ScarAssessment) -> AuditEvent {
        AuditEvent(action: "assessment.create", recordType: "scar_assessment", recordId: a.id.uuidString, patientId: a.patientId,
                   details: ["gbQuantitative": String(a.scores.gbQuantitative.total), "ecca": String(a.scores.ecca.total),
                             "gbQualitative": String(a.scores.gbQualitative.total)])
    }

    /// Scores and stores an assessment of a patient of the clinic by a rater of the clinic (not
    /// found otherwise); not audited here.
    static func insert(_ details: ScarAssessmentDetails, patientId: UUID, clinicId: UUID, raterId: UUID, now: Date,
                       on sql: any SQLDatabase) async throws -> ScarAssessment {
        let scores = AssessmentScores.compute(details)
        let id = UUID()
        // Whole milliseconds, as the audit trail stores them, so what is returned equals what is read back.
        let createdAt = now.wholeMilliseconds
        try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
        guard let rater = try await sql.raw("""
            SELECT display_name FROM staff_users WHERE id = \(bind: raterId) AND clinic_id = \(bind: clinicId)
            """).first()
        else { throw StoreError.notFound }
        let raterName = try rater.decode(column: "display_name", as: String.self)
        try await sql.raw("""
            INSERT INTO scar_assessments (id, clinic_id, patient_id, rater_id, assessed_on, blinded, notes, hypertrophic_area_cm2, created_at)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: raterId), \(bind: details.assessedOn.description),
                    \(bind: details.blinded), \(bind: details.notes), \(bind: details.hypertrophicAreaCm2), \(bind: createdAt))
            """).run()
        for finding in details.zones {
            try await sql.raw("""
                INSERT INTO scar_assessment_zones (assessment_id, zone, ice_pick, boxcar, rolling, hypertrophic, keloidal, macular,
                                                   size_class, depth_class)
                VALUES (\(bind: id), \(bind: finding.zone.rawValue), \(bind: finding.count(.icePick)), \(bind: finding.count(.boxcar)),
                        \(bind: finding.count(.rolling)), \(bind: finding.count(.hypertrophic)), \(bind: finding.count(.keloidal)),
                        \(bind: finding.count(.macular)), \(bind: finding.sizeClass?.rawValue), \(bind: finding.depthClass?.rawValue))
                """).run()
        }
        try await Self.insertScore(scores.gbQuantitative, input: details.gbQuantitative, assessmentId: id, on: sql)
        try await Self.insertScore(scores.ecca, input: details.ecca, assessmentId: id, on: sql)
        try await Self.insertScore(scores.gbQualitative, input: details.gbQualitative, assessmentId: id, on: sql)
        try await AnalyticsFacts.patientChanged(patientId, on: sql)
        return ScarAssessment(id: id, clinicId: clinicId, patientId: patientId, raterId: raterId, raterName: raterName,
                              createdAt: createdAt, details: details, scores: scores)
    }

    static func insertScore<R: Codable, I: Encodable>(_ score: RecordedScore<R>, input: I, assessmentId: UUID, on sql: any SQLDatabase) async throws {
        let inputJSON = String(decoding: try encoder.encode(input), as: UTF8.self)
        let resultJSON = String(decoding: try encoder.encode(score.result), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO scar_assessment_scores (assessment_id, scale_id, scale_version, input, result, total)
            VALUES (\(bind: assessmentId), \(bind: score.scaleId), \(bind: score.version), \(bind: inputJSON), \(bind: resultJSON),
                    \(bind: score.total))
            """).run()
    }

    /// The patient's assessments, newest assessment date first. Not found when the patient
    /// belongs to another clinic. The listing is audited with the ids it showed.
    public func list(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> [ScarAssessment] {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let assessments = try await Self.assessments(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "assessment.list", recordType: "scar_assessment", patientId: patientId,
                                                   details: ["results": String(assessments.count),
                                                             "shown": assessments.map { $0.id.lower }.joined(separator: ",")]),
                                        by: actor, engine: engine, on: sql)
            return assessments
        }
    }

    /// One assessment, audited as a read. Not found when it belongs to another clinic.
    public func find(id: UUID, clinicId: UUID, by actor: AuditActor) async throws -> ScarAssessment {
        let engine = db.engine
        return try await db.write { sql in
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM scar_assessments a JOIN staff_users s ON s.id = a.rater_id
                WHERE a.id = \(bind: id) AND a.clinic_id = \(bind: clinicId)
                """).all()
            guard !rows.isEmpty else { throw StoreError.notFound }
            let zones = try await sql.raw("SELECT * FROM scar_assessment_zones WHERE assessment_id = \(bind: id)").all()
            let scores = try await sql.raw("SELECT * FROM scar_assessment_scores WHERE assessment_id = \(bind: id)").all()
            let assessment = try Self.assemble(rows, zones: zones, scores: scores)[0]
            try await AuditTrail.append(AuditEvent(action: "assessment.read", recordType: "scar_assessment", recordId: id.uuidString,
                                                   patientId: assessment.patientId),
                                        by: actor, engine: engine, on: sql)
            return assessment
        }
    }

    /// The id of the patient's latest assessment (by assessment date, then entry), if any.
    static func latestId(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.raw("""
            SELECT a.id FROM scar_assessments a WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId)
            ORDER BY a.assessed_on DESC, a.created_at DESC, a.id LIMIT 1
            """).first()?.decode(column: "id", as: UUID.self)
    }

    /// Builds assessments (in the order of `rows`) from their zone and score rows. Stored
    /// results are decoded as stored, never recomputed.
    /// The patient's assessments, newest first (three statements: rows, zones, scores); not audited here.
    static func assessments(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [ScarAssessment] {
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM scar_assessments a JOIN staff_users s ON s.id = a.rater_id
            WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId)
            ORDER BY a.assessed_on DESC, a.created_at DESC, a.id
            """).all()
        let zones = try await sql.raw("""
            SELECT z.* FROM scar_assessment_zones z JOIN scar_assessments a ON a.id = z.assessment_id
            WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId)
            """).all()
        let scores = try await sql.raw("""
            SELECT c.* FROM scar_assessment_scores c JOIN scar_assessments a ON a.id = c.assessment_id
            WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId)
            """).all()
        return try Self.assemble(rows, zones: zones, scores: scores)
    }

    static func assemble(_ rows: [any SQLRow], zones: [any SQLRow], scores: [any SQLRow]) throws -> [ScarAssessment] {
        var zonesById: [UUID: [ZoneFinding]] = [:]
        for row in zones {
            let id = try row.decode(column: "assessment_id", as: UUID.self)
            let zoneName = try row.decode(column: "zone", as: String.self)
            guard let zone = FacialZone(rawValue: zoneName) else { throw StoreError.configuration("Unknown zone \(zoneName) in storage") }
            var counts: [ScarType: Int] = [:]
            for type in ScarType.allCases {
                counts[type] = try row.decode(column: type.rawValue.replacingOccurrences(of: "-", with: "_"), as: Int.self)
            }
            let size = try row.decode(column: "size_class", as: String?.self).flatMap(ScarSizeClass.init(rawValue:))
            let depth = try row.decode(column: "depth_class", as: String?.self).flatMap(ScarDepthClass.init(rawValue:))
            zonesById[id, default: []].append(ZoneFinding(zone: zone, counts: counts, sizeClass: size, depthClass: depth))
        }
        struct StoredScore { var version: String; var input: Data; var result: Data; var total: Int }
        var scoresById: [UUID: [String: StoredScore]] = [:]
        for row in scores {
            let id = try row.decode(column: "assessment_id", as: UUID.self)
            let scale = try row.decode(column: "scale_id", as: String.self)
            scoresById[id, default: [:]][scale] = StoredScore(
                version: try row.decode(column: "scale_version", as: String.self),
                input: Data(try row.decode(column: "input", as: String.self).utf8),
                result: Data(try row.decode(column: "result", as: String.self).utf8),
                total: try row.decode(column: "total", as: Int.self))
        }
        let decoder = JSONDecoder()
        func stored(_ id: UUID, _ scale: String) throws -> StoredScore {
            guard let s = scoresById[id]?[scale] else { throw StoreError.configuration("Assessment \(id) has no stored \(scale) score") }
            return s
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let dateText = try row.decode(column: "assessed_on", as: String.self)
            guard let assessedOn = CalendarDate(dateText) else { throw StoreError.configuration("Bad stored date \(dateText)") }
            let gbq = try stored(id, GoodmanBaronQuantitative.id)
            let ecca = try stored(id, ECCA.id)
            let gbl = try stored(id, GoodmanBaronQualitative.id)
            let details = ScarAssessmentDetails(
                assessedOn: assessedOn, blinded: try row.decode(column: "blinded", as: Bool.self),
                notes: try row.decode(column: "notes", as: String?.self), zones: zonesById[id] ?? [],
                hypertrophicAreaCm2: try row.decode(column: "hypertrophic_area_cm2", as: Double.self),
                gbQuantitative: try decoder.decode(GoodmanBaronQuantitative.Input.self, from: gbq.input),
                ecca: try decoder.decode(ECCA.Input.self, from: ecca.input),
                gbQualitative: try decoder.decode(GoodmanBaronQualitative.Answers.self, from: gbl.input))
            let scores = AssessmentScores(
                gbQuantitative: RecordedScore(scaleId: GoodmanBaronQuantitative.id, version: gbq.version, total: gbq.total,
                                              result: try decoder.decode(GoodmanBaronQuantitative.Score.self, from: gbq.result)),
                ecca: RecordedScore(scaleId: ECCA.id, version: ecca.version, total: ecca.total,
                                    result: try decoder.decode(ECCA.Score.self, from: ecca.result)),
                gbQualitative: RecordedScore(scaleId: GoodmanBaronQualitative.id, version: gbl.version, total: gbl.total,
                                             result: try decoder.decode(GoodmanBaronQualitative.Grade.self, from: gbl.result)))
            return ScarAssessment(id: id, clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                                  patientId: try row.decode(column: "patient_id", as: UUID.self),
                                  raterId: try row.decode(column: "rater_id", as: UUID.self),
                                  raterName: try row.decode(column: "rater_name", as: String.self),
                                  createdAt: try row.decode(column: "created_at", as: Date.self), details: details, scores: scores)
        }
    }
}
