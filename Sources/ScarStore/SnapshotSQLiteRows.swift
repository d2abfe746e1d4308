import Foundation
import Logging
import NIOCore
import ScarCore
import SQLiteKit
import SQLiteNIO
import SQLKit

/// The SQLite side of `ScarDatabase.snapshot`, which reads a whole clinic for a Bulk Data export
/// (issue 15). Statements are serialized and their values bound exactly as SQLiteKit does, but:
/// - they run on the pooled connection's own `SQLiteConnection`, whose rows reach `onRow` on the
///   thread that steps the statement; through Fluent's wrapper every row was first submitted to
///   an event loop as a task of its own;
/// - rows come straight from the driver (`SQLiteRow`), and the column types the export reads
///   most (text, integers, reals, instants, ids) are read from the stored value directly.
///   SQLiteKit's row decoder goes through `Codable` and a protocol cast for every column, and
///   Foundation's `UUID(uuidString:)` (`sscanf`) for every id: about a tenth of an export's time.
///   Anything else (a model decoded from the row, JSON, a value stored unusually) goes to
///   SQLiteKit's decoder, the same value as before.
struct SnapshotSQLiteDatabase: SQLDatabaseWrapper {
    /// The pooled connection as SQLKit sees it (logger, dialect) and the driver's connection under it (queries).
    let base: any SQLDatabase
    let connection: SQLiteConnection

    /// One of each for every statement and row, as SQLiteKit keeps one per connection (each holds a JSON coder).
    static let encoder = SQLiteDataEncoder()
    static let decoder = SQLiteDataDecoder()

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let (sql, rawBinds) = serialize(query)
        do {
            let binds = try rawBinds.map { try Self.encoder.encode($0) }
            return connection.query(sql, binds, logger: logger) { onRow(SnapshotSQLiteRow(row: $0)) }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (sql, rawBinds) = serialize(query)
        try await connection.query(sql, try rawBinds.map { try Self.encoder.encode($0) }) { onRow(SnapshotSQLiteRow(row: $0)) }
    }
}

struct SnapshotSQLiteRow: SQLRow {
    /// The row's columns in order, taken once: a column is found by comparing its (short) name
    /// along them, not by hashing it into the driver's table for every value read.
    private let columns: [SQLiteColumn]

    init(row: SQLiteRow) {
        columns = row.columns
    }

    private func value(_ name: String) -> SQLiteData? {
        for column in columns where column.name == name { return column.data }
        return nil
    }

    struct MissingColumn: Error {
        let column: String
    }

    var allColumns: [String] { columns.map(\.name) }
    func contains(column: String) -> Bool { value(column) != nil }
    func decodeNil(column: String) throws -> Bool { (value(column) ?? .null) == .null }

    /// The same values SQLiteKit's decoder gives (`SQLiteDataConvertible`), without its casts;
    /// `unsafeBitCast` only where `D` has just been compared equal to the value's type.
    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = value(column) else { throw MissingColumn(column: column) }
        // An instant is stored as seconds (a real, or an integer when whole).
        if D.self == Date.self || D.self == Date?.self, let date = Date(sqliteData: data) {
            return D.self == Date.self ? unsafeBitCast(date, to: D.self) : unsafeBitCast(Optional(date), to: D.self)
        }
        switch data {
        case .text(let text):
            if D.self == String.self { return unsafeBitCast(text, to: D.self) }
            if D.self == String?.self { return unsafeBitCast(Optional(text), to: D.self) }
            if D.self == UUID.self, let id = UUID(text: text) { return unsafeBitCast(id, to: D.self) }
            if D.self == UUID?.self, let id = UUID(text: text) { return unsafeBitCast(Optional(id), to: D.self) }
        case .integer(let value):
            if D.self == Int.self { return unsafeBitCast(value, to: D.self) }
            if D.self == Int?.self { return unsafeBitCast(Optional(value), to: D.self) }
            if D.self == Bool.self, let bool = Bool(sqliteData: data) { return unsafeBitCast(bool, to: D.self) }
            if D.self == Double.self { return unsafeBitCast(Double(value), to: D.self) }
        case .float(let value):
            if D.self == Double.self { return unsafeBitCast(value, to: D.self) }
            if D.self == Double?.self { return unsafeBitCast(Optional(value), to: D.self) }
        case .null:
            if D.self == String?.self { return unsafeBitCast(String?.none, to: D.self) }
            if D.self == UUID?.self { return unsafeBitCast(UUID?.none, to: D.self) }
            if D.self == Int?.self { return unsafeBitCast(Int?.none, to: D.self) }
            if D.self == Date?.self { return unsafeBitCast(Date?.none, to: D.self) }
            if D.self == Double?.self { return unsafeBitCast(Double?.none, to: D.self) }
        case .blob:
            break
        }
        return try SnapshotSQLiteDatabase.decoder.decode(D.self, from: data)
    }
}
