import Foundation
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

@Suite("Two-factor (TOTP) and audit privileges")
struct TwoFactorStoreTests {
    let actor = AuditActor(clinicId: nil, userId: nil, label: "store-test", clientAddress: "127.0.0.1")

    /// RFC 6238 Appendix B: every time and algorithm of the table, 8 digits, with the seeds the
    /// RFC uses for SHA-1 (20 bytes), SHA-256 (32) and SHA-512 (64).
    @Test func rfc6238AppendixBTestVectors() {
        let seed20 = Array("12345678901234567890".utf8)
        let seed32 = Array("12345678901234567890123456789012".utf8)
        let seed64 = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)
        let table: [(Int64, String, String, String)] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ]
        for (time, sha1, sha256, sha512) in table {
            let step = TOTP.step(at: Date(timeIntervalSince1970: TimeInterval(time)))
            #expect(TOTPGenerator.code(secret: seed20, step: step, algorithm: .sha1, digits: 8) == sha1, "SHA-1 at \(time)")
            #expect(TOTPGenerator.code(secret: seed32, step: step, algorithm: .sha256, digits: 8) == sha256, "SHA-256 at \(time)")
            #expect(TOTPGenerator.code(secret: seed64, step: step, algorithm: .sha512, digits: 8) == sha512, "SHA-512 at \(time)")
        }
        // The 6-digit codes apps show are the last six digits of the same number.
        #expect(TOTPGenerator.code(secret: seed20, step: TOTP.step(at: Date(timeIntervalSince1970: 59))) == "287082")
    }

    @Test func base32RoundTripsAndTheURIIsWhatAppsRead() {
        #expect(Base32.encode(Array("12345678901234567890".utf8)) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")  // RFC 4648 §10 (without padding)
        #expect(Base32.decode("mzxw 6ytb-oi======") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
        let uri = TOTP.authenticatorURI(secret: Array("12345678901234567890".utf8), account: "a.b@clinic.example", issuer: "ScarTrack")
        #expect(uri == "otpauth://totp/ScarTrack%3Aa.b@clinic.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ScarTrack&algorithm=SHA1&digits=6&period=30")
        #expect(TOTP.normalizedCode(" 123 456 ") == "123456")
        #expect(TOTP.normalizedCode("12345a") == nil)
        var rng = SystemRandomNumberGenerator()
        let codes = RecoveryCodes.generate(using: &rng)
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { RecoveryCodes.normalized($0.uppercased()) != nil })
    }

    @Test func enrolVerifyOnceRecoveryCodesOnceDisable() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let user = try await Fixtures.staff(db, clinic: clinic, role: .admin)
            let repo = TwoFactorRepository(db)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let secret = try #require(try await repo.pendingSecret(userId: user.id, now: now))
            #expect(try await repo.pendingSecret(userId: user.id, now: now) == secret, "the pending secret is kept until confirmed")
            let step = TOTP.step(at: now)
            let codes = ["abcde-fghjk", "mnpqr-stuvw"]
            let right = TOTPGenerator.code(secret: secret, step: step)
            let wrong = String(format: "%06d", (Int(right)! + 1) % 1_000_000)
            #expect(try await !repo.enable(user: user, code: wrong, recoveryCodes: codes, by: actor, now: now))
            #expect(try await repo.enable(user: user, code: TOTPGenerator.code(secret: secret, step: step), recoveryCodes: codes, by: actor, now: now))
            #expect(try await repo.status(userId: user.id) == .init(enabled: true, pendingSecret: nil, recoveryCodesLeft: 2))

            // The enrolment code's step is spent; the next step works once; a replay is refused.
            let next = TOTPGenerator.code(secret: secret, step: step + 1)
            #expect(try await repo.verify(userId: user.id, code: TOTPGenerator.code(secret: secret, step: step), by: actor, now: now) == .reused)
            #expect(try await repo.verify(userId: user.id, code: next, by: actor, now: now.addingTimeInterval(30)) == .accepted)
            #expect(try await repo.verify(userId: user.id, code: next, by: actor, now: now.addingTimeInterval(45)) == .reused)
            // Outside ±1 step: refused.
            #expect(try await repo.verify(userId: user.id, code: TOTPGenerator.code(secret: secret, step: step + 5), by: actor,
                                          now: now.addingTimeInterval(30)) == .wrong)
            // Recovery codes: any case and dashes, once each.
            #expect(try await repo.verify(userId: user.id, code: "ABCDE FGHJK", by: actor, now: now) == .recoveryCodeUsed(left: 1))
            #expect(try await repo.verify(userId: user.id, code: "abcde-fghjk", by: actor, now: now) == .wrong)
            // Only hashes are stored.
            let stored = try await db.read { sql in
                try await sql.raw("SELECT code_hash FROM staff_recovery_codes").all().map { try $0.decode(column: "code_hash", as: String.self) }
            }
            #expect(stored.count == 2 && stored.allSatisfy { $0.count == 64 && !$0.contains("abcde") })

            try await repo.disable(userId: user.id, by: actor)
            #expect(try await repo.status(userId: user.id).enabled == false)
            try await db.read { sql in
                let audited = try await sql.raw("SELECT action FROM audit_log ORDER BY seq").all().map { try $0.decode(column: "action", as: String.self) }
                #expect(audited.contains("auth.2fa-enable"))
                #expect(audited.contains("auth.2fa-recovery-code-used"))
                #expect(audited.contains("auth.2fa-disable"))
            }
            #expect(try await AuditRepository(db).verify().intact)
        }
    }

    /// PostgreSQL: the server's own role (not the owner that migrates) may add audit entries
    /// but UPDATE, DELETE and TRUNCATE on `audit_log` fail with a permission error — before any
    /// trigger is consulted — while it can still do its ordinary work.
    @Test(.enabled(if: TestDatabase.engine == .postgres, "roles and GRANT are PostgreSQL's"))
    func theApplicationRoleCanOnlyAppendToTheAuditTrail() async throws {
        try await TestDatabase.with { owner in
            _ = try await Fixtures.clinic(owner)
            let role = "scartrack_app_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
            try await owner.write { sql in try await sql.raw("CREATE ROLE \(ident: String(role)) LOGIN").run() }
            try await Migrator.grantApplicationRole(owner, role: String(role))
            guard case .postgres(let url) = owner.location, var components = URLComponents(string: url) else {
                Issue.record("not a PostgreSQL location"); return
            }
            components.user = String(role)
            components.password = nil
            let app = try ScarDatabase(location: .postgres(url: components.string!), logger: TestDatabase.logger,
                                       connectionsPerEventLoop: 1, connectionTimeout: 60)
            do {
                // Starting the server as this role: the schema is current, nothing to create.
                #expect(try await Migrator.migrate(app).isEmpty)
                // Ordinary work, including appending to the audit trail, works.
                _ = try await StaffRepository(app).createClinic(name: "Role Clinic", timeZone: "Europe/London", by: actor)
                for statement in ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                    do {
                        try await app.write { sql in try await sql.raw(SQLQueryString(statement)).run() }
                        Issue.record("\(statement) was allowed for the application role")
                    } catch {
                        let text = String(reflecting: error)
                        #expect(text.contains("42501") || text.contains("permission denied"), "\(statement): \(text)")
                    }
                }
                #expect(try await AuditRepository(app).verify().intact)
            } catch {
                await app.shutdown()
                throw error
            }
            await app.shutdown()
            try await owner.write { sql in
                try await sql.raw("DROP OWNED BY \(ident: String(role))").run()
                try await sql.raw("DROP ROLE \(ident: String(role))").run()
            }
        }
    }
}
