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
        var mustChangePassword: Bool

        var user: StaffUser? {
            guard let role = Role(rawValue: role) else { return nil }
            return StaffUser(id: id, clinicId: clinicId, email: email, displayName: displayName, role: role,
                             active: active, passwordChangedAt: passwordChangedAt, version: version,
                             mustChangePassword: mustChangePassword)
        }
    }

    static let userColumns = "id, clinic_id, email, display_name, role, active, password_changed_at, version, password_hash, must_change_password"

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

    /// The first administrator of an installation, created only while there is no staff account
    /// at all, under the migrations' lock (PostgreSQL advisory lock 7345001; SQLite serializes
    /// writers): several servers starting at once on an empty database make one clinic and one
    /// admin, and every other server gets nil. Uses the only clinic, or creates `clinicName`.
    public func createFirstAdmin(email: String, displayName: String, passwordHash: String, clinicName: String,
                                 timeZone: String) async throws -> (clinic: Clinic, user: StaffUser)? {
        let engine = db.engine
        return try await db.write { sql in
            if engine == .postgres { try await sql.raw("SELECT pg_advisory_xact_lock(7345001)").run() }
            let staff = try await sql.raw("SELECT COUNT(*) AS n FROM staff_users").first()!.decode(column: "n", as: Int.self)
            guard staff == 0 else { return nil }
            let clinics = try await sql.raw("SELECT id, name, time_zone FROM clinics ORDER BY created_at, name").all()
                .map { try $0.decode(model: Clinic.self, keyDecodingStrategy: .convertFromSnakeCase) }
            guard clinics.count <= 1 else {
                throw StoreError.configuration("This installation has \(clinics.count) clinics and no staff: add the first admin with scartrack user add --clinic")
            }
            let now = Date()
            var clinic = clinics.first
            if clinic == nil {
                let created = Clinic(id: UUID(), name: clinicName, timeZone: timeZone)
                try await sql.raw("""
                    INSERT INTO clinics (id, name, time_zone, created_at)
                    VALUES (\(bind: created.id), \(bind: created.name), \(bind: created.timeZone), \(bind: now))
                    """).run()
                try await AuditTrail.append(AuditEvent(action: "clinic.create", recordType: "clinic", recordId: created.id.uuidString),
                                            by: .commandLine(clinicId: created.id), engine: engine, on: sql)
                clinic = created
            }
            let user = StaffUser(id: UUID(), clinicId: clinic!.id, email: email.lowercased(), displayName: displayName, role: .admin,
                                 active: true, passwordChangedAt: now, version: 1, mustChangePassword: true)
            try await sql.raw("""
                INSERT INTO staff_users (id, clinic_id, email, display_name, role, password_hash, active,
                                         password_changed_at, created_at, version, must_change_password)
                VALUES (\(bind: user.id), \(bind: user.clinicId), \(bind: user.email), \(bind: displayName), \(bind: Role.admin.rawValue),
                        \(bind: passwordHash), \(bind: true), \(bind: now), \(bind: now), \(bind: 1), \(bind: true))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "staff.create", recordType: "staff", recordId: user.id.uuidString,
                                                   details: ["role": Role.admin.rawValue]),
                                        by: .commandLine(clinicId: clinic!.id), engine: engine, on: sql)
            return (clinic!, user)
        }
    }

    /// Creates a staff account; `email` is stored lower-cased. Throws `duplicate(email)`.
    public func createUser(clinicId: UUID, email: String, displayName: String, role: Role, passwordHash: String,
                           mustChangePassword: Bool = false, by actor: AuditActor) async throws -> StaffUser {
        let now = Date()
        let user = StaffUser(id: UUID(), clinicId: clinicId, email: email.lowercased(), displayName: displayName, role: role,
                             active: true, passwordChangedAt: now, version: 1, mustChangePassword: mustChangePassword)
        let engine = db.engine
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO staff_users (id, clinic_id, email, display_name, role, password_hash, active,
                                         password_changed_at, created_at, version, must_change_password)
                VALUES (\(bind: user.id), \(bind: clinicId), \(bind: user.email), \(bind: displayName), \(bind: role.rawValue),
                        \(bind: passwordHash), \(bind: true), \(bind: now), \(bind: now), \(bind: 1), \(bind: mustChangePassword))
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

    /// A new password: every session of the user ends (the caller opens a fresh one), the
    /// one-time-password flag clears, and the change is audited, in one transaction.
    public func changePassword(userId: UUID, newHash: String, by actor: AuditActor, now: Date = Date()) async throws {
        let engine = db.engine
        try await db.write { sql in
            try await sql.raw("""
                UPDATE staff_users SET password_hash = \(bind: newHash), password_changed_at = \(bind: now),
                       must_change_password = \(bind: false), version = version + 1
                WHERE id = \(bind: userId)
                """).run()
            try await SignInRepository.closeAll(userId: userId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "staff.password-change", recordType: "staff", recordId: userId.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
        }
    }

    public enum ChangeError: Error, Equatable {
        case notFound
        case stale(current: Int)
    }

    /// An admin's change to a colleague's role or active flag, scoped to the admin's clinic
    /// and checked against the version the admin saw. Disabling ends every session at once.
    /// Audited as a permission change in the same transaction.
    public func changeAccess(userId: UUID, clinicId: UUID, role: Role? = nil, active: Bool? = nil, expectedVersion: Int,
                             by actor: AuditActor) async throws -> StaffUser {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await sql.raw("""
                SELECT \(unsafeRaw: Self.userColumns) FROM staff_users WHERE id = \(bind: userId) AND clinic_id = \(bind: clinicId)
                """).first(), var user = try row.decode(model: UserRow.self, keyDecodingStrategy: .convertFromSnakeCase).user
            else { throw ChangeError.notFound }
            guard user.version == expectedVersion else { throw ChangeError.stale(current: user.version) }
            var details: [String: String] = [:]
            if let role, role != user.role { details["role"] = "\(user.role.rawValue) -> \(role.rawValue)"; user.role = role }
            if let active, active != user.active { details["active"] = "\(user.active) -> \(active)"; user.active = active }
            guard !details.isEmpty else { return user }
            user.version += 1
            try await sql.raw("""
                UPDATE staff_users SET role = \(bind: user.role.rawValue), active = \(bind: user.active), version = \(bind: user.version)
                WHERE id = \(bind: userId) AND clinic_id = \(bind: clinicId) AND version = \(bind: expectedVersion)
                """).run()
            if !user.active {
                try await SignInRepository.closeAll(userId: userId, on: sql)
            }
            let action = active == false && details["active"] != nil ? "staff.disable" : active == true && details["active"] != nil ? "staff.enable" : "staff.role-change"
            try await AuditTrail.append(AuditEvent(action: action, recordType: "staff", recordId: userId.uuidString, details: details),
                                        by: actor, engine: engine, on: sql)
            return user
        }
    }
}
