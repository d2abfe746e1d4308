import Foundation
import ScarCore
import SQLKit

/// Adverse events: recorded from the chart, a phone call or later; updated (outcome,
/// resolution) with optimistic concurrency; listed open for follow-up.
public struct AdverseEventRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct Record: Sendable, Equatable {
        public var id: UUID
        public var patientId: UUID
        public var patientName: String
        public var details: AdverseEventDetails
        public var reportedBy: String
        public var createdAt: Date
        public var version: Int
        public var isOpen: Bool { details.outcome == .ongoing || details.outcome == .unknown }
    }

    /// A follow-up note as read back: when, by whom, what.
    public struct FollowUpNote: Sendable, Equatable {
        public var at: Date
        public var author: String
        public var text: String
    }


    static let columns = """
        e.*, p.given_name, p.family_name, s.display_name AS reporter
        """
    static let from = "FROM adverse_events e JOIN patients p ON p.id = e.patient_id JOIN staff_users s ON s.id = e.reported_by"

    static func record(_ row: any SQLRow) throws -> Record {
        func date(_ c: String) throws -> CalendarDate? { try row.decode(column: c, as: String?.self).flatMap(CalendarDate.init) }
        let details = AdverseEventDetails(
            term: try row.decode(column: "term", as: String.self), onsetOn: try date("onset_on") ?? CalendarDate.earliest,
            grade: CTCAEGrade(rawValue: try row.decode(column: "grade", as: Int.self)) ?? .mild, serious: try row.decode(column: "serious", as: Bool.self),
            relatedness: Relatedness(rawValue: try row.decode(column: "relatedness", as: String.self)) ?? .possible,
            actionTaken: try row.decode(column: "action_taken", as: String?.self),
            outcome: AEOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .unknown, resolvedOn: try date("resolved_on"),
            sessionId: try row.decode(column: "session_id", as: UUID?.self),
            lotIds: try row.decode(column: "lot_ids", as: String.self).split(separator: ",").compactMap { UUID(uuidString: String($0)) },
            products: try row.decode(column: "products", as: String?.self), durationHours: try row.decode(column: "duration_hours", as: Double?.self),
            notes: try row.decode(column: "notes", as: String?.self))
        return Record(id: try row.decode(column: "id", as: UUID.self), patientId: try row.decode(column: "patient_id", as: UUID.self),
                      patientName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                      details: details, reportedBy: try row.decode(column: "reporter", as: String.self),
                      createdAt: try row.decode(column: "created_at", as: Date.self), version: try row.decode(column: "version", as: Int.self))
    }

    /// Whether a session of this clinic belongs to the patient.
    static func sessionBelongs(_ sessionId: UUID, patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS x FROM treatment_sessions WHERE id = \(bind: sessionId) AND clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
            """).first() != nil
    }

    static func lotExists(_ lotId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM consumable_lots WHERE id = \(bind: lotId) AND clinic_id = \(bind: clinicId)").first() != nil
    }

    /// Stores a new event (version 1).
    static func insert(_ d: AdverseEventDetails, id: UUID, patientId: UUID, clinicId: UUID, reporterId: UUID, now: Date,
                       on sql: any SQLDatabase) async throws {
        let at = now.wholeMilliseconds
        try await sql.raw("""
            INSERT INTO adverse_events (id, clinic_id, patient_id, session_id, term, onset_on, grade, serious, relatedness, action_taken, outcome,
                                        resolved_on, lot_ids, products, duration_hours, notes, reported_by, created_at, updated_at, version)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: d.sessionId), \(bind: d.term), \(bind: d.onsetOn.description),
                    \(bind: d.grade.rawValue), \(bind: d.serious), \(bind: d.relatedness.rawValue), \(bind: d.actionTaken), \(bind: d.outcome.rawValue),
                    \(bind: d.resolvedOn?.description), \(bind: d.lotIds.map { $0.lower }.joined(separator: ",")),
                    \(bind: d.products), \(bind: d.durationHours), \(bind: d.notes), \(bind: reporterId), \(bind: at), \(bind: at), 1)
            """).run()
    }

    /// One event of this clinic.
    static func load(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Record {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE e.id = \(bind: id) AND e.clinic_id = \(bind: clinicId)").first()
        else { throw StoreError.notFound }
        return try Self.record(row)
    }

    /// Stores the changed follow-up fields of `before` (version-checked) and returns the event as stored.
    static func write(_ d: AdverseEventDetails, of before: Record, clinicId: UUID, now: Date, on sql: any SQLDatabase) async throws -> Record {
        let at = now.wholeMilliseconds
        try await sql.raw("""
            UPDATE adverse_events SET grade = \(bind: d.grade.rawValue), serious = \(bind: d.serious), relatedness = \(bind: d.relatedness.rawValue),
                action_taken = \(bind: d.actionTaken), outcome = \(bind: d.outcome.rawValue), resolved_on = \(bind: d.resolvedOn?.description),
                notes = \(bind: d.notes), session_id = \(bind: d.sessionId), updated_at = \(bind: at), version = \(bind: before.version + 1)
            WHERE id = \(bind: before.id) AND clinic_id = \(bind: clinicId) AND version = \(bind: before.version)
            """).run()
        var after = before
        after.details = d
        after.version += 1
        return after
    }

    /// Adds a follow-up note to an event of this clinic.
    static func insertNote(_ text: String, eventId: UUID, clinicId: UUID, authorId: UUID, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO adverse_event_notes (id, clinic_id, adverse_event_id, author_id, body, created_at)
            VALUES (\(bind: UUID()), \(bind: clinicId), \(bind: eventId), \(bind: authorId), \(bind: text), \(bind: now.wholeMilliseconds))
            """).run()
    }

    /// An event's follow-up notes, oldest first.
    static func notes(eventId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [FollowUpNote] {
        try await sql.raw("""
            SELECT n.body, n.created_at, s.display_name FROM adverse_event_notes n JOIN staff_users s ON s.id = n.author_id
            WHERE n.clinic_id = \(bind: clinicId) AND n.adverse_event_id = \(bind: eventId) ORDER BY n.created_at, n.id
            """).all().map { row in
            FollowUpNote(at: try row.decode(column: "created_at", as: Date.self), author: try row.decode(column: "display_name", as: String.self),
                         text: try row.decode(column: "body", as: String.self))
        }
    }

    /// One event with its follow-up notes, for its page. Audited (`adverse-event.read`).
    public func detail(id: UUID, clinicId: UUID, by actor: AuditActor) async throws -> (event: Record, notes: [FollowUpNote]) {
        let engine = db.engine
        return try await db.write { sql in
            let event = try await Self.load(id: id, clinicId: clinicId, on: sql)
            let notes = try await Self.notes(eventId: id, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "adverse-event.read", recordType: "adverse_event", recordId: id.uuidString,
                                                   patientId: event.patientId), by: actor, engine: engine, on: sql)
            return (event: event, notes: notes)
        }
    }

    /// Records an event outside a use case: the synthetic demo courses (`SyntheticCourses`, in
    /// this module, below ScarClinic) only. The product records through ScarClinic's
    /// `RecordAdverseEvent`, which does the same steps and audits the same `adverse-event.create`.
    public func record(_ d: AdverseEventDetails, patientId: UUID, clinicId: UUID, reporterId: UUID, by actor: AuditActor,
                       now: Date = Date()) async throws -> Record {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            if let s = d.sessionId, !(try await Self.sessionBelongs(s, patientId: patientId, clinicId: clinicId, on: sql)) { throw StoreError.notFound }
            for lot in d.lotIds {
                if !(try await Self.lotExists(lot, clinicId: clinicId, on: sql)) { throw StoreError.notFound }
            }
            let id = UUID()
            try await Self.insert(d, id: id, patientId: patientId, clinicId: clinicId, reporterId: reporterId, now: now, on: sql)
            try await AuditTrail.append(AuditEvent(action: "adverse-event.create", recordType: "adverse_event", recordId: id.uuidString,
                                                   patientId: patientId, details: ["term": d.term, "grade": String(d.grade.rawValue)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return try await Self.load(id: id, clinicId: clinicId, on: sql)
        }
    }

    /// Events of one patient, or the clinic's open events (ongoing or unknown outcome). Audited.
    public func list(patientId: UUID?, openOnly: Bool, clinicId: UUID, by actor: AuditActor) async throws -> [Record] {
        let engine = db.engine
        return try await db.write { sql in
            var patientFilter: SQLQueryString = ""
            if let patientId {
                // Another clinic's patient is not found (and is never named in this clinic's audit trail).
                try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
                patientFilter = "AND e.patient_id = \(bind: patientId)"
            }
            var openFilter: SQLQueryString = ""
            if openOnly { openFilter = "AND e.outcome IN ('ongoing', 'unknown')" }
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE e.clinic_id = \(bind: clinicId) \(patientFilter) \(openFilter)
                ORDER BY e.serious DESC, e.onset_on DESC, e.created_at DESC
                """).all().map(Self.record)
            try await AuditTrail.append(AuditEvent(action: "adverse-event.list", recordType: "adverse_event", patientId: patientId,
                                                   details: ["results": String(rows.count), "open": String(openOnly)]),
                                        by: actor, engine: engine, on: sql)
            return rows
        }
    }

    /// A patient's adverse events, serious first, then newest onset; not audited here.
    static func records(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [Record] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.from) WHERE e.clinic_id = \(bind: clinicId) AND e.patient_id = \(bind: patientId)
            ORDER BY e.serious DESC, e.onset_on DESC, e.created_at DESC
            """).all().map(Self.record)
    }

    /// Which of these patients have a serious adverse event on record, for the flag on the day
    /// view (the list it decorates is audited as the appointment list).
    public func patientsWithSeriousEvents(among patientIds: [UUID], clinicId: UUID) async throws -> Set<UUID> {
        guard !patientIds.isEmpty else { return [] }
        return try await db.read { sql in
            let ids = SQLList(Array(Set(patientIds)).map { SQLBind($0) })
            return Set(try await sql.raw("""
                SELECT DISTINCT patient_id FROM adverse_events
                WHERE clinic_id = \(bind: clinicId) AND serious = \(bind: true) AND patient_id IN (\(ids))
                """).all().map { try $0.decode(column: "patient_id", as: UUID.self) })
        }
    }
}
