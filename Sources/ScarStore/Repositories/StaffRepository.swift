import Foundation
import ScarCore
import SQLKit

/// Clinics and staff accounts. Password hashes come in already hashed (hashing is the
/// server's job, kept off its request executor) and leave only through `credentials`.
public struct StaffRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    struct UserRow: Decodable {
        var id: UUID
        var clinicId: UUID
        var email: String
        var displayName: String
        var role: String
        var active: Bool
        var passwordChangedAt: Date
        var version: Int
        var passwordHash: String

        var user: StaffUser? {
            guard let role = Role(rawValue: role) else { return nil }
            return StaffUser(id: id, clinicId: clinicId, email: email, displayName: displayName, role: role,
                             active: active, passwordChangedAt: passwordChangedAt, version: version)
        }
    }

    static let userColumns = "id, clinic_id, email, display_name, role, active, password_changed_at, version, password_hash"

    public func countUsers() async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM staff_users").first()!.decode(column: "n", as: Int.self)
        }
    }

    public func clinics() async throws -> [Clinic] {
        try await db.read { sql in
            try await sql.raw("SELECT id, name, time_zone FROM clinics ORDER BY created_at, name").all()
                .map { try $0.decode(model: Clinic.self, keyDecodingStrategy: .convertFromSnakeCase) }
        }
    }

    public func clinic(id: UUID) async throws -> Clinic? {
        try await db.read { sql in
            try await sql.raw("SELECT id, name, time_zone FROM clinics WHERE id = \(bind: id)").first()?
                .decode(model: Clinic.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    public func createClinic(name: String, timeZone: String, by actor: AuditActor) async throws -> Clinic {
        let clinic = Clinic(id: UUID(), name: name, timeZone: timeZone)
        let engine = db.engine
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO clinics (id, name, time_zone, created_at)
                VALUES (\(bind: clinic.id), \(bind: clinic.name), \(bind: clinic.timeZone), \(bind: Date()))
                """).run()
            var actor = actor
            actor.clinicId = clinic.id
            try await AuditTrail.append(AuditEvent(action: "clinic.create", recordType: "clinic", recordId: clinic.id.uuidString),
                                        by: actor, engine: engine, on: sql)
        }
        return clinic
    }

    /// Creates a staff account; `email` is stored lower-cased. Throws `duplicate(email)`.
    public func createUser(clinicId: UUID, email: String, displayName: String, role: Role, passwordHash: String,
                           by actor: AuditActor) async throws -> StaffUser {
        let now = Date()
        let user = StaffUser(id: UUID(), clinicId: clinicId, email: email.lowercased(), displayName: displayName, role: role,
                             active: true, passwordChangedAt: now, version: 1)
        let engine = db.engine
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO staff_users (id, clinic_id, email, display_name, role, password_hash, active,
                                         password_changed_at, created_at, version)
                VALUES (\(bind: user.id), \(bind: clinicId), \(bind: user.email), \(bind: displayName), \(bind: role.rawValue),
                        \(bind: passwordHash), \(bind: true), \(bind: now), \(bind: now), \(bind: 1))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "staff.create", recordType: "staff", recordId: user.id.uuidString,
                                                   details: ["role": role.rawValue]),
                                        by: actor, engine: engine, on: sql)
        }
        return user
    }

    /// The account and its password hash, for sign-in only.
    public func credentials(email: String) async throws -> (user: StaffUser, passwordHash: String)? {
        try await db.read { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM staff_users WHERE email = \(bind: email.lowercased())").first()
            else { return nil }
            let r = try row.decode(model: UserRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            return r.user.map { ($0, r.passwordHash) }
        }
    }

    public func user(id: UUID) async throws -> StaffUser? {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM staff_users WHERE id = \(bind: id)").first()?
                .decode(model: UserRow.self, keyDecodingStrategy: .convertFromSnakeCase).user
        }
    }

    public func users(clinicId: UUID) async throws -> [StaffUser] {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM staff_users WHERE clinic_id = \(bind: clinicId) ORDER BY display_name")
                .all().compactMap { try $0.decode(model: UserRow.self, keyDecodingStrategy: .convertFromSnakeCase).user }
        }
    }
}
