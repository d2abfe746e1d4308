import Foundation

/// Where the clinic's data lives: an embedded SQLite file (the default, no setup) or a
/// PostgreSQL server shared by several app servers.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// `SCARTRACK_DATABASE_URL` wins when set; otherwise a SQLite file under the data directory.
    public static func from(databaseURL: String?, dataDirectory: String) throws -> StoreLocation {
        if let url = databaseURL?.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url: url) }
            if url.hasPrefix("sqlite://") { return .sqlite(path: String(url.dropFirst("sqlite://".count))) }
            throw StoreError.configuration("SCARTRACK_DATABASE_URL must start with postgres:// (or sqlite:// for a file)")
        }
        return .sqlite(path: (dataDirectory as NSString).appendingPathComponent("scartrack.sqlite"))
    }

    public var engine: Engine {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Safe to log: never includes a password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite file \(path)"
        case .postgres(let url):
            guard var c = URLComponents(string: url) else { return "PostgreSQL" }
            c.password = c.password == nil ? nil : "***"
            return "PostgreSQL \(c.string ?? "")"
        }
    }
}

public enum Engine: String, Sendable {
    case sqlite, postgres
}
