import Foundation
import ScarCore
import SQLKit

/// Intakes, screenings, acknowledgements and the clinic's rule set. Intakes are append-only:
/// a new intake never overwrites an old one. Decisions are computed in ScarCore; this only
/// stores and reads them, each access audited in its own transaction.
public struct IntakeRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct IntakeRecord: Sendable, Equatable {
        public var id: UUID
        public var patientId: UUID
        public var recordedOn: CalendarDate
        public var recordedAt: Date
        public var recordedBy: String
        public var intake: Intake
    }

    /// What a screening needs, read together: the latest intake and its acknowledgements.
    public struct ScreeningInputs: Sendable {
        public var intake: IntakeRecord?
        public var acknowledgements: [ScreeningAcknowledgement]
        public var ruleSet: RuleSet
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }


    public func record(_ intake: Intake, patientId: UUID, clinicId: UUID, recordedOn: CalendarDate, by actor: AuditActor,
                       now: Date = Date()) async throws -> IntakeRecord {
        let engine = db.engine
        return try await db.write { sql in
            // Locked: approving a plan and signing a session decide from the latest intake.
            try await PatientScope.lock(patientId, clinicId: clinicId, engine: engine, on: sql)
            let record = try await Self.insert(intake, patientId: patientId, clinicId: clinicId, recordedOn: recordedOn, by: actor,
                                               now: now, on: sql)
            try await AuditTrail.append(AuditEvent(action: "intake.create", recordType: "intake", recordId: record.id.uuidString,
                                                   patientId: patientId), by: actor, engine: engine, on: sql, now: now)
            return record
        }
    }

    /// Stores an intake recorded by `actor`; not audited here (the caller has checked the patient).
    static func insert(_ intake: Intake, patientId: UUID, clinicId: UUID, recordedOn: CalendarDate, by actor: AuditActor, now: Date,
                       on sql: any SQLDatabase) async throws -> IntakeRecord {
        let data = try Self.json(intake)
        let record = IntakeRecord(id: UUID(), patientId: patientId, recordedOn: recordedOn, recordedAt: now,
                                  recordedBy: actor.label, intake: intake)
        try await sql.raw("""
            INSERT INTO intakes (id, clinic_id, patient_id, recorded_on, recorded_at, recorded_by, fitzpatrick, data)
            VALUES (\(bind: record.id), \(bind: clinicId), \(bind: patientId), \(bind: recordedOn.description), \(bind: now),
                    \(bind: actor.userId), \(bind: intake.fitzpatrick?.rawValue), \(bind: data))
            """).run()
        try await AnalyticsFacts.patientChanged(patientId, on: sql)
        return record
    }

    static func intakeRows(patientId: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [IntakeRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: intakeColumns) FROM intakes i LEFT JOIN staff_users u ON u.id = i.recorded_by
            WHERE i.patient_id = \(bind: patientId) ORDER BY i.recorded_at DESC, i.id LIMIT \(bind: limit)
            """).all().map(Self.intakeRecord)
    }

    /// Each patient's latest intake (as `intakeRows(limit: 1)` chooses it), read at once.
    static func latestIntakes(patientIds: [UUID], on sql: any SQLDatabase) async throws -> [UUID: IntakeRecord] {
        guard !patientIds.isEmpty else { return [:] }
        var latest: [UUID: IntakeRecord] = [:]
        for record in try await sql.raw("""
            SELECT \(unsafeRaw: intakeColumns) FROM intakes i LEFT JOIN staff_users u ON u.id = i.recorded_by
            WHERE i.patient_id IN (\(binds: patientIds)) ORDER BY i.recorded_at DESC, i.id
            """).all().map(Self.intakeRecord) where latest[record.patientId] == nil {
            latest[record.patientId] = record
        }
        return latest
    }

    static let intakeColumns = """
        i.id, i.patient_id, i.recorded_on, i.recorded_at, i.data,
        COALESCE(u.email, CASE WHEN i.entered_via = 'portal' THEN 'the patient (portal)' ELSE 'unknown' END) AS recorded_by
        """

    static func intakeRecord(_ row: any SQLRow) throws -> IntakeRecord {
        let data = try row.decode(column: "data", as: String.self)
        let intake = try JSONDecoder().decode(Intake.self, from: Data(data.utf8))
        let recordedOn = try row.decode(column: "recorded_on", as: String.self)
        return IntakeRecord(id: try row.decode(column: "id", as: UUID.self), patientId: try row.decode(column: "patient_id", as: UUID.self),
                            recordedOn: CalendarDate(recordedOn) ?? .earliest,
                            recordedAt: try row.decode(column: "recorded_at", as: Date.self),
                            recordedBy: try row.decode(column: "recorded_by", as: String.self), intake: intake)
    }

    /// The latest intake, its acknowledgements and the clinic's rule set, audited as a read.
    public func screeningInputs(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> ScreeningInputs {
        let engine = db.engine
        return try await db.write { sql in
            let inputs = try await Self.screeningInputs(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "screening.read", recordType: "intake", recordId: inputs.intake?.id.uuidString,
                                                   patientId: patientId), by: actor, engine: engine, on: sql)
            return inputs
        }
    }

    static func screeningInputs(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> ScreeningInputs {
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let latest = try await Self.intakeRows(patientId: patientId, limit: 1, on: sql).first
            var acknowledgements: [ScreeningAcknowledgement] = []
            if let latest { acknowledgements = try await Self.acknowledgements(intakeId: latest.id, on: sql) }
            let ruleSet = try await Self.ruleSet(clinicId: clinicId, on: sql)
            return ScreeningInputs(intake: latest, acknowledgements: acknowledgements, ruleSet: ruleSet)
    }

    /// The acknowledgements recorded against one intake, oldest first.
    static func acknowledgements(intakeId: UUID, on sql: any SQLDatabase) async throws -> [ScreeningAcknowledgement] {
        try await acknowledgements(intakeIds: [intakeId], on: sql)[intakeId] ?? []
    }

    /// The acknowledgements recorded against each intake, oldest first.
    static func acknowledgements(intakeIds: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [ScreeningAcknowledgement]] {
        guard !intakeIds.isEmpty else { return [:] }
        var out: [UUID: [ScreeningAcknowledgement]] = [:]
        for row in try await sql.raw("""
            SELECT intake_id, rule, modality, reason, acknowledged_by_label, acknowledged_at FROM screening_acknowledgements
            WHERE intake_id IN (\(binds: intakeIds)) ORDER BY acknowledged_at
            """).all() {
            guard let modality = Modality(rawValue: try row.decode(column: "modality", as: String.self)) else { continue }
            out[try row.decode(column: "intake_id", as: UUID.self), default: []].append(
                ScreeningAcknowledgement(rule: try row.decode(column: "rule", as: String.self), modality: modality,
                                         reason: try row.decode(column: "reason", as: String.self),
                                         acknowledgedBy: try row.decode(column: "acknowledged_by_label", as: String.self),
                                         acknowledgedAt: try row.decode(column: "acknowledged_at", as: Date.self)))
        }
        return out
    }

    /// Stores screening results computed from an intake; a result already stored for the same
    /// intake, modality, day and rule-set version is kept as it is.
    public func store(_ results: [ScreeningResult], intakeId: UUID, patientId: UUID, clinicId: UUID, by actor: AuditActor,
                      now: Date = Date()) async throws {
        let engine = db.engine
        try await db.write { sql in
            for (result, id) in try await Self.insert(results, intakeId: intakeId, patientId: patientId, clinicId: clinicId, now: now, on: sql) {
                try await AuditTrail.append(
                    AuditEvent(action: "screening.create", recordType: "screening", recordId: id.uuidString, patientId: patientId,
                               details: ["modality": result.modality.rawValue, "outcome": result.outcome.rawValue,
                                         "ruleSetVersion": result.ruleSetVersion]),
                    by: actor, engine: engine, on: sql, now: now)
            }
        }
    }

    /// Stores the results not stored yet; returns those inserted with their ids. Not audited here.
    static func insert(_ results: [ScreeningResult], intakeId: UUID, patientId: UUID, clinicId: UUID, now: Date,
                       on sql: any SQLDatabase) async throws -> [(ScreeningResult, UUID)] {
        guard !results.isEmpty else { return [] }
        // One multi-row statement: a page view that screens every modality costs one round trip.
        let values = try results.map { result -> SQLQueryString in
            let json = try Self.json(result)
            return """
                (\(bind: UUID()), \(bind: clinicId), \(bind: patientId), \(bind: intakeId), \(bind: result.modality.rawValue),
                 \(bind: result.asOf.description), \(bind: result.outcome.rawValue), \(bind: result.deferUntil?.description),
                 \(bind: result.ruleSetVersion), \(bind: json), \(bind: now))
                """
        }
        let rows = try await sql.raw("""
            INSERT INTO screenings (id, clinic_id, patient_id, intake_id, modality, as_of, outcome, defer_until,
                                    rule_set_version, result, screened_at)
            VALUES \(values.joined(separator: ", "))
            ON CONFLICT (intake_id, modality, as_of, rule_set_version) DO NOTHING
            RETURNING id, modality
            """).all()
        var ids: [String: UUID] = [:]
        for row in rows { ids[try row.decode(column: "modality", as: String.self)] = try row.decode(column: "id", as: UUID.self) }
        return results.compactMap { result in ids[result.modality.rawValue].map { (result, $0) } }
    }

    /// Records that a practitioner considered an `acknowledge` finding. Throws `duplicate`
    /// when it was already acknowledged for this intake.
    public func acknowledge(_ ack: ScreeningAcknowledgement, intakeId: UUID, patientId: UUID, clinicId: UUID,
                            by actor: AuditActor) async throws {
        let engine = db.engine
        try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            try await Self.insert(ack, intakeId: intakeId, patientId: patientId, clinicId: clinicId, by: actor, on: sql)
            try await AuditTrail.append(Self.acknowledgementEvent(ack, intakeId: intakeId, patientId: patientId), by: actor, engine: engine, on: sql)
        }
    }

    public static func acknowledgementEvent(_ ack: ScreeningAcknowledgement, intakeId: UUID, patientId: UUID) -> AuditEvent {
        AuditEvent(action: "screening.acknowledge", recordType: "intake", recordId: intakeId.uuidString, patientId: patientId,
                   details: ["rule": ack.rule, "modality": ack.modality.rawValue])
    }

    /// Stores an acknowledgement of the patient's intake (not found when the intake is not theirs); not audited here.
    static func insert(_ ack: ScreeningAcknowledgement, intakeId: UUID, patientId: UUID, clinicId: UUID, by actor: AuditActor,
                       on sql: any SQLDatabase) async throws {
        guard try await sql.raw("SELECT 1 AS x FROM intakes WHERE id = \(bind: intakeId) AND patient_id = \(bind: patientId)").first() != nil
        else { throw StoreError.notFound }
        try await sql.raw("""
            INSERT INTO screening_acknowledgements (id, clinic_id, patient_id, intake_id, rule, modality, reason, acknowledged_by,
                                                    acknowledged_by_label, acknowledged_at)
            VALUES (\(bind: UUID()), \(bind: clinicId), \(bind: patientId), \(bind: intakeId), \(bind: ack.rule),
                    \(bind: ack.modality.rawValue), \(bind: ack.reason), \(bind: actor.userId), \(bind: ack.acknowledgedBy),
                    \(bind: ack.acknowledgedAt))
            """).run()
    }

    // MARK: Rule sets

    static func ruleSet(clinicId: UUID, on sql: any SQLDatabase) async throws -> RuleSet {
        guard let row = try await sql.raw("""
            SELECT rules FROM rule_sets WHERE clinic_id = \(bind: clinicId) ORDER BY created_at DESC, version DESC LIMIT 1
            """).first() else { return .default }
        return try JSONDecoder().decode(RuleSet.self, from: Data(try row.decode(column: "rules", as: String.self).utf8))
    }

    /// The rule set the clinic screens with now: its latest adjusted version, or the default.
    public func ruleSet(clinicId: UUID) async throws -> RuleSet {
        try await db.read { sql in try await Self.ruleSet(clinicId: clinicId, on: sql) }
    }

    /// Stores a clinic's adjusted rule set as a new version; the change is audited with the
    /// rule that changed. Old screenings keep the version they were computed with.
    public func saveRuleSet(_ ruleSet: RuleSet, clinicId: UUID, changedRule: String, by actor: AuditActor,
                            now: Date = Date()) async throws {
        let engine = db.engine
        let json = try Self.json(ruleSet)
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO rule_sets (clinic_id, version, rules, created_at, created_by)
                VALUES (\(bind: clinicId), \(bind: ruleSet.version), \(bind: json), \(bind: now), \(bind: actor.userId))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "rule-set.change", recordType: "rule-set", recordId: ruleSet.version,
                                                   details: ["rule": changedRule]), by: actor, engine: engine, on: sql, now: now)
        }
    }

    /// How many adjusted versions the clinic has saved (to name the next one).
    public func ruleSetCount(clinicId: UUID) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM rule_sets WHERE clinic_id = \(bind: clinicId)").first()!.decode(column: "n", as: Int.self)
        }
    }
}
