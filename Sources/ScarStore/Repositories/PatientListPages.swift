import Foundation
import ScarCore
import SQLKit

/// Where the next page of one of a patient's lists starts (appointments, photos, assessments;
/// sessions have `SessionCursor`): opaque to clients — base64url of the list's tag and the last
/// record shown, 52 characters like every cursor this server gives — so a cursor of one list is
/// refused by another.
public struct PatientListCursor: Sendable, Equatable {
    public enum List: String, Sendable {
        case appointments = "a1"
        case photos = "p1"
        case assessments = "x1"
        case intakes = "i1"
        case plans = "t1"
        case consents = "c1"
        case adverseEvents = "e1"
        case reportedOutcomes = "o1"
        /// The clinic's adverse events (all patients).
        case clinicAdverseEvents = "e2"
    }

    public var list: List
    public var id: UUID

    public init(_ list: List, id: UUID) { (self.list, self.id) = (list, id) }

    /// The text a client sends back; nil when it is not a cursor of `list` this server issued.
    public init?(text: String, list: List) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 64, let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8),
              decoded.hasPrefix(list.rawValue + ":"), let id = UUID(uuidString: String(decoded.dropFirst(3))) else { return nil }
        (self.list, self.id) = (list, id)
    }

    public var text: String {
        Data("\(list.rawValue):\(id.uuidString.lowercased())".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// One page of a patient's list and where the next starts (nil on the last page).
public struct PatientListPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: PatientListCursor?
    /// The patient's full name (for the page's heading).
    public var patientName = ""

    /// `rows` read with `LIMIT limit + 1`: the extra row only says there is a next page.
    init(_ rows: [Item], limit: Int, list: PatientListCursor.List, id: (Item) -> UUID) {
        items = Array(rows.prefix(limit))
        next = rows.count > limit ? items.last.map { PatientListCursor(list, id: id($0)) } : nil
    }
}

/// Keyset paging (issue 16: every list is paged): each page is read through the list's index after
/// the cursor's record, however deep, in the order the whole list always had; one audit entry per
/// page names what was shown, in the same transaction.
enum PatientListPaging {
    /// The patient's full name, or not found outside the clinic (the scope check of every page).
    static func patientName(_ patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> String {
        guard let row = try await sql.raw("""
            SELECT given_name, family_name FROM patients WHERE id = \(bind: patientId) AND clinic_id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        return "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))"
    }

    /// "After the cursor's row" for an order of `columns` (all DESC, or all ASC when `ascending`) then
    /// id ASC, on `table` aliased `alias`: the keyset condition, so a page is read through the index
    /// however deep it lies.
    static func after(_ cursor: PatientListCursor?, table: String, alias: String = "a", columns: [String], ascending: Bool = false,
                      patientId: UUID) -> SQLQueryString {
        after(cursor, table: table, alias: alias, columns: columns, ascending: ascending, scope: "patient_id", scopeId: patientId)
    }

    /// The same for a clinic-wide list: the cursor's row must be the clinic's.
    static func after(_ cursor: PatientListCursor?, table: String, alias: String, columns: [String], clinicId: UUID) -> SQLQueryString {
        after(cursor, table: table, alias: alias, columns: columns, ascending: false, scope: "clinic_id", scopeId: clinicId)
    }

    private static func after(_ cursor: PatientListCursor?, table: String, alias: String, columns: [String], ascending: Bool,
                              scope: String, scopeId: UUID) -> SQLQueryString {
        guard let cursor else { return "" }
        let beyond = ascending ? ">" : "<"
        func later(_ rest: ArraySlice<String>) -> String {
            guard let column = rest.first else { return "\(alias).id > cur.id" }
            return "\(alias).\(column) \(beyond) cur.\(column) OR (\(alias).\(column) = cur.\(column) AND (\(later(rest.dropFirst()))))"
        }
        return """
            AND EXISTS (SELECT 1 FROM \(unsafeRaw: table) cur WHERE cur.id = \(bind: cursor.id) AND cur.\(unsafeRaw: scope) = \(bind: scopeId)
                AND (\(unsafeRaw: later(columns[...]))))
            """
    }

    /// One page of one of a patient's lists: in one read transaction the scope check (with the
    /// patient's name) and the rows after the cursor — `read` gets `limit + 1` of them, the extra one
    /// only says there is a next page — then one audit entry naming what was shown, answered after
    /// its commit.
    static func page<Item: Sendable>(_ db: ScarDatabase, patientId: UUID?, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                                     list: PatientListCursor.List, action: String, recordType: String, details: [String: String] = [:],
                                     by actor: AuditActor, id: @escaping @Sendable (Item) -> UUID,
                                     read: @escaping @Sendable (any SQLDatabase, SQLQueryString) async throws -> [Item]) async throws -> PatientListPage<Item> {
        let engine = db.engine
        // The page in one read transaction on a reader; only its audit entry goes to the writer.
        let page = try await db.readTransaction { sql in
            // Without a patient the list is the clinic's own (clinic-scoped by its query): no name to show.
            var name: String?
            if let patientId { name = try await patientName(patientId, clinicId: clinicId, on: sql) }
            var page = PatientListPage(try await read(sql, "LIMIT \(bind: limit + 1)"), limit: limit, list: list, id: id)
            page.patientName = name ?? ""
            return page
        }
        return try await db.write { sql in
            let shown = page.items.map(id)
            let listed = ["results": String(shown.count), "page": cursor == nil ? "first" : "later",
                          "shown": shown.map(\.lower).joined(separator: ",")]
            try await AuditTrail.append(AuditEvent(action: action, recordType: recordType, patientId: patientId,
                                                   details: details.merging(listed) { $1 }),
                                        by: actor, engine: engine, on: sql)
            return page
        }
    }
}

extension ScheduleRepository {
    /// One page of the patient's appointments, earliest first (the order of the whole list), audited
    /// as `appointment.list`. Not found when the patient belongs to another clinic.
    public func patientAppointments(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                                    by actor: AuditActor) async throws -> PatientListPage<Appointment> {
        try await PatientListPaging.page(db, patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, list: .appointments,
                                         action: "appointment.list", recordType: "appointment", by: actor, id: \.id) { sql, limit in
            let after: SQLQueryString = cursor.map { c in
                "AND (a.starts_at, a.id) > (SELECT c.starts_at, c.id FROM appointments c WHERE c.id = \(bind: c.id) AND c.patient_id = \(bind: patientId))"
            } ?? ""
            return try await sql.raw("""
                \(unsafeRaw: Self.selectAppointments)
                WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId) \(after) ORDER BY a.starts_at, a.id \(limit)
                """).all().map(Self.decode)
        }
    }
}

extension PhotoRepository {
    /// One page of the patient's photos, newest first, audited as `photo.list`.
    public func list(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                     by actor: AuditActor) async throws -> PatientListPage<Photo> {
        try await PatientListPaging.page(db, patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, list: .photos,
                                         action: "photo.list", recordType: "photo", by: actor, id: \.id) { sql, limit in
            try await Self.newestFirst(patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, on: sql)
        }
    }

    /// The patient's photos after `cursor`, newest first, as many as `limit` says; one statement, not audited here.
    static func newestFirst(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: SQLQueryString,
                            on sql: any SQLDatabase) async throws -> [Photo] {
        let after = PatientListPaging.after(cursor, table: "photos", columns: ["captured_on", "uploaded_at"], patientId: patientId)
        return try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM photos a WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId) \(after)
            ORDER BY a.captured_on DESC, a.uploaded_at DESC, a.id \(limit)
            """).all().map(Self.decode)
    }
}

extension AssessmentRepository {
    /// One page of the patient's assessments, newest first, with their zones and scores (three
    /// statements whatever the page), audited as `assessment.list`.
    public func list(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: Int,
                     by actor: AuditActor) async throws -> PatientListPage<ScarAssessment> {
        try await PatientListPaging.page(db, patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, list: .assessments,
                                         action: "assessment.list", recordType: "scar_assessment", by: actor, id: \.id) { sql, limit in
            try await Self.newestFirst(patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, on: sql)
        }
    }

    /// The patient's assessments after `cursor`, newest first, as many as `limit` says, with their zones
    /// and scores (three statements at most); not audited here.
    static func newestFirst(patientId: UUID, clinicId: UUID, after cursor: PatientListCursor?, limit: SQLQueryString,
                            on sql: any SQLDatabase) async throws -> [ScarAssessment] {
        let after = PatientListPaging.after(cursor, table: "scar_assessments", columns: ["assessed_on", "created_at"], patientId: patientId)
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM scar_assessments a JOIN staff_users s ON s.id = a.rater_id
            WHERE a.clinic_id = \(bind: clinicId) AND a.patient_id = \(bind: patientId) \(after)
            ORDER BY a.assessed_on DESC, a.created_at DESC, a.id \(limit)
            """).all()
        guard !rows.isEmpty else { return [] }
        let ids = SQLList(try rows.map { SQLBind(try $0.decode(column: "id", as: UUID.self)) })
        let zones = try await sql.raw("SELECT * FROM scar_assessment_zones WHERE assessment_id IN (\(ids))").all()
        let scores = try await sql.raw("SELECT * FROM scar_assessment_scores WHERE assessment_id IN (\(ids))").all()
        return try Self.assemble(rows, zones: zones, scores: scores)
    }
}
