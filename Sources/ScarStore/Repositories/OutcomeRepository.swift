import Foundation
import ScarCore
import SQLKit

/// Patient-reported outcomes, audited like every patient record.
public struct OutcomeRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct Recorded: Sendable, Equatable {
        public var id: UUID
        public var outcome: PatientReportedOutcome
        public var recordedAt: Date
    }

    public func record(_ pro: PatientReportedOutcome, patientId: UUID, clinicId: UUID, by actor: AuditActor,
                       now: Date = Date()) async throws -> Recorded {
        let engine = db.engine
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let responses = String(decoding: try encoder.encode(pro.responses), as: UTF8.self)
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let id = UUID()
            try await sql.raw("""
                INSERT INTO patient_reported_outcomes (id, clinic_id, patient_id, instrument, instrument_version, responses,
                                                       satisfaction, recorded_on, recorded_at, recorded_by)
                VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: pro.instrument), \(bind: pro.instrumentVersion),
                        \(bind: responses), \(bind: pro.satisfaction), \(bind: pro.recordedOn.description), \(bind: now), \(bind: actor.userId))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "pro.create", recordType: "pro", recordId: id.uuidString, patientId: patientId,
                                                   details: ["instrument": pro.instrument]), by: actor, engine: engine, on: sql, now: now)
            return Recorded(id: id, outcome: pro, recordedAt: now)
        }
    }

    public func list(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> [Recorded] {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let rows = try await sql.raw("""
                SELECT id, instrument, instrument_version, responses, satisfaction, recorded_on, recorded_at
                FROM patient_reported_outcomes WHERE patient_id = \(bind: patientId) ORDER BY recorded_on, recorded_at
                """).all()
            let items = try rows.map { row -> Recorded in
                let responses = try JSONDecoder().decode([String: String].self,
                                                         from: Data(try row.decode(column: "responses", as: String.self).utf8))
                let pro = PatientReportedOutcome(
                    instrument: try row.decode(column: "instrument", as: String.self),
                    instrumentVersion: try row.decode(column: "instrument_version", as: String.self), responses: responses,
                    satisfaction: try row.decode(column: "satisfaction", as: Int?.self),
                    recordedOn: CalendarDate(try row.decode(column: "recorded_on", as: String.self)) ?? CalendarDate("1900-01-01")!)
                return Recorded(id: try row.decode(column: "id", as: UUID.self), outcome: pro,
                                recordedAt: try row.decode(column: "recorded_at", as: Date.self))
            }
            try await AuditTrail.append(AuditEvent(action: "pro.list", recordType: "pro", patientId: patientId),
                                        by: actor, engine: engine, on: sql)
            return items
        }
    }
}
