import Foundation
import ScarCore
import SQLKit

/// What the clinic's day home reads, inside one transaction. Scoped to the clinic; not audited
/// here (the use case audits the one read that shows these names).
extension UnitOfWork {
    /// Appointments starting in `[from, to)`, in time order.
    public func appointments(clinicId: UUID, startingFrom from: Date, before to: Date) async throws -> [Appointment] {
        try await sql.raw("""
            \(unsafeRaw: ScheduleRepository.selectAppointments)
            WHERE a.clinic_id = \(bind: clinicId) AND a.starts_at >= \(bind: from) AND a.starts_at < \(bind: to)
            ORDER BY a.starts_at, a.id
            """).all().map(ScheduleRepository.decode)
    }

    /// Follow-up visits still booked that started before `before` (overdue: never completed,
    /// cancelled or marked no-show), oldest first.
    public func overdueFollowUps(clinicId: UUID, before: Date, limit: Int = 50) async throws -> [Appointment] {
        try await sql.raw("""
            \(unsafeRaw: ScheduleRepository.selectAppointments)
            WHERE a.clinic_id = \(bind: clinicId) AND a.kind = 'follow-up' AND a.status IN ('booked', 'checked-in')
              AND a.completed_at IS NULL AND a.starts_at < \(bind: before)
            ORDER BY a.starts_at, a.id LIMIT \(unsafeRaw: String(limit))
            """).all().map(ScheduleRepository.decode)
    }

    /// Adverse events still open (outcome ongoing or unknown), serious first.
    public func openAdverseEvents(clinicId: UUID, limit: Int = 50) async throws -> [AdverseEventRepository.Record] {
        try await sql.raw("""
            SELECT \(unsafeRaw: AdverseEventRepository.columns) \(unsafeRaw: AdverseEventRepository.from)
            WHERE e.clinic_id = \(bind: clinicId) AND e.outcome IN ('ongoing', 'unknown')
            ORDER BY e.serious DESC, e.onset_on DESC, e.created_at DESC LIMIT \(unsafeRaw: String(limit))
            """).all().map(AdverseEventRepository.record)
    }

    /// A chart not yet signed: who it is for, who started it, when.
    public struct DraftChart: Sendable, Equatable {
        public var sessionId: UUID
        public var patientId: UUID
        public var patientName: String
        public var practitionerName: String
        public var performedOn: CalendarDate?
        public var appointmentId: UUID?
    }

    /// Unsigned charts, oldest first.
    public func unsignedCharts(clinicId: UUID, limit: Int = 50) async throws -> [DraftChart] {
        try await sql.raw("""
            SELECT s.id, s.patient_id, s.performed_on, s.appointment_id, p.given_name, p.family_name, u.display_name
            FROM treatment_sessions s JOIN patients p ON p.id = s.patient_id JOIN staff_users u ON u.id = s.practitioner_id
            WHERE s.clinic_id = \(bind: clinicId) AND s.status = 'draft'
            ORDER BY s.performed_on, s.created_at LIMIT \(unsafeRaw: String(limit))
            """).all().map { row in
                DraftChart(sessionId: try row.decode(column: "id", as: UUID.self), patientId: try row.decode(column: "patient_id", as: UUID.self),
                           patientName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                           practitionerName: try row.decode(column: "display_name", as: String.self),
                           performedOn: CalendarDate(try row.decode(column: "performed_on", as: String.self)),
                           appointmentId: try row.decode(column: "appointment_id", as: UUID?.self))
            }
    }

    /// Messages the outbox gave up on, newest first.
    public func failedMessages(clinicId: UUID, limit: Int = 20) async throws -> [OutboxMessage] {
        try await sql.raw("""
            SELECT * FROM message_outbox WHERE clinic_id = \(bind: clinicId) AND status = 'failed'
            ORDER BY due_at DESC LIMIT \(unsafeRaw: String(limit))
            """).all().map(OutboxRepository.decode)
    }

    /// A patient with an approved plan and no treatment session booked, begun or done: a series to book.
    public struct SeriesToBook: Sendable, Equatable {
        public var patientId: UUID
        public var patientName: String
        public var modality: Modality
        public var sessions: Int
        public var approvedAt: Date
    }

    public func seriesToBook(clinicId: UUID, limit: Int = 50) async throws -> [SeriesToBook] {
        try await sql.raw("""
            SELECT v.patient_id, v.modality, v.sessions, v.approved_at, p.given_name, p.family_name
            FROM treatment_plan_versions v JOIN patients p ON p.id = v.patient_id
            WHERE v.clinic_id = \(bind: clinicId) AND v.status = 'approved'
              AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = v.patient_id AND a.clinic_id = v.clinic_id
                              AND a.kind = 'session' AND a.status IN ('booked', 'checked-in', 'completed'))
              AND NOT EXISTS (SELECT 1 FROM treatment_sessions s WHERE s.patient_id = v.patient_id AND s.status = 'signed'
                              AND s.plan_version_id = v.id)
            ORDER BY v.approved_at LIMIT \(unsafeRaw: String(limit))
            """).all().map { row in
                SeriesToBook(patientId: try row.decode(column: "patient_id", as: UUID.self),
                             patientName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                             modality: Modality(rawValue: try row.decode(column: "modality", as: String.self)) ?? .microneedling,
                             sessions: try row.decode(column: "sessions", as: Int.self),
                             approvedAt: try row.decode(column: "approved_at", as: Date.self))
            }
    }
}
