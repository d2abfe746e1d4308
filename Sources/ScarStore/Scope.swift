import Crypto
import Foundation
import SQLKit

/// The check every patient-scoped query starts with: the patient belongs to the caller's
/// clinic, or it is simply not found (another clinic's record never answers differently).
enum PatientScope {
    static func require(_ patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws {
        guard try await exists(patientId, clinicId: clinicId, on: sql) else { throw StoreError.notFound }
    }

    /// Like `require`, and holds the patient's row until the transaction ends, so workflows that
    /// decide from the patient's consents, intakes or plans (signing) and those that change them
    /// (withdrawing a consent) run one after the other. SQLite serializes every write
    /// transaction already (`BEGIN IMMEDIATE`); PostgreSQL needs the row lock.
    static func lock(_ patientId: UUID, clinicId: UUID, engine: Engine, on sql: any SQLDatabase) async throws {
        guard engine == .postgres else { return try await require(patientId, clinicId: clinicId, on: sql) }
        guard try await sql.raw("SELECT 1 AS x FROM patients WHERE id = \(bind: patientId) AND clinic_id = \(bind: clinicId) FOR UPDATE").first() != nil
        else { throw StoreError.notFound }
    }

    static func exists(_ patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT 1 AS x FROM patients WHERE id = \(bind: patientId) AND clinic_id = \(bind: clinicId)").first() != nil
    }
}

/// Lower-case hex SHA-256, used for stored token hashes, content addresses and the audit chain.
enum SHA256Hex {
    static func of(_ data: Data) -> String {
        Hex.lowercase(SHA256.hash(data: data))
    }

    static func of(_ text: String) -> String { of(Data(text.utf8)) }
}

/// Bytes as lowercase hex, two digits a byte (what `String(format: "%02x")` gives, without
/// formatting a string per byte: that was a tenth of an audited read's CPU, issue 16).
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Date {
    /// Whole milliseconds: both engines store them exactly, so a value reads back equal (and
    /// the audit hash can be recomputed).
    public var wholeMilliseconds: Date { Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded(.down) / 1000) }
}
