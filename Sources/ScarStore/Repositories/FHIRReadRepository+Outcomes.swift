import Foundation
import ScarCore
import SQLKit

/// A patient-reported outcome as FHIR shows it (a QuestionnaireResponse): the record and who typed it.
public struct FHIRReportedOutcome: Sendable {
    public var record: OutcomeRepository.Recorded
    /// The member of staff who typed it; nil when the patient answered in the portal.
    public var recordedBy: UUID?
    public init(record: OutcomeRepository.Recorded, recordedBy: UUID?) {
        self.record = record
        self.recordedBy = recordedBy
    }
}

/// One instrument and version the clinic has recorded answers for, with every item id answered
/// (in the order first seen) and whether a satisfaction rating was recorded with it.
public struct FHIRReportedOutcomeForm: Sendable, Equatable {
    public var instrument: String
    public var version: String
    public var itemIds: [String]
    public var hasSatisfaction: Bool
    /// When answers to it were last recorded (the Questionnaire's `meta.lastUpdated`).
    public var lastRecordedAt: Date
    public init(instrument: String, version: String, itemIds: [String], hasSatisfaction: Bool, lastRecordedAt: Date) {
        self.instrument = instrument
        self.version = version
        self.itemIds = itemIds
        self.hasSatisfaction = hasSatisfaction
        self.lastRecordedAt = lastRecordedAt
    }
}

/// The reads behind QuestionnaireResponse (a chart's outcomes) and Questionnaire (the clinic's
/// forms): the same tables and decoders as `OutcomeRepository`.
extension FHIRReadRepository {
    static func decodeResponses(_ row: any SQLRow) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "responses", as: String.self).utf8))
    }

    static func reportedOutcomes(patientIds: [UUID], clinicId: UUID, on sql: any SQLDatabase) async throws -> [UUID: [FHIRReportedOutcome]] {
        try byPatient(try await sql.raw("""
            SELECT id, patient_id, instrument, instrument_version, responses, satisfaction, recorded_on, recorded_at, recorded_by, entered_via, appointment_id
            FROM patient_reported_outcomes WHERE clinic_id = \(bind: clinicId) AND \(among("patient_id", patientIds)) ORDER BY recorded_at, id
            """).all()) { row in
            let pro = PatientReportedOutcome(
                instrument: try row.decode(column: "instrument", as: String.self),
                instrumentVersion: try row.decode(column: "instrument_version", as: String.self), responses: try decodeResponses(row),
                satisfaction: try row.decode(column: "satisfaction", as: Int?.self),
                recordedOn: CalendarDate(try row.decode(column: "recorded_on", as: String.self)) ?? CalendarDate("1900-01-01")!)
            return FHIRReportedOutcome(
                record: OutcomeRepository.Recorded(id: try row.decode(column: "id", as: UUID.self), outcome: pro,
                                                   recordedAt: try row.decode(column: "recorded_at", as: Date.self),
                                                   enteredVia: try row.decode(column: "entered_via", as: String.self),
                                                   appointmentId: try row.decode(column: "appointment_id", as: UUID?.self)),
                recordedBy: try row.decode(column: "recorded_by", as: UUID?.self))
        }
    }

    /// Every instrument and version the clinic has answers for, ordered by instrument and version:
    /// one row per form (`outcome_forms`, kept by the outcomes' writer), never the answers themselves.
    static func outcomeForms(clinicId: UUID, on sql: any SQLDatabase) async throws -> [FHIRReportedOutcomeForm] {
        try await sql.raw("""
            SELECT instrument, instrument_version, item_ids, has_satisfaction, last_recorded_at FROM outcome_forms
            WHERE clinic_id = \(bind: clinicId) ORDER BY instrument, instrument_version
            """).all().map { row in
            FHIRReportedOutcomeForm(instrument: try row.decode(column: "instrument", as: String.self),
                                    version: try row.decode(column: "instrument_version", as: String.self),
                                    itemIds: try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "item_ids", as: String.self).utf8)),
                                    hasSatisfaction: try row.decode(column: "has_satisfaction", as: Bool.self),
                                    lastRecordedAt: try row.decode(column: "last_recorded_at", as: Date.self))
        }
    }

    /// The clinic's ACNE-Q setup, read as the portal reads it (`UnitOfWork.portalOutcomeSetup`).
    static func outcomeSetup(clinicId: UUID, on sql: any SQLDatabase) async throws -> FollowUpQuestions.Setup {
        try await UnitOfWork.portalOutcomeSetup(clinicId: clinicId, on: sql)
    }
}
