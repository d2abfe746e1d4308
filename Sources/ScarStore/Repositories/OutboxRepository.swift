import Foundation
import ScarCore
import SQLKit

/// Filling the message outbox from the rules in ScarCore, inside the transaction that books,
/// moves or cancels the appointments.
enum Outbox {
    static func plan(_ appointments: [Appointment], change: MessageKind, clinicId: UUID, on sql: any SQLDatabase, now: Date) async throws {
        guard let first = appointments.first else { return }
        let clinic = try await ScheduleRepository.clinic(clinicId, on: sql)
        let settings = try await ScheduleRepository.settings(clinicId: clinicId, on: sql)
        let patient = try await sql.raw("SELECT email, phone FROM patients WHERE id = \(bind: first.patientId)").first()
        let recipient = try patient?.decode(column: "email", as: String?.self) ?? patient?.decode(column: "phone", as: String?.self)
            ?? "(no contact details)"
        let herpes = try await herpesHistory(patientId: first.patientId, on: sql)
        for a in appointments {
            let planned = ReminderRules.messages(
                for: ReminderAppointment(id: a.id, kind: a.kind, start: a.startsAt, herpesHistory: herpes, sequence: a.icalSequence),
                change: change, clinicName: clinic.name, settings: settings.reminders, timeZone: clinic.zone, now: now)
            for m in planned {
                try await sql.raw("""
                    INSERT INTO message_outbox (id, clinic_id, patient_id, appointment_id, kind, recipient, subject, body, source, due_at, status,
                        idempotency_key, attempts, created_at)
                    VALUES (\(bind: UUID()), \(bind: clinicId), \(bind: a.patientId), \(bind: a.id), \(bind: m.kind.rawValue), \(bind: recipient),
                        \(bind: m.subject), \(bind: m.body), \(bind: m.source), \(bind: m.dueAt), 'pending', \(bind: m.idempotencyKey), 0, \(bind: now))
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """).run()
            }
        }
    }

    /// `Intake.herpesHistory` of the latest intake (false without an intake).
    static func herpesHistory(patientId: UUID, on sql: any SQLDatabase) async throws -> Bool {
        guard let row = try await sql.raw("""
            SELECT data FROM intakes WHERE patient_id = \(bind: patientId) ORDER BY recorded_at DESC, id LIMIT 1
            """).first() else { return false }
        let data = try row.decode(column: "data", as: String.self)
        return (try? JSONDecoder().decode(Intake.self, from: Data(data.utf8)))?.herpesHistory ?? false
    }

    /// Messages not yet sent for these appointments are withdrawn (a claimed one still being
    /// sent is left to finish; it was correct when it was claimed).
    static func withdraw(appointmentIds: [UUID], on sql: any SQLDatabase) async throws {
        for id in appointmentIds {
            try await sql.raw("UPDATE message_outbox SET status = 'withdrawn' WHERE appointment_id = \(bind: id) AND status = 'pending'").run()
        }
    }
}

