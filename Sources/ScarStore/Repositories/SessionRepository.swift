import Foundation
import ScarCore
import SQLKit

/// Refusals specific to session charting, turned into 409 answers by the server.
public enum ChartingStoreError: Error, Sendable, Equatable {
    /// The session is signed: it can no longer be edited, only amended.
    case signed
    /// The session is still a draft: amendments apply to signed sessions only.
    case notSigned
}

/// A session as stored: the chart as signed (never changed) plus its amendments.
public struct SessionRecord: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case draft, signed }

    public struct Amendment: Sendable, Equatable, Codable {
        public var id: UUID
        public var authorId: UUID
        public var authorName: String
        public var at: Date
        public var reason: String
        public var changedFields: [String]
        public var before: SessionChart
        public var after: SessionChart
    }

    public var id: UUID
    public var clinicId: UUID
    public var patientId: UUID
    public var status: Status
    /// The chart as saved (and, once signed, as signed).
    public var chart: SessionChart
    public var warnings: [ChartWarning]
    public var appointmentId: UUID?
    public var planVersionId: UUID?
    public var practitionerId: UUID
    public var practitionerName: String
    public var consentId: UUID?
    public var checklist: PreSessionChecklist.Result?
    public var postcareVersion: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var signedAt: Date?
    public var signedByName: String?
    /// Who signed (the Provenance agent of the signing).
    public var signedById: UUID?
    public var version: Int
    public var amendments: [Amendment]

    /// The chart with every amendment applied (the last amendment's result).
    public var currentChart: SessionChart { amendments.last?.after ?? chart }
}

/// One session that used a lot or a device: the recall answer.
public struct RecallRow: Sendable, Equatable {
    public var sessionId: UUID
    public var patientId: UUID
    public var patientName: String
    public var mrn: String
    public var performedOn: String
    public var status: String
    public var practitioner: String
    public var deviceModel: String
    public var deviceSerial: String
    public var lotNumber: String?
    public var product: String?
    public var role: String?
}

