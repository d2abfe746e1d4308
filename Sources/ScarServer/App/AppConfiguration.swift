import Foundation
import Logging
import ScarCore
import ScarStore

/// Everything the server reads from its environment, in one place, with the variable names
/// listed so a wrong value produces a message that says which one.
public struct AppConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var dataDirectory: String = "./data"
    /// Where photo bytes are kept (`SCARTRACK_PHOTO_STORE`): the data folder (one server) or the
    /// database (several app servers sharing one PostgreSQL).
    public var photoStore: PhotoStoreKind = .folder
    public var databaseURL: String?
    /// Where every request's "now" comes from (`AppContext.now`); tests pin it.
    public var clock: ClinicClock = .system
    /// Adds `Secure` to cookies; set when the server is reached over HTTPS (directly or via a proxy).
    public var secureCookies: Bool = false
    /// The address patients reach the server at (`https://portal.clinic.example`), for the links in
    /// portal e-mails. Unset: e-mails carry the code only (a link is never built from a request's Host).
    public var publicURL: String?
    public var sessionIdleTimeout: TimeInterval = 30 * 60
    public var sessionAbsoluteTimeout: TimeInterval = 12 * 60 * 60
    public var bcryptCost: UInt8 = 12
    /// Administrators must turn on two-factor sign-in before they can use anything else
    /// (`SCARTRACK_REQUIRE_ADMIN_2FA`, default true). Test harnesses switch it off unless they test it.
    public var requireAdminTwoFactor: Bool = true
    public var maxJSONBodyBytes: Int = 256 * 1024
    public var maxFormBodyBytes: Int = 256 * 1024
    /// Largest accepted photo file (`SCARTRACK_MAX_PHOTO_MB`); upload bodies may be a little larger.
    public var maxPhotoBytes: Int = 15 * 1024 * 1024
    /// How patient messages leave the outbox (`SCARTRACK_MESSAGE_SENDER`).
    public var messageSender: MessageSenderChoice = .log
    /// Seconds between outbox passes while serving; nil (the default outside `serve`) runs none.
    public var outboxIntervalSeconds: Int?
    /// The installation operator's bearer token for `/api/v1/operator/...` (`SCARTRACK_OPERATOR_TOKEN`);
    /// nil (the default) closes the operator API.
    public var operatorToken: String?
    /// Load balancers whose `Forwarded` / `X-Forwarded-For` is believed (none by default).
    public var trustedProxies = TrustedProxies.none
    /// When set, `/metrics` answers only a scraper sending it as a bearer token.
    public var metricsToken: String?
    /// FHIR: the canonical base of ScarTrack's local code systems and extensions
    /// (`SCARTRACK_FHIR_BASE`); nil uses the placeholder `FHIRCodes` documents.
    public var fhirCanonicalBase: String?
    /// FHIR Bulk Data export: how long a client should wait between status polls (sooner is 429),
    /// how long a job and its files are kept, the size at which a type's file is split, and the
    /// seconds between passes of the export runner while serving (nil: exports run only when kicked off).
    public var fhirExport = FHIRExportSettings()
    /// `SCARTRACK_LOG_FORMAT`: text (default) or json (one JSON object per line, a line per request).
    public var logFormat: LogFormat = .text
    /// `SCARTRACK_RETURN_IDLE_MEMORY`: hand freed memory back to the system once the server is quiet (`IdleMemory`).
    public var returnsIdleMemory = true

    public enum LogFormat: String, Sendable { case text, json }

    public init() {}

    public static let variables: [(name: String, meaning: String)] = [
        ("SCARTRACK_DATABASE_URL", "postgres://user:password@host:5432/db to use PostgreSQL; unset for the embedded SQLite file"),
        ("SCARTRACK_DATA_DIR", "folder for the SQLite file and uploaded files (default ./data)"),
        ("SCARTRACK_PHOTO_STORE", "folder (default: photos in SCARTRACK_DATA_DIR/photos) or database (in the database, so several app servers on one PostgreSQL share them)"),
        ("SCARTRACK_SECURE_COOKIES", "true when served over HTTPS: cookies get the Secure flag (default false)"),
        ("SCARTRACK_PUBLIC_URL", "https://... address patients use; portal e-mails link to it (unset: e-mails carry the sign-in code only)"),
        ("SCARTRACK_SESSION_IDLE_MINUTES", "sign out after this many idle minutes (default 30)"),
        ("SCARTRACK_SESSION_MAX_HOURS", "sign out after this many hours in any case (default 12)"),
        ("SCARTRACK_REQUIRE_ADMIN_2FA", "true (default): administrators must turn on two-factor sign-in (TOTP) before anything else; false only for test harnesses"),
        ("SCARTRACK_BCRYPT_COST", "bcrypt cost for staff passwords, 12 to 16 (default 12)"),
        ("SCARTRACK_MAX_PHOTO_MB", "largest photo upload in MiB, 1 to 100 (default 15)"),
        ("SCARTRACK_MESSAGE_SENDER", "log (default: messages are recorded as sent in the log and outbox) or smtp (sent to SCARTRACK_SMTP_HOST; failures are retried)"),
        ("SCARTRACK_SMTP_HOST", "SMTP relay for SCARTRACK_MESSAGE_SENDER=smtp (plain SMTP; STARTTLS is not offered, use a relay on a trusted network)"),
        ("SCARTRACK_SMTP_PORT", "SMTP port (default 587)"),
        ("SCARTRACK_SMTP_FROM", "sender address of patient messages (default scartrack@localhost)"),
        ("SCARTRACK_SMTP_USERNAME", "SMTP user for AUTH PLAIN, with SCARTRACK_SMTP_PASSWORD (both or neither)"),
        ("SCARTRACK_OUTBOX_INTERVAL_SECONDS", "seconds between outbox sending passes while serving, 0 to disable (default 60)"),
        ("SCARTRACK_OPERATOR_TOKEN", "installation operator's secret (at least 32 characters) for the /api/v1/operator API (clinics); unset: that API is closed"),
        ("SCARTRACK_TRUSTED_PROXIES", "comma list of proxy addresses or CIDR blocks (e.g. 127.0.0.1, 10.0.0.0/8) whose Forwarded / X-Forwarded-For header gives the client's address; unset: the socket's peer is the client"),
        ("SCARTRACK_METRICS_TOKEN", "bearer token a Prometheus scraper must send for /metrics (at least 32 characters); unset: /metrics is open"),
        ("SCARTRACK_FHIR_BASE", "canonical base URL of ScarTrack's FHIR code systems and extensions (default: a placeholder under scartrack.example)"),
        ("SCARTRACK_FHIR_EXPORT_KEEP_HOURS", "hours a FHIR $export job and its files are kept, 1 to 168 (default 24)"),
        ("SCARTRACK_SQLITE_GROUP_COMMIT", "true (default): SQLite writers waiting at the same moment share one commit (each answered after it is durable); false: one commit per writer"),
        ("SCARTRACK_LOG_FORMAT", "text (default) or json: one JSON object per line, with a line per request naming its X-Request-Id"),
        ("SCARTRACK_LOG_LEVEL", "trace, debug, info, notice, warning, error (default info)"),
        ("SCARTRACK_RETURN_IDLE_MEMORY", "true (default): memory freed after a burst of requests goes back to the system once the server is quiet; false keeps it (for measuring)"),
    ]

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        var c = AppConfiguration()
        try c.readStoreAndSessions(env)
        try c.readLimitsAndOperator(env)
        try c.readOutbox(env)
        try c.readFHIR(env)
        c.messageSender = try Self.messageSender(env)
        return c
    }

    /// Where the data lives, cookies, two-factor enforcement and sign-in session lengths.
    private mutating func readStoreAndSessions(_ env: [String: String]) throws {
        if let v = env["SCARTRACK_DATA_DIR"], !v.isEmpty { dataDirectory = v }
        if let v = env["SCARTRACK_DATABASE_URL"], !v.isEmpty { databaseURL = v }
        if let v = env["SCARTRACK_PHOTO_STORE"], !v.isEmpty {
            guard let kind = PhotoStoreKind(rawValue: v) else { throw ConfigurationError("SCARTRACK_PHOTO_STORE must be folder or database, not \(v)") }
            photoStore = kind
        }
        if let v = env["SCARTRACK_PUBLIC_URL"], !v.isEmpty {
            guard let url = URL(string: v), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError("SCARTRACK_PUBLIC_URL must be an http(s) address, not \(v)")
            }
            publicURL = v
        }
        if let v = env["SCARTRACK_RETURN_IDLE_MEMORY"], !v.isEmpty {
            guard let b = Self.bool(v) else { throw ConfigurationError("SCARTRACK_RETURN_IDLE_MEMORY must be true or false, not \(v)") }
            returnsIdleMemory = b
        }
        if let v = env["SCARTRACK_SECURE_COOKIES"] {
            guard let b = Self.bool(v) else { throw ConfigurationError("SCARTRACK_SECURE_COOKIES must be true or false, not \(v)") }
            secureCookies = b
        }
        if let v = env["SCARTRACK_REQUIRE_ADMIN_2FA"], !v.isEmpty {
            guard let b = Self.bool(v) else { throw ConfigurationError("SCARTRACK_REQUIRE_ADMIN_2FA must be true or false, not \(v)") }
            requireAdminTwoFactor = b
        }
        if let v = env["SCARTRACK_SESSION_IDLE_MINUTES"] {
            guard let m = Int(v), m >= 1, m <= 24 * 60 else { throw ConfigurationError("SCARTRACK_SESSION_IDLE_MINUTES must be 1 to 1440") }
            sessionIdleTimeout = TimeInterval(m * 60)
        }
        if let v = env["SCARTRACK_SESSION_MAX_HOURS"] {
            guard let h = Int(v), h >= 1, h <= 24 * 7 else { throw ConfigurationError("SCARTRACK_SESSION_MAX_HOURS must be 1 to 168") }
            sessionAbsoluteTimeout = TimeInterval(h * 3600)
        }
    }

    /// bcrypt cost, the photo size limit and the operator's token.
    private mutating func readLimitsAndOperator(_ env: [String: String]) throws {
        if let v = env["SCARTRACK_BCRYPT_COST"] {
            guard let cost = UInt8(v), (12...16).contains(cost) else { throw ConfigurationError("SCARTRACK_BCRYPT_COST must be 12 to 16") }
            bcryptCost = cost
        }
        if let v = env["SCARTRACK_MAX_PHOTO_MB"] {
            guard let mb = Int(v), (1...100).contains(mb) else { throw ConfigurationError("SCARTRACK_MAX_PHOTO_MB must be 1 to 100") }
            maxPhotoBytes = mb * 1024 * 1024
        }
        if let v = env["SCARTRACK_OPERATOR_TOKEN"], !v.isEmpty {
            guard let token = OperatorCredential.acceptable(v) else {
                throw ConfigurationError("SCARTRACK_OPERATOR_TOKEN must be 32 to 128 printable ASCII characters without spaces (e.g. openssl rand -hex 32)")
            }
            operatorToken = token
        }
        if let v = env["SCARTRACK_TRUSTED_PROXIES"] {
            trustedProxies = try TrustedProxies.parse(v).get()
        }
        if let v = env["SCARTRACK_LOG_FORMAT"], !v.isEmpty {
            guard let format = LogFormat(rawValue: v.lowercased()) else { throw ConfigurationError("SCARTRACK_LOG_FORMAT must be text or json") }
            logFormat = format
        }
        if let v = env["SCARTRACK_METRICS_TOKEN"], !v.isEmpty {
            guard let token = OperatorCredential.acceptable(v) else {
                throw ConfigurationError("SCARTRACK_METRICS_TOKEN must be 32 to 128 printable ASCII characters without spaces (e.g. openssl rand -hex 32)")
            }
            metricsToken = token
        }
    }

    private mutating func readOutbox(_ env: [String: String]) throws {
        outboxIntervalSeconds = 60
        if let v = env["SCARTRACK_OUTBOX_INTERVAL_SECONDS"] {
            guard let n = Int(v), (0...86400).contains(n) else { throw ConfigurationError("SCARTRACK_OUTBOX_INTERVAL_SECONDS must be 0 to 86400") }
            outboxIntervalSeconds = n == 0 ? nil : n
        }
    }

    private mutating func readFHIR(_ env: [String: String]) throws {
        if let v = env["SCARTRACK_FHIR_BASE"], !v.isEmpty {
            guard let url = URL(string: v), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError("SCARTRACK_FHIR_BASE must be an http(s) URL, e.g. https://fhir.example-clinic.org")
            }
            fhirCanonicalBase = v
        }
        fhirExport.runnerIntervalSeconds = 30
        if let v = env["SCARTRACK_FHIR_EXPORT_KEEP_HOURS"] {
            guard let h = Int(v), (1...168).contains(h) else { throw ConfigurationError("SCARTRACK_FHIR_EXPORT_KEEP_HOURS must be 1 to 168") }
            fhirExport.keepSeconds = h * 3600
        }
    }

    private static func messageSender(_ env: [String: String]) throws -> MessageSenderChoice {
        switch env["SCARTRACK_MESSAGE_SENDER"]?.lowercased() ?? "log" {
        case "log", "": return .log
        case "smtp":
            guard let host = env["SCARTRACK_SMTP_HOST"], !host.isEmpty else { throw ConfigurationError("SCARTRACK_SMTP_HOST is required for SCARTRACK_MESSAGE_SENDER=smtp") }
            guard let port = Int(env["SCARTRACK_SMTP_PORT"] ?? "587"), (1...65535).contains(port) else { throw ConfigurationError("SCARTRACK_SMTP_PORT must be 1 to 65535") }
            let user = env["SCARTRACK_SMTP_USERNAME"].flatMap { $0.isEmpty ? nil : $0 }
            let password = env["SCARTRACK_SMTP_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
            guard (user == nil) == (password == nil) else {
                throw ConfigurationError("SCARTRACK_SMTP_USERNAME and SCARTRACK_SMTP_PASSWORD go together: set both or neither")
            }
            if let v = env["SCARTRACK_SMTP_STARTTLS"], Self.bool(v) == true {
                throw ConfigurationError("SCARTRACK_SMTP_STARTTLS is not supported yet: send through a relay on a trusted network")
            }
            let from = env["SCARTRACK_SMTP_FROM"].flatMap { $0.isEmpty ? nil : $0 } ?? "scartrack@localhost"
            guard SMTPMessage.isAddress(from) || from == "scartrack@localhost" else { throw ConfigurationError("SCARTRACK_SMTP_FROM must be an email address") }
            return .smtp(host: host, port: port, from: from, username: user, password: password)
        case let other: throw ConfigurationError("SCARTRACK_MESSAGE_SENDER must be log or smtp, not \(other)")
        }
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


/// Which `MessageSender` the server uses for the outbox.
public enum MessageSenderChoice: Sendable, Equatable {
    case log
    /// Plain SMTP to a relay (see `SMTPMessageSender`).
    case smtp(host: String, port: Int, from: String, username: String? = nil, password: String? = nil)

    func make(logger: Logger) -> any MessageSender {
        switch self {
        case .log: LogMessageSender(logger: logger)
        case .smtp(let host, let port, let from, let user, let password):
            SMTPMessageSender(host: host, port: port, from: from, username: user, password: password)
        }
    }
}

/// The FHIR Bulk Data export's knobs (see `AppConfiguration.fhirExport`).
public struct FHIRExportSettings: Sendable {
    public var pollSeconds = 2
    public var keepSeconds = 24 * 3600
    public var partBytes = 16 * 1024 * 1024
    /// An export file is stored (and held in memory while written) in pieces of about this size.
    public var chunkBytes = 256 * 1024
    /// Seconds a claimed job's lease lasts; renewed after every page of patients.
    public var leaseSeconds = 120
    public var runnerIntervalSeconds: Int?
    public init() {}
}

/// Where photo bytes are kept; see `PhotoFiles`.
public enum PhotoStoreKind: String, Sendable {
    case folder, database
}

extension AppConfiguration {
    /// Where photo (and other file) bytes live: the data folder on one box, the database for several servers.
    public func photoFiles(_ database: ScarDatabase) -> any PhotoFiles {
        switch photoStore {
        case .folder: PhotoStore(dataDirectory: dataDirectory)
        case .database: DatabasePhotoStore(database)
        }
    }
}
