import Foundation
import Logging
import NIOCore
import ScarCore
import SQLKit

/// SQLite keeps ids as text; the driver's row decoder reads a `UUID` through `Codable` and
/// Foundation's parser (`sscanf`), which was the largest single cost of reading rows in a Bulk
/// Data export (issue 15). Rows read through this wrapper decode `UUID` and `UUID?` columns with
/// `UUID(text:)` instead, the same value; every other type (and a model decoded from the row,
/// whose ids come through here too) goes to the driver as before.
struct TextIDSQLDatabase: SQLDatabase {
    let base: any SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query) { onRow(TextIDRow(base: $0)) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query) { onRow(TextIDRow(base: $0)) }
    }
}

struct TextIDRow: SQLRow {
    let base: any SQLRow

    var allColumns: [String] { base.allColumns }
    func contains(column: String) -> Bool { base.contains(column: column) }
    func decodeNil(column: String) throws -> Bool { try base.decodeNil(column: column) }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        if D.self == UUID.self { return try id(column) as! D }
        if D.self == UUID?.self { return try (base.decodeNil(column: column) ? nil : id(column)) as! D }
        return try base.decode(column: column, as: D.self)
    }

    private func id(_ column: String) throws -> UUID {
        if let text = try? base.decode(column: column, as: String.self), let id = UUID(text: text) { return id }
        return try base.decode(column: column, as: UUID.self)
    }
}
