import Foundation
import ScarCore
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Several app servers on one database must MAC the audit trail under one key: the first key is
/// recorded, another is refused, and a key that cannot verify the newest MAC'd entry is refused.
@Suite("Audit key shared by every server")
struct AuditKeyRegistryTests {
    @Test func theFirstKeyIsRecordedAndAnotherIsRefused() async throws {
        try await TestDatabase.with { db in
            let first = AuditKey.random(), other = AuditKey.random()
            #expect(try await db.checkAuditKey(first) == nil)
            #expect(try await db.checkAuditKey(first) == nil, "the same key again is fine (a restart, another server)")
            let refusal = try #require(try await db.checkAuditKey(other))
            #expect(refusal.contains(first.id) && refusal.contains(other.id))
        }
    }

    @Test func aKeyThatCannotVerifyTheNewestMACIsRefused() async throws {
        try await TestDatabase.with { db in
            let key = AuditKey.random()
            db.useAuditKey(key)
            _ = try await Fixtures.clinic(db)  // writes a MAC'd audit entry
            try await db.write { sql in try await sql.raw("DELETE FROM audit_key_id").run() }  // as before this check existed
            let refusal = try #require(try await db.checkAuditKey(AuditKey.random()))
            #expect(refusal.contains("does not verify"))
            #expect(try await db.checkAuditKey(key) == nil)
        }
    }
}