/// Sending the outbox: a worker claims due messages (status `sending` with a lease), sends
/// each with its idempotency key, then marks it `sent`. A claim whose lease ran out (the
/// worker died) is claimed again; a message already `sent` is never claimed again.
public struct OutboxRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let columns = """
        id, clinic_id, patient_id, appointment_id, kind, recipient, subject, body, source, due_at, status, idempotency_key, attempts,
        sent_at, last_error
        """

    static func decode(_ row: any SQLRow) throws -> OutboxMessage {
        OutboxMessage(id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                      patientId: try row.decode(column: "patient_id", as: UUID.self),
                      appointmentId: try row.decode(column: "appointment_id", as: UUID?.self), kind: try row.decode(column: "kind", as: String.self),
                      recipient: try row.decode(column: "recipient", as: String.self), subject: try row.decode(column: "subject", as: String.self),
                      body: try row.decode(column: "body", as: String.self), source: try row.decode(column: "source", as: String?.self),
                      dueAt: try row.decode(column: "due_at", as: Date.self), status: try row.decode(column: "status", as: String.self),
                      idempotencyKey: try row.decode(column: "idempotency_key", as: String.self),
                      attempts: try row.decode(column: "attempts", as: Int.self), sentAt: try row.decode(column: "sent_at", as: Date?.self),
                      lastError: try row.decode(column: "last_error", as: String?.self))
    }

    /// Claims up to `limit` messages due by `now` for `worker`. The lease, which decides who owns a
    /// message, runs on the database's clock (`DatabaseClock`), so an app server whose clock
    /// drifts can neither steal a message another server is sending nor keep one past its lease;
    /// due times are hours apart and follow the worker's `now` (tests move it).
    public func claim(worker: String, now: Date, lease: TimeInterval = 300, limit: Int = 50) async throws -> [OutboxMessage] {
        let engine = db.engine
        let dbNow = DatabaseClock.now(engine), until = DatabaseClock.now(plus: Int(lease), engine)
        return try await db.write { sql in
            let lockClause = engine == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            let ids = try await sql.raw("""
                SELECT id FROM message_outbox
                WHERE (status = 'pending' AND due_at <= \(bind: now)) OR (status = 'sending' AND lease_until < \(unsafeRaw: dbNow))
                ORDER BY due_at, id LIMIT \(bind: limit) \(unsafeRaw: lockClause)
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            var claimed: [OutboxMessage] = []
            for id in ids {
                // The status test is repeated, so a message another worker claimed meanwhile is skipped.
                if let row = try await sql.raw("""
                    UPDATE message_outbox SET status = 'sending', lease_until = \(unsafeRaw: until), claimed_by = \(bind: worker),
                        attempts = attempts + 1
                    WHERE id = \(bind: id) AND ((status = 'pending' AND due_at <= \(bind: now)) OR (status = 'sending' AND lease_until < \(unsafeRaw: dbNow)))
                    RETURNING \(unsafeRaw: Self.columns)
                    """).first() {
                    claimed.append(try Self.decode(row))
                }
            }
            return claimed
        }
    }

    /// Marks a claimed message sent; false when the claim was lost (lease expired and taken).
    public func markSent(id: UUID, worker: String, now: Date) async throws -> Bool {
        try await db.write { sql in
            try await sql.raw("""
                UPDATE message_outbox SET status = 'sent', sent_at = \(bind: now), lease_until = NULL
                WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker) RETURNING id
                """).first() != nil
        }
    }

    /// A failed attempt: retried after `retryAfter`, or `failed` after `maxAttempts`.
    public func markFailed(id: UUID, worker: String, error: String, now: Date, retryAfter: TimeInterval, maxAttempts: Int) async throws {
        try await db.write { sql in
            try await sql.raw("""
                UPDATE message_outbox SET status = CASE WHEN attempts >= \(bind: maxAttempts) THEN 'failed' ELSE 'pending' END,
                    due_at = \(bind: now.addingTimeInterval(retryAfter)), lease_until = NULL, last_error = \(bind: String(error.prefix(500)))
                WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker)
                """).run()
        }
    }

    /// The clinic's outbox, newest due first, for the admin page (audited: it names patients' contacts).
    public func list(clinicId: UUID, status: String? = nil, limit: Int = 200, by actor: AuditActor) async throws -> [OutboxMessage] {
        let engine = db.engine
        return try await db.write { sql in
            var filter: SQLQueryString = ""
            if let status { filter = "AND status = \(bind: status)" }
            let list = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM message_outbox WHERE clinic_id = \(bind: clinicId) \(filter)
                ORDER BY due_at DESC, id LIMIT \(bind: limit)
                """).all().map(Self.decode)
            try await AuditTrail.append(AuditEvent(action: "outbox.list", recordType: "message_outbox", details: ["results": String(list.count)]),
                                        by: actor, engine: engine, on: sql)
            return list
        }
    }

    public func messages(appointmentId: UUID) async throws -> [OutboxMessage] {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM message_outbox WHERE appointment_id = \(bind: appointmentId) ORDER BY due_at, kind")
                .all().map(Self.decode)
        }
    }
}
