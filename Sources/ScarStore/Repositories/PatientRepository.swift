import Foundation
import ScarCore
import SQLKit

/// Patients of one clinic. Every call is scoped by the caller's clinic, so a record of another
/// clinic is simply not found; every read and write appends its audit entry in the same
/// transaction.
public struct PatientRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let columns = "id, clinic_id, given_name, family_name, date_of_birth, sex, mrn, phone, email, created_at, updated_at, version"

    /// Column by column (a Bulk Data export reads every patient; `decode(model:)` converted each
    /// key's case for every row); a value stored unusually goes through the model decoder as before.
    static func decode(_ row: any SQLRow) throws -> Patient {
        guard let dateOfBirth = CalendarDate(try row.decode(column: "date_of_birth", as: String.self)),
              let sex = Sex(rawValue: try row.decode(column: "sex", as: String.self)) else {
            return try row.decode(model: Patient.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        return Patient(id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                       givenName: try row.decode(column: "given_name", as: String.self),
                       familyName: try row.decode(column: "family_name", as: String.self), dateOfBirth: dateOfBirth, sex: sex,
                       mrn: try row.decode(column: "mrn", as: String.self), phone: try row.decode(column: "phone", as: String?.self),
                       email: try row.decode(column: "email", as: String?.self), createdAt: try row.decode(column: "created_at", as: Date.self),
                       updatedAt: try row.decode(column: "updated_at", as: Date.self), version: try row.decode(column: "version", as: Int.self))
    }

    /// Lower-cased "given family" used for prefix search on both engines (PostgreSQL LIKE is
    /// case-sensitive; SQLite's is ASCII-only case-insensitive).
    static func searchName(_ d: PatientDetails) -> String {
        "\(d.givenName) \(d.familyName)".lowercased()
    }

    public func register(_ details: PatientDetails, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> Patient {
        let engine = db.engine
        return try await db.write { sql in
            let patient = try await Self.insert(details, clinicId: clinicId, now: now, on: sql)
            try await AuditTrail.append(Self.registrationEvent(patient), by: actor, engine: engine, on: sql, now: now)
            return patient
        }
    }

    public static func registrationEvent(_ patient: Patient) -> AuditEvent {
        AuditEvent(action: "patient.create", recordType: "patient", recordId: patient.id.uuidString, patientId: patient.id)
    }

    /// Stores a new patient (the next record number when none was typed); not audited here.
    static func insert(_ details: PatientDetails, clinicId: UUID, now: Date, on sql: any SQLDatabase) async throws -> Patient {
        var mrn = details.mrn ?? ""
        if details.mrn == nil { mrn = try await Self.nextRecordNumber(clinicId: clinicId, on: sql) }
        let patient = Patient(id: UUID(), clinicId: clinicId, givenName: details.givenName, familyName: details.familyName,
                              dateOfBirth: details.dateOfBirth, sex: details.sex, mrn: mrn, phone: details.phone,
                              email: details.email, createdAt: now, updatedAt: now, version: 1)
        try await sql.raw("""
            INSERT INTO patients (id, clinic_id, given_name, family_name, search_name, date_of_birth, sex, mrn, phone, email,
                                  created_at, updated_at, version)
            VALUES (\(bind: patient.id), \(bind: clinicId), \(bind: patient.givenName), \(bind: patient.familyName),
                    \(bind: Self.searchName(details)), \(bind: patient.dateOfBirth.description), \(bind: patient.sex.rawValue),
                    \(bind: mrn), \(bind: patient.phone), \(bind: patient.email), \(bind: now), \(bind: now), \(bind: 1))
            """).run()
        return patient
    }

    /// The next free record number of the clinic, `ST-000001` onwards. Numbers typed in by
    /// staff may already use one; those are skipped.
    static func nextRecordNumber(clinicId: UUID, on sql: any SQLDatabase) async throws -> String {
        try await sql.raw("""
            INSERT INTO clinic_counters (clinic_id, name, value) VALUES (\(bind: clinicId), 'mrn', 0)
            ON CONFLICT (clinic_id, name) DO NOTHING
            """).run()
        while true {
            let value = try await sql.raw("""
                UPDATE clinic_counters SET value = value + 1 WHERE clinic_id = \(bind: clinicId) AND name = 'mrn' RETURNING value
                """).first()!.decode(column: "value", as: Int.self)
            let mrn = String(format: "ST-%06d", value)
            let taken = try await sql.raw("SELECT 1 AS x FROM patients WHERE clinic_id = \(bind: clinicId) AND mrn = \(bind: mrn)").first()
            if taken == nil { return mrn }
        }
    }

    /// One patient, audited as a read. Not found when it belongs to another clinic.
    public func find(id: UUID, clinicId: UUID, by actor: AuditActor, action: String = "patient.read") async throws -> Patient {
        let engine = db.engine
        // Read on a reader; only the audit entry goes to the writer, and the patient is returned
        // after that entry is committed.
        let patient = try await db.read { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM patients WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            return try Self.decode(row)
        }
        try await db.write { sql in
            try await AuditTrail.append(AuditEvent(action: action, recordType: "patient", recordId: id.uuidString, patientId: id),
                                        by: actor, engine: engine, on: sql)
        }
        return patient
    }

    /// Saves new details only if the stored version is still `expectedVersion`; otherwise
    /// throws `versionConflict` with the current version and changes nothing. `change` turns
    /// the stored record into the new details (a merge patch needs the current values); it
    /// may throw a validation failure, which also leaves everything unchanged.
    public func update(id: UUID, clinicId: UUID, expectedVersion: Int, by actor: AuditActor, now: Date = Date(),
                       change: @escaping @Sendable (Patient) throws -> PatientDetails) async throws -> Patient {
        let engine = db.engine
        return try await db.write { sql in
            let before = try await Self.load(id: id, clinicId: clinicId, on: sql)
            guard before.version == expectedVersion else { throw StoreError.versionConflict(current: before.version) }
            let after = try await Self.write(try change(before), over: before, now: now, on: sql)
            try await AuditTrail.append(Self.updateEvent(before, after), by: actor, engine: engine, on: sql, now: now)
            return after
        }
    }

    /// The `patient.update` entry: which fields changed (names only) and the new version.
    public static func updateEvent(_ before: Patient, _ after: Patient) -> AuditEvent {
        AuditEvent(action: "patient.update", recordType: "patient", recordId: after.id.uuidString, patientId: after.id,
                   details: ["fields": changedFields(before, after).joined(separator: ","), "version": String(after.version)])
    }

    /// One patient of the clinic, not audited (not found outside the clinic).
    static func load(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Patient {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM patients WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)").first()
        else { throw StoreError.notFound }
        return try Self.decode(row)
    }

    /// The clinic's patient with this record number (compared NFC and case-insensitively), if any.
    static func find(recordNumber: String, clinicId: UUID, on sql: any SQLDatabase) async throws -> Patient? {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM patients WHERE clinic_id = \(bind: clinicId) AND LOWER(mrn) = \(bind: Text.nfc(recordNumber).lowercased())
            """).first().map(Self.decode)
    }

    /// Stores `details` over `before`, whose version the caller has checked; not audited here.
    static func write(_ details: PatientDetails, over before: Patient, now: Date, on sql: any SQLDatabase) async throws -> Patient {
        var after = before
        after.givenName = details.givenName
        after.familyName = details.familyName
        after.dateOfBirth = details.dateOfBirth
        after.sex = details.sex
        after.mrn = details.mrn ?? before.mrn
        after.phone = details.phone
        after.email = details.email
        after.updatedAt = now
        after.version = before.version + 1
        // The version check is repeated in the WHERE clause: the row cannot change under us
        // even if the isolation level were weaker than this transaction's.
        let updated = try await sql.raw("""
            UPDATE patients SET given_name = \(bind: after.givenName), family_name = \(bind: after.familyName),
                search_name = \(bind: Self.searchName(details)), date_of_birth = \(bind: after.dateOfBirth.description),
                sex = \(bind: after.sex.rawValue), mrn = \(bind: after.mrn), phone = \(bind: after.phone), email = \(bind: after.email),
                updated_at = \(bind: now), version = \(bind: after.version)
            WHERE id = \(bind: before.id) AND clinic_id = \(bind: before.clinicId) AND version = \(bind: before.version)
            RETURNING version
            """).first()
        guard updated != nil else { throw StoreError.versionConflict(current: before.version + 1) }
        return after
    }

    /// Names (not values) of the fields an edit changed: the audit says what changed without
    /// copying personal data into it.
    static func changedFields(_ a: Patient, _ b: Patient) -> [String] {
        var fields: [String] = []
        if a.givenName != b.givenName { fields.append("givenName") }
        if a.familyName != b.familyName { fields.append("familyName") }
        if a.dateOfBirth != b.dateOfBirth { fields.append("dateOfBirth") }
        if a.sex != b.sex { fields.append("sex") }
        if a.mrn != b.mrn { fields.append("mrn") }
        if a.phone != b.phone { fields.append("phone") }
        if a.email != b.email { fields.append("email") }
        return fields
    }

    /// A page of the clinic's patients matching the query, sorted by family then given name.
    /// The search itself is audited with the ids it showed.
    public func search(_ query: PatientQuery, page: PageRequest, clinicId: UUID, by actor: AuditActor) async throws -> Page<Patient> {
        let engine = db.engine
        return try await db.write { sql in
            let filter: SQLQueryString
            switch query {
            case .all:
                filter = ""
            case .dateOfBirth(let date):
                filter = "AND date_of_birth = \(bind: date.description)"
            case .text(let text):
                // NFC as stored (PatientDetails.validate), also for a query built without `PatientQuery.parse`.
                let lowered = Text.nfc(text).lowercased()
                let pattern = Self.likeEscaped(lowered)
                filter = """
                    AND (search_name LIKE \(bind: pattern + "%") ESCAPE '\\' OR search_name LIKE \(bind: "% " + pattern + "%") ESCAPE '\\'
                         OR LOWER(mrn) = \(bind: lowered))
                    """
            }
            let total = try await sql.raw("SELECT COUNT(*) AS n FROM patients WHERE clinic_id = \(bind: clinicId) \(filter)")
                .first()!.decode(column: "n", as: Int.self)
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM patients WHERE clinic_id = \(bind: clinicId) \(filter)
                ORDER BY family_name, given_name, id LIMIT \(bind: page.perPage) OFFSET \(bind: page.offset)
                """).all()
            let patients = try rows.map(Self.decode)
            try await AuditTrail.append(AuditEvent(action: "patient.search", recordType: "patient",
                                                   details: ["results": String(total),
                                                             "shown": patients.map { $0.id.lower }.joined(separator: ",")]),
                                        by: actor, engine: engine, on: sql)
            return Page(items: patients, page: page.page, perPage: page.perPage, total: total)
        }
    }

    /// Escapes LIKE wildcards so a typed `%` or `_` matches itself.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    public func count(clinicId: UUID) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM patients WHERE clinic_id = \(bind: clinicId)").first()!.decode(column: "n", as: Int.self)
        }
    }
}
