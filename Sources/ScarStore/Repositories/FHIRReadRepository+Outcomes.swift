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

    /// Every instrument and version the clinic has answers for, ordered by instrument and version.
    static func outcomeForms(clinicId: UUID, on sql: any SQLDatabase) async throws -> [FHIRReportedOutcomeForm] {
        let rows = try await sql.raw("""
            SELECT instrument, instrument_version, responses, satisfaction, recorded_at FROM patient_reported_outcomes
            WHERE clinic_id = \(bind: clinicId) ORDER BY instrument, instrument_version, recorded_at, id
            """).all()
        var forms: [FHIRReportedOutcomeForm] = []
        for row in rows {
            let instrument = try row.decode(column: "instrument", as: String.self), version = try row.decode(column: "instrument_version", as: String.self)
            let at = try row.decode(column: "recorded_at", as: Date.self)
            if forms.last?.instrument != instrument || forms.last?.version != version {
                forms.append(FHIRReportedOutcomeForm(instrument: instrument, version: version, itemIds: [], hasSatisfaction: false, lastRecordedAt: at))
            }
            for id in try decodeResponses(row).keys.sorted() where !forms[forms.count - 1].itemIds.contains(id) { forms[forms.count - 1].itemIds.append(id) }
            let rated = try row.decode(column: "satisfaction", as: Int?.self) != nil
            forms[forms.count - 1].hasSatisfaction = forms[forms.count - 1].hasSatisfaction || rated
            forms[forms.count - 1].lastRecordedAt = max(forms[forms.count - 1].lastRecordedAt, at)
        }
        return forms
    }

    /// The clinic's ACNE-Q setup, read as the portal reads it (`UnitOfWork.portalOutcomeSetup`).
    static func outcomeSetup(clinicId: UUID, on sql: any SQLDatabase) async throws -> FollowUpQuestions.Setup {
        try await UnitOfWork.portalOutcomeSetup(clinicId: clinicId, on: sql)
    }
}