public struct SessionRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
    static func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }

    /// The devices and lots a chart may name, with the clinic's settings: what ScarCore checks against.
    public func limits(clinicId: UUID, today: CalendarDate) async throws -> (SessionChart.Limits, ChartingSettings) {
        try await db.read { sql in try await Self.limits(clinicId: clinicId, today: today, on: sql) }
    }

    static func limits(clinicId: UUID, today: CalendarDate, on sql: any SQLDatabase) async throws -> (SessionChart.Limits, ChartingSettings) {
            let devices = try await sql.raw("SELECT \(unsafeRaw: DeviceLotRepository.deviceColumns) FROM devices WHERE clinic_id = \(bind: clinicId)")
                .all().map(DeviceLotRepository.device)
            let lots = try await sql.raw("SELECT \(unsafeRaw: DeviceLotRepository.lotColumns) FROM consumable_lots WHERE clinic_id = \(bind: clinicId)")
                .all().map(DeviceLotRepository.lot)
            let settings = try await DeviceLotRepository.settings(clinicId: clinicId, on: sql)
            return (SessionChart.Limits(devices: Dictionary(uniqueKeysWithValues: devices.map { ($0.id, $0) }),
                                        lots: Dictionary(uniqueKeysWithValues: lots.map { ($0.id, $0) }),
                                        clinicMaxDepthMm: settings.maxDepthMm, today: today), settings)
    }

    static func writeLots(_ chart: SessionChart, sessionId: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM session_lots WHERE session_id = \(bind: sessionId)").run()
        var seen = Set<String>()
        for (role, id) in chart.lotIds where seen.insert("\(role)/\(id)").inserted {
            try await sql.raw("INSERT INTO session_lots (session_id, lot_id, role) VALUES (\(bind: sessionId), \(bind: id), \(bind: role))").run()
        }
    }

    /// Signs a draft inside the signing use case's transaction (`UnitOfWork.signSession`): stores
    /// the checklist that passed, the consent it relied on, the post-care version given and the
    /// approved plan version the session followed; completes the linked appointment, moving the
    /// rest of its series when the session was done on another day (`ScheduleRepository.complete`).
    /// From then on the row is immutable.
    static func sign(id: UUID, clinicId: UUID, expectedVersion: Int, checklist: PreSessionChecklist.Result, consentId: UUID,
                     postcareVersion: String, planVersionId: UUID?, signerId: UUID, edited: [String], by actor: AuditActor, engine: Engine,
                     on sql: any SQLDatabase, now: Date) async throws -> ScheduleRepository.Completion? {
        let at = now.wholeMilliseconds
        guard let row = try await sql.raw("""
            SELECT status, version, patient_id, appointment_id, performed_on FROM treatment_sessions
            WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)
            """).first()
        else { throw StoreError.notFound }
        guard try row.decode(column: "status", as: String.self) == "draft" else { throw ChartingStoreError.signed }
        let version = try row.decode(column: "version", as: Int.self)
        guard version == expectedVersion else { throw StoreError.versionConflict(current: version) }
        if let planVersionId {
            try await sql.raw("""
                UPDATE treatment_sessions SET plan_version_id = \(bind: planVersionId)
                WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId) AND status = 'draft'
                """).run()
        }
        try await sql.raw("""
            UPDATE treatment_sessions SET status = 'signed', checklist = \(bind: try Self.json(checklist)), consent_id = \(bind: consentId),
                postcare_version = \(bind: postcareVersion),
                signed_at = \(bind: at), signed_by = \(bind: signerId), updated_at = \(bind: at), version = \(bind: version + 1)
            WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId) AND version = \(bind: version) AND status = 'draft'
            """).run()
        try await AnalyticsFacts.sessionChanged(id, on: sql)
        var completion: ScheduleRepository.Completion?
        if let appointmentId = try row.decode(column: "appointment_id", as: UUID?.self),
           let performedOn = CalendarDate(try row.decode(column: "performed_on", as: String.self)) {
            completion = try await ScheduleRepository.complete(appointmentId: appointmentId, sessionId: id, performedOn: performedOn,
                                                               clinicId: clinicId, engine: engine, on: sql, now: now)
        }
        // One entry for the whole intent: what was signed, which chart fields were saved with the
        // signature, on which plan and sheet, and what the completed appointment moved.
        var details = ["postcare": postcareVersion]
        if !edited.isEmpty { details["fields"] = edited.joined(separator: ",") }
        if let planVersionId { details["planVersionId"] = planVersionId.lower }
        if let completion {
            details["appointmentId"] = completion.appointmentId.lower
            details["moved"] = String(completion.moved.count)
            if let note = completion.note { details["note"] = note }
        }
        try await AuditTrail.append(AuditEvent(action: "session.sign", recordType: "session", recordId: id.uuidString,
                                               patientId: try row.decode(column: "patient_id", as: UUID.self), details: details),
                                    by: actor, engine: engine, on: sql, now: now)
        return completion
    }

    static let sessionColumns = """
        t.id, t.clinic_id, t.patient_id, t.status, t.chart, t.warnings, t.appointment_id, t.plan_version_id, t.practitioner_id,
        p.display_name AS practitioner_name, t.consent_id, t.checklist, t.postcare_version, t.created_at, t.updated_at, t.signed_at,
        s.display_name AS signer_name, t.signed_by, t.version
        """

    static func record(_ row: any SQLRow, amendments: [SessionRecord.Amendment]) throws -> SessionRecord {
        func decode<T: Decodable>(_ t: T.Type, _ column: String) throws -> T {
            try decoder.decode(T.self, from: Data(try row.decode(column: column, as: String.self).utf8))
        }
        return SessionRecord(
            id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
            patientId: try row.decode(column: "patient_id", as: UUID.self),
            status: SessionRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            chart: try decode(SessionChart.self, "chart"), warnings: try decode([ChartWarning].self, "warnings"),
            appointmentId: try row.decode(column: "appointment_id", as: UUID?.self),
            planVersionId: try row.decode(column: "plan_version_id", as: UUID?.self),
            practitionerId: try row.decode(column: "practitioner_id", as: UUID.self),
            practitionerName: try row.decode(column: "practitioner_name", as: String.self),
            consentId: try row.decode(column: "consent_id", as: UUID?.self),
            checklist: try row.decode(column: "checklist", as: String?.self).map { try decoder.decode(PreSessionChecklist.Result.self, from: Data($0.utf8)) },
            postcareVersion: try row.decode(column: "postcare_version", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
            signedAt: try row.decode(column: "signed_at", as: Date?.self), signedByName: try row.decode(column: "signer_name", as: String?.self),
            signedById: try row.decode(column: "signed_by", as: UUID?.self),
            version: try row.decode(column: "version", as: Int.self), amendments: amendments)
    }

    static func amendments(sessionId: UUID, on sql: any SQLDatabase) async throws -> [SessionRecord.Amendment] {
        try await amendments(sessionIds: [sessionId], on: sql)[sessionId] ?? []
    }

    /// SQL for a session's current chart: the last amendment's `after_json` (amendments ordered
    /// by `at`, then `id`, as `amendments(sessionIds:on:)` reads them), else the chart as signed.
    /// The same definition as `SessionRecord.currentChart`, for aggregates that stay in the database.
    static func currentChartSQL(session alias: String) -> String {
        """
        COALESCE((SELECT am.after_json FROM session_amendments am WHERE am.session_id = \(alias).id
                  ORDER BY am.at DESC, am.id DESC LIMIT 1), \(alias).chart)
        """
    }

    /// The amendments of several sessions in one query, oldest first per session.
    static func amendments(sessionIds: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [SessionRecord.Amendment]] {
        guard !sessionIds.isEmpty else { return [:] }
        let ids = SQLList(sessionIds.map { SQLBind($0) })
        var out: [UUID: [SessionRecord.Amendment]] = [:]
        for row in try await sql.raw("""
            SELECT a.*, s.display_name AS author_name FROM session_amendments a JOIN staff_users s ON s.id = a.author_id
            WHERE a.session_id IN (\(ids)) ORDER BY a.at, a.id
            """).all() {
            out[try row.decode(column: "session_id", as: UUID.self), default: []].append(SessionRecord.Amendment(
                id: try row.decode(column: "id", as: UUID.self), authorId: try row.decode(column: "author_id", as: UUID.self),
                authorName: try row.decode(column: "author_name", as: String.self), at: try row.decode(column: "at", as: Date.self),
                reason: try row.decode(column: "reason", as: String.self),
                changedFields: try row.decode(column: "changed_fields", as: String.self).split(separator: ",").map(String.init),
                before: try decoder.decode(SessionChart.self, from: Data(try row.decode(column: "before_json", as: String.self).utf8)),
                after: try decoder.decode(SessionChart.self, from: Data(try row.decode(column: "after_json", as: String.self).utf8))))
        }
        return out
    }

    /// One session with its amendments; audited as a read when `actor` is given.
    static func load(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> SessionRecord {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: Self.sessionColumns) FROM treatment_sessions t JOIN staff_users p ON p.id = t.practitioner_id
            LEFT JOIN staff_users s ON s.id = t.signed_by WHERE t.id = \(bind: id) AND t.clinic_id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        return try Self.record(row, amendments: try await Self.amendments(sessionId: id, on: sql))
    }

    public func find(id: UUID, clinicId: UUID, by actor: AuditActor?) async throws -> SessionRecord {
        let engine = db.engine
        @Sendable func load(_ sql: any SQLDatabase) async throws -> SessionRecord {
            try await Self.load(id: id, clinicId: clinicId, on: sql)
        }
        // Without an actor nothing is written: a plain read, no write lock.
        guard let actor else { return try await db.read(load) }
        return try await db.write { sql in
            let record = try await load(sql)
            try await AuditTrail.append(AuditEvent(action: "session.read", recordType: "session", recordId: id.uuidString, patientId: record.patientId),
                                        by: actor, engine: engine, on: sql)
            return record
        }
    }

    /// The patient's sessions, newest first.
    public func list(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> [SessionRecord] {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: Self.sessionColumns) FROM treatment_sessions t JOIN staff_users p ON p.id = t.practitioner_id
                LEFT JOIN staff_users s ON s.id = t.signed_by WHERE t.clinic_id = \(bind: clinicId) AND t.patient_id = \(bind: patientId)
                ORDER BY t.performed_on DESC, t.created_at DESC
                """).all()
            let amendments = try await Self.amendments(sessionIds: try rows.map { try $0.decode(column: "id", as: UUID.self) }, on: sql)
            let records = try rows.map { row in try Self.record(row, amendments: amendments[try row.decode(column: "id", as: UUID.self)] ?? []) }
            try await AuditTrail.append(AuditEvent(action: "session.list", recordType: "session", patientId: patientId,
                                                   details: ["results": String(records.count)]),
                                        by: actor, engine: engine, on: sql)
            return records
        }
    }

    /// Which sessions used a lot (by lot number) or a device (by serial number): patient, day,
    /// practitioner. Audited with the count, since it lists patients.
    public func recall(lotNumber: String?, serialNumber: String?, clinicId: UUID, by actor: AuditActor) async throws -> [RecallRow] {
        let engine = db.engine
        return try await db.write { sql in
            let select = """
                SELECT t.id AS session_id, t.patient_id, pt.given_name, pt.family_name, pt.mrn, t.performed_on, t.status,
                       st.display_name AS practitioner, d.model, d.serial_number
                """
            var rows: [RecallRow] = []
            func base(_ row: any SQLRow) throws -> RecallRow {
                RecallRow(sessionId: try row.decode(column: "session_id", as: UUID.self), patientId: try row.decode(column: "patient_id", as: UUID.self),
                          patientName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                          mrn: try row.decode(column: "mrn", as: String.self), performedOn: try row.decode(column: "performed_on", as: String.self),
                          status: try row.decode(column: "status", as: String.self), practitioner: try row.decode(column: "practitioner", as: String.self),
                          deviceModel: try row.decode(column: "model", as: String.self), deviceSerial: try row.decode(column: "serial_number", as: String.self),
                          lotNumber: nil, product: nil, role: nil)
            }
            if let lotNumber {
                for row in try await sql.raw("""
                    \(unsafeRaw: select), l.lot_number, l.product, sl.role
                    FROM session_lots sl JOIN consumable_lots l ON l.id = sl.lot_id JOIN treatment_sessions t ON t.id = sl.session_id
                    JOIN patients pt ON pt.id = t.patient_id JOIN staff_users st ON st.id = t.practitioner_id JOIN devices d ON d.id = t.device_id
                    WHERE l.clinic_id = \(bind: clinicId) AND t.clinic_id = \(bind: clinicId) AND l.lot_number = \(bind: lotNumber)
                    ORDER BY t.performed_on, pt.family_name, t.id
                    """).all() {
                    var r = try base(row)
                    r.lotNumber = try row.decode(column: "lot_number", as: String.self)
                    r.product = try row.decode(column: "product", as: String.self)
                    r.role = try row.decode(column: "role", as: String.self)
                    rows.append(r)
                }
            }
            if let serialNumber {
                for row in try await sql.raw("""
                    \(unsafeRaw: select)
                    FROM treatment_sessions t JOIN devices d ON d.id = t.device_id JOIN patients pt ON pt.id = t.patient_id
                    JOIN staff_users st ON st.id = t.practitioner_id
                    WHERE t.clinic_id = \(bind: clinicId) AND d.serial_number = \(bind: serialNumber)
                    ORDER BY t.performed_on, pt.family_name, t.id
                    """).all() {
                    rows.append(try base(row))
                }
            }
            try await AuditTrail.append(AuditEvent(action: "recall.search", recordType: "session",
                                                   details: ["lot": lotNumber ?? "", "serial": serialNumber ?? "", "results": String(rows.count)]),
                                        by: actor, engine: engine, on: sql)
            return rows
        }
    }
}
