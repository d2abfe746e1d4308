import Foundation
import ScarCore
import SQLKit

extension SessionRepository {
    /// One line of the patient page's session list: what the card shows, without the amendments.
    public struct SessionSummary: Sendable, Equatable {
        public var id: UUID
        public var performedOn: CalendarDate
        public var modality: Modality
        public var practitionerName: String
        public var status: SessionRecord.Status
        public var amended: Bool
    }

    /// One page of a patient's sessions, newest first, and the cursor of the next page (nil on the last).
    public struct SessionPage: Sendable {
        public var sessions: [SessionRecord]
        public var next: SessionCursor?
    }

    /// The order every session list uses: newest day first, then newest created, then id.
    static let newestFirst = "t.performed_on DESC, t.created_at DESC, t.id DESC"

    /// The patient's newest sessions (at most `limit`), one statement.
    static func summaries(patientId: UUID, clinicId: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [SessionSummary] {
        try await sql.raw("""
            SELECT t.id, t.status, t.chart, p.display_name AS practitioner_name,
                   CASE WHEN EXISTS (SELECT 1 FROM session_amendments am WHERE am.session_id = t.id) THEN 1 ELSE 0 END AS amended
            FROM treatment_sessions t JOIN staff_users p ON p.id = t.practitioner_id
            WHERE t.clinic_id = \(bind: clinicId) AND t.patient_id = \(bind: patientId)
            ORDER BY \(unsafeRaw: newestFirst) LIMIT \(bind: limit)
            """).all().map { row in
            let chart = try decoder.decode(SessionChart.self, from: Data(try row.decode(column: "chart", as: String.self).utf8))
            return SessionSummary(id: try row.decode(column: "id", as: UUID.self), performedOn: chart.performedOn, modality: chart.modality,
                                  practitionerName: try row.decode(column: "practitioner_name", as: String.self),
                                  status: SessionRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
                                  amended: try row.decode(column: "amended", as: Int.self) != 0)
        }
    }

    /// One page of the patient's sessions after `cursor` (from the start without one), at most
    /// `limit`, with their amendments: two statements whatever the page. Not audited here.
    static func page(patientId: UUID, clinicId: UUID, after cursor: SessionCursor?, limit: Int,
                     on sql: any SQLDatabase) async throws -> SessionPage {
        // Keyset paging: the rows that sort after the cursor's session, read through the index
        // on (clinic_id, patient_id, performed_on), however deep the page is.
        let after: SQLQueryString = cursor.map { c in
            """
            AND (t.performed_on, t.created_at, t.id) < (SELECT c.performed_on, c.created_at, c.id FROM treatment_sessions c
                                                       WHERE c.id = \(bind: c.sessionId) AND c.patient_id = \(bind: patientId))
            """
        } ?? ""
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: Self.sessionColumns) FROM treatment_sessions t JOIN staff_users p ON p.id = t.practitioner_id
            LEFT JOIN staff_users s ON s.id = t.signed_by WHERE t.clinic_id = \(bind: clinicId) AND t.patient_id = \(bind: patientId) \(after)
            ORDER BY \(unsafeRaw: newestFirst) LIMIT \(bind: limit + 1)
            """).all()
        let shown = Array(rows.prefix(limit))
        let amendments = try await Self.amendments(sessionIds: try shown.map { try $0.decode(column: "id", as: UUID.self) }, on: sql)
        let sessions = try shown.map { row in try Self.record(row, amendments: amendments[try row.decode(column: "id", as: UUID.self)] ?? []) }
        let next = rows.count > limit ? sessions.last.map { SessionCursor(sessionId: $0.id) } : nil
        return SessionPage(sessions: sessions, next: next)
    }
}

extension UnitOfWork {
    /// One page of the patient's sessions after `cursor`, newest first (the use case checks the patient and audits).
    public func sessionPage(patientId: UUID, clinicId: UUID, after cursor: SessionCursor?, limit: Int) async throws -> SessionRepository.SessionPage {
        try await SessionRepository.page(patientId: patientId, clinicId: clinicId, after: cursor, limit: limit, on: sql)
    }
}

/// Where the next page of a session list starts: opaque to clients (base64url of a version tag
/// and the last session shown), so the paging can change without breaking a client.
public struct SessionCursor: Sendable, Equatable {
    public var sessionId: UUID

    public init(sessionId: UUID) { self.sessionId = sessionId }

    /// The text a client sends back; nil when it is not a cursor this server issued.
    public init?(text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 64, let data = Data(base64Encoded: base64),
              let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix("s1:"),
              let id = UUID(uuidString: String(decoded.dropFirst(3))) else { return nil }
        sessionId = id
    }

    public var text: String {
        Data("s1:\(sessionId.uuidString.lowercased())".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
