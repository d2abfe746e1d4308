import Foundation
import ScarCore
import SQLKit

/// A patient of the clinic that an imported row may be the same person as (listed for review).
public struct ImportMatch: Sendable, Equatable {
    public var id: UUID
    public var recordNumber: String
    public var givenName: String
    public var familyName: String
    public var dateOfBirth: CalendarDate
}

/// One committed batch of an import run, as `import_batches` keeps it.
public struct ImportBatchRecord: Sendable, Equatable {
    public var runId: UUID
    public var kind: ImportKind
    public var fileSHA256: String
    public var fileName: String
    public var batchNumber: Int
    public var rowsInBatch: Int
    public var imported: Int
    public var alreadyImported: Int
    public var heldForReview: Int

    public init(runId: UUID, kind: ImportKind, fileSHA256: String, fileName: String, batchNumber: Int, rowsInBatch: Int, imported: Int,
                alreadyImported: Int, heldForReview: Int) {
        (self.runId, self.kind, self.fileSHA256, self.fileName, self.batchNumber) = (runId, kind, fileSHA256, fileName, batchNumber)
        (self.rowsInBatch, self.imported, self.alreadyImported, self.heldForReview) = (rowsInBatch, imported, alreadyImported, heldForReview)
    }
}

/// The SQL of CSV imports: the source-id map, the look-ups a batch needs, and the rows it writes.
enum ImportRepository {
    static func importedRecords(_ kind: ImportKind, sourceIds: [String], clinicId: UUID, on sql: any SQLDatabase) async throws -> [String: UUID] {
        guard !sourceIds.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT source_id, record_id FROM import_sources
            WHERE clinic_id = \(bind: clinicId) AND kind = \(bind: kind.rawValue) AND source_id IN (\(binds: sourceIds))
            """).all()
        return Dictionary(try rows.map { (try $0.decode(column: "source_id", as: String.self), try $0.decode(column: "record_id", as: UUID.self)) },
                          uniquingKeysWith: { a, _ in a })
    }

    static func patientsBorn(on days: [CalendarDate], clinicId: UUID, on sql: any SQLDatabase) async throws -> [ImportMatch] {
        guard !days.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT id, mrn, given_name, family_name, date_of_birth FROM patients
            WHERE clinic_id = \(bind: clinicId) AND date_of_birth IN (\(binds: Array(Set(days.map(\.description)))))
            """).all().map {
            ImportMatch(id: try $0.decode(column: "id", as: UUID.self), recordNumber: try $0.decode(column: "mrn", as: String.self),
                        givenName: try $0.decode(column: "given_name", as: String.self), familyName: try $0.decode(column: "family_name", as: String.self),
                        dateOfBirth: CalendarDate(try $0.decode(column: "date_of_birth", as: String.self)) ?? CalendarDate(year: 1900, month: 1, day: 1)!)
        }
    }

    static func patientIds(recordNumbers: [String], clinicId: UUID, on sql: any SQLDatabase) async throws -> [String: UUID] {
        guard !recordNumbers.isEmpty else { return [:] }
        let rows = try await sql.raw("SELECT id, mrn FROM patients WHERE clinic_id = \(bind: clinicId) AND mrn IN (\(binds: recordNumbers))").all()
        return Dictionary(try rows.map { (try $0.decode(column: "mrn", as: String.self), try $0.decode(column: "id", as: UUID.self)) },
                          uniquingKeysWith: { a, _ in a })
    }

    /// Active staff and rooms of the clinic by lower-cased name.
    static func resources(clinicId: UUID, on sql: any SQLDatabase) async throws -> (staff: [String: UUID], rooms: [String: UUID]) {
        func byName(_ query: SQLQueryString) async throws -> [String: UUID] {
            Dictionary(try await sql.raw(query).all().map { (try $0.decode(column: "name", as: String.self).lowercased(), try $0.decode(column: "id", as: UUID.self)) },
                       uniquingKeysWith: { a, _ in a })
        }
        return (try await byName("SELECT id, display_name AS name FROM staff_users WHERE clinic_id = \(bind: clinicId) AND active = \(bind: true)"),
                try await byName("SELECT id, name FROM rooms WHERE clinic_id = \(bind: clinicId) AND active = \(bind: true)"))
    }

    /// Stores an imported appointment as it stood in the other system. Reminders are planned only
    /// for a booked appointment still ahead (`ReminderRules` plans nothing for a past start either).
    static func insert(_ a: ImportedAppointment, patientId: UUID, practitionerId: UUID, roomId: UUID, clinicId: UUID, createdBy: UUID,
                       minimumIntervalDays: Int, now: Date, on sql: any SQLDatabase) async throws -> UUID {
        let id = UUID()
        try await sql.raw("""
            INSERT INTO appointments (id, clinic_id, patient_id, series_id, kind, number, modality, practitioner_id, room_id, device_id,
                starts_at, ends_at, status, minimum_interval_days, plan_id, plan_version_id, ical_sequence, created_by, created_at, updated_at, version)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: UUID()), \(bind: a.kind.rawValue), 1, \(bind: a.modality.rawValue),
                \(bind: practitionerId), \(bind: roomId), NULL, \(bind: a.start), \(bind: a.end), \(bind: a.status.rawValue), \(bind: minimumIntervalDays),
                NULL, NULL, 0, \(bind: createdBy), \(bind: now), \(bind: now), 1)
            """).run()
        if a.status == .booked, a.start > now {
            let stored = try await ScheduleRepository.row(id: id, clinicId: clinicId, on: sql)
            try await Outbox.plan([stored], change: .confirmation, clinicId: clinicId, on: sql, now: now)
        }
        return id
    }

    static func record(_ batch: ImportBatchRecord, id: UUID, clinicId: UUID, actor: AuditActor, sources: [(String, UUID)], now: Date,
                       on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO import_batches (id, clinic_id, run_id, kind, file_sha256, file_name, imported_by, imported_by_id, imported_at, batch_number,
                rows_in_batch, imported, already_imported, held_for_review)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: batch.runId), \(bind: batch.kind.rawValue), \(bind: batch.fileSHA256), \(bind: batch.fileName),
                \(bind: actor.label), \(bind: actor.userId), \(bind: now), \(bind: batch.batchNumber), \(bind: batch.rowsInBatch), \(bind: batch.imported),
                \(bind: batch.alreadyImported), \(bind: batch.heldForReview))
            """).run()
        for (sourceId, recordId) in sources {
            try await sql.raw("""
                INSERT INTO import_sources (clinic_id, kind, source_id, record_id, batch_id)
                VALUES (\(bind: clinicId), \(bind: batch.kind.rawValue), \(bind: sourceId), \(bind: recordId), \(bind: id))
                """).run()
        }
    }
}
