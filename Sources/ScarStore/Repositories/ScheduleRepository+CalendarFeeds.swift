import Crypto
import Foundation
import ScarCore
import SQLKit

/// A patient's iCalendar feed tokens (only their SHA-256 is stored).
extension ScheduleRepository {
    /// A new 256-bit random feed token for the patient; only its SHA-256 is stored.
    public func createFeedToken(patientId: UUID, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let engine = db.engine
        try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            try await sql.raw("""
                INSERT INTO ical_tokens (id, clinic_id, patient_id, token_hash, created_at)
                VALUES (\(bind: UUID()), \(bind: clinicId), \(bind: patientId), \(bind: Self.hash(token)), \(bind: now))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "ical.token.create", recordType: "ical_token", patientId: patientId),
                                        by: actor, engine: engine, on: sql, now: now)
        }
        return token
    }

    public func revokeFeedTokens(patientId: UUID, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> Int {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let rows = try await sql.raw("""
                UPDATE ical_tokens SET revoked_at = \(bind: now)
                WHERE patient_id = \(bind: patientId) AND clinic_id = \(bind: clinicId) AND revoked_at IS NULL RETURNING id
                """).all()
            try await AuditTrail.append(AuditEvent(action: "ical.token.revoke", recordType: "ical_token", patientId: patientId,
                                                   details: ["revoked": String(rows.count)]), by: actor, engine: engine, on: sql, now: now)
            return rows.count
        }
    }

    public func activeFeedTokens(patientId: UUID, clinicId: UUID) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("""
                SELECT COUNT(*) AS n FROM ical_tokens WHERE patient_id = \(bind: patientId) AND clinic_id = \(bind: clinicId) AND revoked_at IS NULL
                """).first()!.decode(column: "n", as: Int.self)
        }
    }

    /// The patient's appointments for a feed token (nil for an unknown or revoked token). The
    /// fetch is audited with the token's patient, by actor `ical-feed`.
    public func feed(token: String, clientAddress: String) async throws -> (clinicName: String, appointments: [Appointment])? {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await sql.raw("""
                SELECT clinic_id, patient_id FROM ical_tokens WHERE token_hash = \(bind: Self.hash(token)) AND revoked_at IS NULL
                """).first() else { return nil }
            let clinicId = try row.decode(column: "clinic_id", as: UUID.self)
            let patientId = try row.decode(column: "patient_id", as: UUID.self)
            let clinic = try await Self.clinic(clinicId, on: sql)
            let list = try await Self.patientRows(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "ical.patient.read", recordType: "appointment", patientId: patientId,
                                                   details: ["results": String(list.count)]),
                                        by: AuditActor(clinicId: clinicId, userId: nil, label: "ical-feed", clientAddress: clientAddress),
                                        engine: engine, on: sql)
            return (clinic.name, list)
        }
    }

    static func hash(_ token: String) -> String {
        SHA256Hex.of(token)
    }
}
