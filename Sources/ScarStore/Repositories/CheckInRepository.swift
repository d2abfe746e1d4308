import Foundation
import ScarCore
import SQLKit

/// What the patient reports between visits (migration `0021-check-ins`): pre-session answers,
/// check-ins, problem reports, their photos and the suspected adverse events. The SQL only; the
/// use cases reach it through `UnitOfWork+CheckIns` and audit their intent once.
public enum CheckInRepository {
    /// A photo the patient sent, already checked and stored by content hash (`PhotoStore`).
    public struct PhotoFile: Sendable, Equatable {
        public var sha256: String
        public var mediaType: ImageMediaType
        public var byteSize: Int
        public var width: Int
        public var height: Int

        public init(sha256: String, mediaType: ImageMediaType, byteSize: Int, width: Int, height: Int) {
            self.sha256 = sha256
            self.mediaType = mediaType
            self.byteSize = byteSize
            self.width = width
            self.height = height
        }
    }

    /// The session a check-in or report follows: the patient's latest signed one.
    public struct SignedSession: Sendable, Equatable {
        public var id: UUID
        public var performedOn: CalendarDate
        public var modality: Modality
        public var postCareVersion: String?
    }

    public struct PreSessionAnswers: Sendable, Equatable {
        public var id: UUID
        public var appointmentId: UUID
        public var answers: [String: TriStateAnswer]
        public var outcome: PreSessionOutcome
        public var answeredAt: Date
        public var result: PreSessionQuestionnaire.Result { PreSessionQuestionnaire.reading(answers) }
    }

    public struct CheckIn: Sendable, Equatable {
        public var id: UUID
        public var patientId: UUID
        public var sessionId: UUID
        public var day: Int
        public var answers: CheckInAnswers
        public var beyondExpected: Bool
        public var reasons: [CheckInEvaluation.Reason]
        public var checkedInAt: Date
        public var photoIds: [UUID]
    }

    public enum SuspicionState: String, Sendable, Codable, CaseIterable {
        case open, confirmed, dismissed
    }

    public struct Suspected: Sendable, Equatable {
        public var id: UUID
        public var patientId: UUID
        public var patientName: String
        public var sessionId: UUID?
        public var checkInId: UUID?
        public var problemReportId: UUID?
        /// The check-in's day after the session, when it came from a check-in.
        public var day: Int?
        public var reasons: [CheckInEvaluation.Reason]
        public var suggestedTerm: String?
        public var state: SuspicionState
        public var adverseEventId: UUID?
        public var dismissReason: String?
        public var createdAt: Date
        public var photoIds: [UUID]
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try JSONDecoder().decode(type, from: Data(text.utf8)) }

