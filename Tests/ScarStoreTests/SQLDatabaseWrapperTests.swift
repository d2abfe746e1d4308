import Foundation
@testable import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// The connections repositories get are wrappers (`SQLDatabaseWrapper`: counted, audit-keyed, the
/// export's snapshot); each must show its connection's dialect and log level, not SQLKit's defaults.
@Suite("SQL database wrappers")
struct SQLDatabaseWrapperTests {
    @Test func everyWrapperForwardsItsConnectionsDialectAndLogLevel() async throws {
        try await TestDatabase.with { db in
            let dialect = db.engine == .sqlite ? "sqlite" : "postgresql"
            @Sendable func shown(_ sql: any SQLDatabase) -> String { "\(sql.dialect.name) \(sql.queryLogLevel.map { "\($0)" } ?? "none")" }
            let seen: [String] = try await db.read { (sql: any SQLDatabase) in
                let counted = try #require(sql as? CountingSQLDatabase)
                let keyed = AuditKeyedSQLDatabase(base: counted, auditKey: try AuditKey(bytes: [UInt8](repeating: 7, count: 32)))
                return [shown(counted.base), shown(counted), shown(keyed)]
            }
            let snapshot: String = try await db.snapshot { (sql: any SQLDatabase) in shown(sql) }
            // The connections log SQL at trace; SQLKit's default for a database that does not say is debug.
            #expect(seen + [snapshot] == Array(repeating: "\(dialect) trace", count: 4))
        }
    }
}
