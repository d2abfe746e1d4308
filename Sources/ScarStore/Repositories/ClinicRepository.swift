import Foundation
import ScarCore
import SQLKit

/// Clinics of one installation, for its operator: list them with their sizes, and add one
/// together with its first administrator. Never reads or returns patient data (only counts).
public struct ClinicRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct Summary: Sendable, Equatable, Codable {
        public var id: UUID
        public var name: String
        public var timeZone: String
        public var staffCount: Int
        public var patientCount: Int
    }

    /// Every clinic, oldest first, with how many staff accounts and patients it has.
    public func summaries() async throws -> [Summary] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT c.id, c.name, c.time_zone,
                       (SELECT COUNT(*) FROM staff_users s WHERE s.clinic_id = c.id) AS staff_count,
                       (SELECT COUNT(*) FROM patients p WHERE p.clinic_id = c.id) AS patient_count
                FROM clinics c ORDER BY c.created_at, c.name
                """).all().map { row in
                Summary(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                        timeZone: try row.decode(column: "time_zone", as: String.self),
                        staffCount: try row.decode(column: "staff_count", as: Int.self),
                        patientCount: try row.decode(column: "patient_count", as: Int.self))
            }
        }
    }

    /// Adds a clinic and its first administrator (a one-time password, already hashed, that
    /// must be changed at first sign-in) in one transaction, audited as `clinic.create` and
    /// `staff.create` in the new clinic's trail. A clinic name already used (ignoring case) is
    /// `duplicate(field: "name")`; an email that already has an account `duplicate(field: "adminEmail")`.
    /// Everything a clinic needs beyond this row (rule set, protocol templates, schedule,
    /// charting and analytics settings, post-care sheets) starts from the shipped defaults on
    /// first use, exactly as for the first clinic.
    public func create(_ new: NewClinic, adminPasswordHash: String, by actor: AuditActor, now: Date = Date())
        async throws -> (clinic: Clinic, admin: StaffUser) {
        let engine = db.engine
        let clinic = Clinic(id: UUID(), name: new.name, timeZone: new.timeZone)
        let admin = StaffUser(id: UUID(), clinicId: clinic.id, email: new.adminEmail.lowercased(), displayName: new.adminName, role: .admin,
                              active: true, passwordChangedAt: now, version: 1, mustChangePassword: true)
        try await db.write { sql in
            // Two operators adding the same name at once: one waits for the other (SQLite's writes are serialized anyway).
            if engine == .postgres { try await sql.raw("SELECT pg_advisory_xact_lock(7345015)").run() }
            let clashes = try await sql.raw("SELECT 1 AS x FROM clinics WHERE LOWER(name) = LOWER(\(bind: clinic.name))").first()
            if clashes != nil { throw StoreError.duplicate(field: "name") }
            if try await sql.raw("SELECT 1 AS x FROM staff_users WHERE email = \(bind: admin.email)").first() != nil {
                throw StoreError.duplicate(field: "adminEmail")
            }
            try await sql.raw("""
                INSERT INTO clinics (id, name, time_zone, created_at)
                VALUES (\(bind: clinic.id), \(bind: clinic.name), \(bind: clinic.timeZone), \(bind: now))
                """).run()
            try await sql.raw("""
                INSERT INTO staff_users (id, clinic_id, email, display_name, role, password_hash, active,
                                         password_changed_at, created_at, version, must_change_password)
                VALUES (\(bind: admin.id), \(bind: clinic.id), \(bind: admin.email), \(bind: admin.displayName), \(bind: Role.admin.rawValue),
                        \(bind: adminPasswordHash), \(bind: true), \(bind: now), \(bind: now), \(bind: 1), \(bind: true))
                """).run()
            var actor = actor
            actor.clinicId = clinic.id
            try await AuditTrail.append(AuditEvent(action: "clinic.create", recordType: "clinic", recordId: clinic.id.uuidString,
                                                   details: ["timeZone": clinic.timeZone]),
                                        by: actor, engine: engine, on: sql, now: now)
            try await AuditTrail.append(AuditEvent(action: "staff.create", recordType: "staff", recordId: admin.id.uuidString,
                                                   details: ["role": Role.admin.rawValue, "oneTimePassword": "true"]),
                                        by: actor, engine: engine, on: sql, now: now)
        }
        return (clinic, admin)
    }
}