    static func latestSignedSession(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> SignedSession? {
        guard let row = try await sql.raw("""
            SELECT id, performed_on, modality, postcare_version FROM treatment_sessions
            WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId) AND status = 'signed'
            ORDER BY performed_on DESC, signed_at DESC LIMIT 1
            """).first() else { return nil }
        return SignedSession(id: try row.decode(column: "id", as: UUID.self),
                             performedOn: CalendarDate(try row.decode(column: "performed_on", as: String.self)) ?? .earliest,
                             modality: Modality(rawValue: try row.decode(column: "modality", as: String.self)) ?? .microneedling,
                             postCareVersion: try row.decode(column: "postcare_version", as: String?.self))
    }

    static func insertAnswers(id: UUID, appointmentId: UUID, patientId: UUID, clinicId: UUID, answers: [String: TriStateAnswer],
                              outcome: PreSessionOutcome, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO pre_session_answers (id, clinic_id, patient_id, appointment_id, answers, outcome, answered_at)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: appointmentId), \(bind: try json(answers)),
                    \(bind: outcome.rawValue), \(bind: now.wholeMilliseconds))
            """).run()
    }

    /// The latest answers for each of the appointments (the patient may answer again).
    static func answers(appointmentIds: [UUID], clinicId: UUID, on sql: any SQLDatabase) async throws -> [UUID: PreSessionAnswers] {
        guard !appointmentIds.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT id, appointment_id, answers, outcome, answered_at FROM pre_session_answers
            WHERE clinic_id = \(bind: clinicId) AND appointment_id IN (\(binds: appointmentIds))
            ORDER BY answered_at, id
            """).all()
        var latest: [UUID: PreSessionAnswers] = [:]
        for row in rows {
            let a = PreSessionAnswers(id: try row.decode(column: "id", as: UUID.self),
                                      appointmentId: try row.decode(column: "appointment_id", as: UUID.self),
                                      answers: try decode([String: TriStateAnswer].self, try row.decode(column: "answers", as: String.self)),
                                      outcome: PreSessionOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .clinicReview,
                                      answeredAt: try row.decode(column: "answered_at", as: Date.self))
            latest[a.appointmentId] = a
        }
        return latest
    }

    static func checkInExists(sessionId: UUID, day: Int, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM check_ins WHERE session_id = \(bind: sessionId) AND day = \(bind: day)").first() != nil
    }

    static func days(sessionId: UUID, on sql: any SQLDatabase) async throws -> [Int] {
        try await sql.raw("SELECT day FROM check_ins WHERE session_id = \(bind: sessionId) ORDER BY day").all()
            .map { try $0.decode(column: "day", as: Int.self) }
    }

    static func insertCheckIn(id: UUID, sessionId: UUID, day: Int, answers: CheckInAnswers, evaluation: CheckInEvaluation.Result,
                              patientId: UUID, clinicId: UUID, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO check_ins (id, clinic_id, patient_id, session_id, day, answers, beyond_expected, reasons, checked_in_at)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: sessionId), \(bind: day), \(bind: try json(answers)),
                    \(bind: evaluation.beyondExpected), \(bind: try json(evaluation.reasons)), \(bind: now.wholeMilliseconds))
            """).run()
    }

    static func insertReport(id: UUID, report: ProblemReport, sessionId: UUID?, patientId: UUID, clinicId: UUID, now: Date,
                             on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO problem_reports (id, clinic_id, patient_id, session_id, description, signs, reported_at)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: sessionId), \(bind: report.description),
                    \(bind: try json(report.signs)), \(bind: now.wholeMilliseconds))
            """).run()
    }

    static func insertPhoto(_ file: PhotoFile, id: UUID, checkInId: UUID?, problemReportId: UUID?, patientId: UUID, clinicId: UUID, now: Date,
                            on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO reported_photos (id, clinic_id, patient_id, check_in_id, problem_report_id, sha256, media_type, byte_size, width, height, uploaded_at)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: checkInId), \(bind: problemReportId), \(bind: file.sha256),
                    \(bind: file.mediaType.rawValue), \(bind: file.byteSize), \(bind: file.width), \(bind: file.height), \(bind: now.wholeMilliseconds))
            """).run()
    }

    static func insertSuspected(id: UUID, patientId: UUID, clinicId: UUID, sessionId: UUID?, checkInId: UUID?, problemReportId: UUID?,
                                reasons: [CheckInEvaluation.Reason], now: Date, on sql: any SQLDatabase) async throws {
        let term = reasons.compactMap(\.suggestedTerm).first
        try await sql.raw("""
            INSERT INTO suspected_adverse_events (id, clinic_id, patient_id, session_id, check_in_id, problem_report_id, reasons,
                                                  suggested_term, state, created_at)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: sessionId), \(bind: checkInId), \(bind: problemReportId),
                    \(bind: try json(reasons)), \(bind: term), 'open', \(bind: now.wholeMilliseconds))
            """).run()
    }

    static let suspectedColumns = """
        SELECT x.*, p.given_name, p.family_name, c.day FROM suspected_adverse_events x JOIN patients p ON p.id = x.patient_id
        LEFT JOIN check_ins c ON c.id = x.check_in_id
        """

    static func suspected(_ row: any SQLRow, on sql: any SQLDatabase) async throws -> Suspected {
        let checkInId = try row.decode(column: "check_in_id", as: UUID?.self)
        let reportId = try row.decode(column: "problem_report_id", as: UUID?.self)
        return Suspected(id: try row.decode(column: "id", as: UUID.self), patientId: try row.decode(column: "patient_id", as: UUID.self),
                         patientName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                         sessionId: try row.decode(column: "session_id", as: UUID?.self), checkInId: checkInId, problemReportId: reportId,
                         day: try row.decode(column: "day", as: Int?.self),
                         reasons: try decode([CheckInEvaluation.Reason].self, try row.decode(column: "reasons", as: String.self)),
                         suggestedTerm: try row.decode(column: "suggested_term", as: String?.self),
                         state: SuspicionState(rawValue: try row.decode(column: "state", as: String.self)) ?? .open,
                         adverseEventId: try row.decode(column: "adverse_event_id", as: UUID?.self),
                         dismissReason: try row.decode(column: "dismiss_reason", as: String?.self),
                         createdAt: try row.decode(column: "created_at", as: Date.self),
                         photoIds: try await photoIds(checkInId: checkInId, problemReportId: reportId, on: sql))
    }

    static func photoIds(checkInId: UUID?, problemReportId: UUID?, on sql: any SQLDatabase) async throws -> [UUID] {
        var rows: [any SQLRow] = []
        if let checkInId {
            rows = try await sql.raw("SELECT id FROM reported_photos WHERE check_in_id = \(bind: checkInId) ORDER BY uploaded_at, id").all()
        } else if let problemReportId {
            rows = try await sql.raw("SELECT id FROM reported_photos WHERE problem_report_id = \(bind: problemReportId) ORDER BY uploaded_at, id").all()
        }
        return try rows.map { try $0.decode(column: "id", as: UUID.self) }
    }

    static func openSuspected(clinicId: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [Suspected] {
        var out: [Suspected] = []
        for row in try await sql.raw("""
            \(unsafeRaw: suspectedColumns) WHERE x.clinic_id = \(bind: clinicId) AND x.state = 'open'
            ORDER BY x.created_at, x.id LIMIT \(unsafeRaw: String(limit))
            """).all() {
            out.append(try await suspected(row, on: sql))
        }
        return out
    }

    static func suspected(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Suspected {
        guard let row = try await sql.raw("\(unsafeRaw: suspectedColumns) WHERE x.id = \(bind: id) AND x.clinic_id = \(bind: clinicId)").first()
        else { throw StoreError.notFound }
        return try await suspected(row, on: sql)
    }

    /// Closes an open suspicion; false when it was no longer open (someone else decided first).
    static func decide(suspectedId: UUID, clinicId: UUID, state: SuspicionState, adverseEventId: UUID?, dismissReason: String?, by userId: UUID,
                       now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.raw("""
            UPDATE suspected_adverse_events SET state = \(bind: state.rawValue), adverse_event_id = \(bind: adverseEventId),
                dismiss_reason = \(bind: dismissReason), decided_by = \(bind: userId), decided_at = \(bind: now.wholeMilliseconds)
            WHERE id = \(bind: suspectedId) AND clinic_id = \(bind: clinicId) AND state = 'open'
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// The patient's check-ins, newest first, with their photos: two statements however many check-ins.
    static func checkIns(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [CheckIn] {
        let rows = try await sql.raw("""
            SELECT * FROM check_ins WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
            ORDER BY checked_in_at DESC, id
            """).all()
        guard !rows.isEmpty else { return [] }
        var photos: [UUID: [UUID]] = [:]
        for row in try await sql.raw("""
            SELECT r.id, r.check_in_id FROM reported_photos r JOIN check_ins c ON c.id = r.check_in_id
            WHERE c.clinic_id = \(bind: clinicId) AND c.patient_id = \(bind: patientId) ORDER BY r.uploaded_at, r.id
            """).all() {
            photos[try row.decode(column: "check_in_id", as: UUID.self), default: []].append(try row.decode(column: "id", as: UUID.self))
        }
        var out: [CheckIn] = []
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            out.append(CheckIn(id: id, patientId: patientId, sessionId: try row.decode(column: "session_id", as: UUID.self),
                               day: try row.decode(column: "day", as: Int.self),
                               answers: try decode(CheckInAnswers.self, try row.decode(column: "answers", as: String.self)),
                               beyondExpected: try row.decode(column: "beyond_expected", as: Bool.self),
                               reasons: try decode([CheckInEvaluation.Reason].self, try row.decode(column: "reasons", as: String.self)),
                               checkedInAt: try row.decode(column: "checked_in_at", as: Date.self),
                               photoIds: photos[id] ?? []))
        }
        return out
    }

    /// A reported photo's file, for this clinic's staff (not found otherwise).
    static func photo(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> (patientId: UUID, file: PhotoFile) {
        guard let row = try await sql.raw("SELECT * FROM reported_photos WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)").first(),
              let type = ImageMediaType(rawValue: try row.decode(column: "media_type", as: String.self)) else { throw StoreError.notFound }
        return (try row.decode(column: "patient_id", as: UUID.self),
                PhotoFile(sha256: try row.decode(column: "sha256", as: String.self), mediaType: type, byteSize: try row.decode(column: "byte_size", as: Int.self),
                          width: try row.decode(column: "width", as: Int.self), height: try row.decode(column: "height", as: Int.self)))
    }
}
