import Foundation
import ScarCore
import SQLKit

/// Patient-reported outcomes, audited like every patient record (written by the `RecordReportedOutcome` use case).
public struct OutcomeRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct Recorded: Sendable, Equatable {
        public var id: UUID
        public var outcome: PatientReportedOutcome
        public var recordedAt: Date
        /// `clinic` (staff typed it) or `portal` (the patient answered it at a follow-up).
        public var enteredVia: String = "clinic"
        public var appointmentId: UUID?
        public var byPatient: Bool { enteredVia == "portal" }
    }

    public func list(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> [Recorded] {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM patient_reported_outcomes WHERE patient_id = \(bind: patientId) ORDER BY recorded_on, recorded_at
                """).all()
            let items = try rows.map(Self.recorded)
            try await AuditTrail.append(AuditEvent(action: "pro.list", recordType: "pro", patientId: patientId),
                                        by: actor, engine: engine, on: sql)
            return items
        }
    }

    static let columns = "id, instrument, instrument_version, responses, satisfaction, recorded_on, recorded_at, entered_via, appointment_id"

    static func recorded(_ row: any SQLRow) throws -> Recorded {
        let responses = try JSONDecoder().decode([String: String].self,
                                                 from: Data(try row.decode(column: "responses", as: String.self).utf8))
        let pro = PatientReportedOutcome(
            instrument: try row.decode(column: "instrument", as: String.self),
            instrumentVersion: try row.decode(column: "instrument_version", as: String.self), responses: responses,
            satisfaction: try row.decode(column: "satisfaction", as: Int?.self),
            recordedOn: CalendarDate(try row.decode(column: "recorded_on", as: String.self)) ?? CalendarDate("1900-01-01")!)
        return Recorded(id: try row.decode(column: "id", as: UUID.self), outcome: pro,
                        recordedAt: try row.decode(column: "recorded_at", as: Date.self),
                        enteredVia: try row.decode(column: "entered_via", as: String.self),
                        appointmentId: try row.decode(column: "appointment_id", as: UUID?.self))
    }
}
