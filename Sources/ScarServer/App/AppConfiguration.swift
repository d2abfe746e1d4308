import Foundation
import ScarStore

/// Everything the server reads from its environment, in one place, with the variable names
/// listed so a wrong value produces a message that says which one.
public struct AppConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var dataDirectory: String = "./data"
    public var databaseURL: String?
    /// Adds `Secure` to cookies; set when the server is reached over HTTPS (directly or via a proxy).
    public var secureCookies: Bool = false
    public var sessionIdleTimeout: TimeInterval = 30 * 60
    public var sessionAbsoluteTimeout: TimeInterval = 12 * 60 * 60
    public var bcryptCost: UInt8 = 12
    public var maxJSONBodyBytes: Int = 256 * 1024
    public var maxFormBodyBytes: Int = 256 * 1024
    /// Largest accepted photo file (`SCARTRACK_MAX_PHOTO_MB`); upload bodies may be a little larger.
    public var maxPhotoBytes: Int = 15 * 1024 * 1024

    public init() {}

    public static let variables: [(name: String, meaning: String)] = [
        ("SCARTRACK_DATABASE_URL", "postgres://user:password@host:5432/db to use PostgreSQL; unset for the embedded SQLite file"),
        ("SCARTRACK_DATA_DIR", "folder for the SQLite file and uploaded files (default ./data)"),
        ("SCARTRACK_SECURE_COOKIES", "true when served over HTTPS: cookies get the Secure flag (default false)"),
        ("SCARTRACK_SESSION_IDLE_MINUTES", "sign out after this many idle minutes (default 30)"),
        ("SCARTRACK_SESSION_MAX_HOURS", "sign out after this many hours in any case (default 12)"),
        ("SCARTRACK_BCRYPT_COST", "bcrypt cost for staff passwords, 12 to 16 (default 12)"),
        ("SCARTRACK_MAX_PHOTO_MB", "largest photo upload in MiB, 1 to 100 (default 15)"),
        ("SCARTRACK_LOG_LEVEL", "trace, debug, info, notice, warning, error (default info)"),
    ]

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        var c = AppConfiguration()
        if let v = env["SCARTRACK_DATA_DIR"], !v.isEmpty { c.dataDirectory = v }
        if let v = env["SCARTRACK_DATABASE_URL"], !v.isEmpty { c.databaseURL = v }
        if let v = env["SCARTRACK_SECURE_COOKIES"] {
            guard let b = Self.bool(v) else { throw ConfigurationError("SCARTRACK_SECURE_COOKIES must be true or false, not \(v)") }
            c.secureCookies = b
        }
        if let v = env["SCARTRACK_SESSION_IDLE_MINUTES"] {
            guard let m = Int(v), m >= 1, m <= 24 * 60 else { throw ConfigurationError("SCARTRACK_SESSION_IDLE_MINUTES must be 1 to 1440") }
            c.sessionIdleTimeout = TimeInterval(m * 60)
        }
        if let v = env["SCARTRACK_SESSION_MAX_HOURS"] {
            guard let h = Int(v), h >= 1, h <= 24 * 7 else { throw ConfigurationError("SCARTRACK_SESSION_MAX_HOURS must be 1 to 168") }
            c.sessionAbsoluteTimeout = TimeInterval(h * 3600)
        }
        if let v = env["SCARTRACK_BCRYPT_COST"] {
            guard let cost = UInt8(v), (12...16).contains(cost) else { throw ConfigurationError("SCARTRACK_BCRYPT_COST must be 12 to 16") }
            c.bcryptCost = cost
        }
        if let v = env["SCARTRACK_MAX_PHOTO_MB"] {
            guard let mb = Int(v), (1...100).contains(mb) else { throw ConfigurationError("SCARTRACK_MAX_PHOTO_MB must be 1 to 100") }
            c.maxPhotoBytes = mb * 1024 * 1024
        }
        return c
    }

    public func storeLocation() throws -> StoreLocation {
        try StoreLocation.from(databaseURL: databaseURL, dataDirectory: dataDirectory)
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off", "": false
        default: nil
        }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
