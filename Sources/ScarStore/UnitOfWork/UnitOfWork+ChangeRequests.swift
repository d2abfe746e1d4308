import Foundation
import ScarCore
import SQLKit

/// Patients' requests to change or cancel an appointment (migration `0025-portal-follow-ups`).
public struct ChangeRequest: Sendable, Equatable {
    public var id: UUID
    public var clinicId: UUID
    public var patientId: UUID
    public var appointmentId: UUID
    public var kind: ChangeRequestRules.Kind
    public var reason: String
    public var status: ChangeRequestRules.Status
    public var reply: String
    public var createdAt: Date
    public var decidedAt: Date?
    // Filled by the day home's list.
    public var patientName: String = ""
    public var appointmentStartsAt: Date?
    public var appointmentLabel: String = ""

    public init(id: UUID, clinicId: UUID, patientId: UUID, appointmentId: UUID, kind: ChangeRequestRules.Kind, reason: String,
                status: ChangeRequestRules.Status, reply: String, createdAt: Date, decidedAt: Date?) {
        self.id = id
        self.clinicId = clinicId
        self.patientId = patientId
        self.appointmentId = appointmentId
        self.kind = kind
        self.reason = reason
        self.status = status
        self.reply = reply
        self.createdAt = createdAt
        self.decidedAt = decidedAt
    }
}

extension UnitOfWork {
    static let changeRequestColumns = """
        r.id, r.clinic_id, r.patient_id, r.appointment_id, r.kind, r.reason, r.status, r.reply, r.created_at, r.decided_at
        """

    static func decodeChangeRequest(_ row: any SQLRow) throws -> ChangeRequest {
        ChangeRequest(id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                      patientId: try row.decode(column: "patient_id", as: UUID.self),
                      appointmentId: try row.decode(column: "appointment_id", as: UUID.self),
                      kind: ChangeRequestRules.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .change,
                      reason: try row.decode(column: "reason", as: String.self),
                      status: ChangeRequestRules.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
                      reply: try row.decode(column: "reply", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self),
                      decidedAt: try row.decode(column: "decided_at", as: Date?.self))
    }

    /// A new open request (a unique index keeps one open request per appointment).
    public func insert(changeRequest r: ChangeRequest) async throws {
        try await sql.raw("""
            INSERT INTO appointment_change_requests (id, clinic_id, patient_id, appointment_id, kind, reason, status, reply, created_at)
            VALUES (\(bind: r.id), \(bind: r.clinicId), \(bind: r.patientId), \(bind: r.appointmentId), \(bind: r.kind.rawValue),
                    \(bind: r.reason), 'open', '', \(bind: r.createdAt))
            """).run()
    }

    public func changeRequests(patientId: UUID, clinicId: UUID) async throws -> [ChangeRequest] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.changeRequestColumns) FROM appointment_change_requests r
            WHERE r.clinic_id = \(bind: clinicId) AND r.patient_id = \(bind: patientId) ORDER BY r.created_at DESC
            """).all().map(Self.decodeChangeRequest)
    }

    /// The clinic's open requests, oldest first, with the patient's name and the appointment's time.
    public func openChangeRequests(clinicId: UUID) async throws -> [ChangeRequest] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.changeRequestColumns), p.given_name, p.family_name, a.starts_at, a.kind AS appointment_kind, a.number
            FROM appointment_change_requests r JOIN patients p ON p.id = r.patient_id JOIN appointments a ON a.id = r.appointment_id
            WHERE r.clinic_id = \(bind: clinicId) AND r.status = 'open' ORDER BY r.created_at
            """).all().map { row in
                var r = try Self.decodeChangeRequest(row)
                r.patientName = "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))"
                r.appointmentStartsAt = try row.decode(column: "starts_at", as: Date.self)
                let kind = ProposedAppointment.Kind(rawValue: try row.decode(column: "appointment_kind", as: String.self)) ?? .session
                r.appointmentLabel = kind.label(try row.decode(column: "number", as: Int.self))
                return r
            }
    }

    public func changeRequest(id: UUID, clinicId: UUID) async throws -> ChangeRequest {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: Self.changeRequestColumns) FROM appointment_change_requests r
            WHERE r.id = \(bind: id) AND r.clinic_id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        return try Self.decodeChangeRequest(row)
    }

    /// Closes an open request (accepted or declined); the caller has checked that it is open.
    public func decide(changeRequest id: UUID, status: ChangeRequestRules.Status, reply: String, by staffId: UUID, now: Date) async throws {
        try await sql.raw("""
            UPDATE appointment_change_requests SET status = \(bind: status.rawValue), reply = \(bind: reply), decided_at = \(bind: now),
                decided_by = \(bind: staffId)
            WHERE id = \(bind: id) AND status = 'open'
            """).run()
    }
}

/// Check-in reminders: each portal patient's latest signed session done on or after `since`.
extension UnitOfWork {
    public struct CheckInReminderCandidate: Sendable, Equatable {
        public var sessionId: UUID
        public var patientId: UUID
        public var clinicId: UUID
        public var performedOn: CalendarDate
        public var email: String
        public var clinicName: String
        public var clinicPhone: String
        public var timeZone: TimeZone
        public var checkInDays: CheckInDays
        public var checkedIn: [Int]
    }

    public func checkInReminderCandidates(since: CalendarDate) async throws -> [CheckInReminderCandidate] {
        let rows = try await sql.raw("""
            SELECT s.id, s.patient_id, s.clinic_id, s.performed_on, i.email, c.name, c.phone, c.time_zone, cs.check_in_days
            FROM treatment_sessions s
            JOIN portal_invitations i ON i.patient_id = s.patient_id AND i.clinic_id = s.clinic_id AND i.revoked_at IS NULL
            JOIN clinics c ON c.id = s.clinic_id
            LEFT JOIN charting_settings cs ON cs.clinic_id = s.clinic_id
            WHERE s.status = 'signed' AND s.performed_on >= \(bind: since.description)
            ORDER BY s.performed_on DESC, s.signed_at DESC
            """).all()
        var latest: [UUID: CheckInReminderCandidate] = [:]
        for row in rows {
            let patientId = try row.decode(column: "patient_id", as: UUID.self)
            guard latest[patientId] == nil else { continue }
            let sessionId = try row.decode(column: "id", as: UUID.self)
            let days = try row.decode(column: "check_in_days", as: String?.self).flatMap { try? CheckInDays.parse($0).get() } ?? .default
            latest[patientId] = CheckInReminderCandidate(
                sessionId: sessionId, patientId: patientId, clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                performedOn: CalendarDate(try row.decode(column: "performed_on", as: String.self)) ?? .earliest,
                email: try row.decode(column: "email", as: String.self), clinicName: try row.decode(column: "name", as: String.self),
                clinicPhone: try row.decode(column: "phone", as: String.self),
                timeZone: TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? TimeZone(identifier: "UTC")!,
                checkInDays: days, checkedIn: try await CheckInRepository.days(sessionId: sessionId, on: sql))
        }
        return latest.values.sorted { $0.sessionId.uuidString < $1.sessionId.uuidString }
    }
}
