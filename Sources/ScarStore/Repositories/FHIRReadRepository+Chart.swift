import Foundation
import ScarCore
import SQLKit

/// The parts of patients' charts the FHIR API reads, each with the decoders of the repository
/// that owns the table (one row shape per table). Every read takes a list of patients and costs
/// one statement per kind of record however long the list (issue 16: an export reads a page of
/// patients in about a dozen statements, not a dozen per patient); each patient's records keep
/// the order the FHIR output has always had.
extension FHIRReadRepository {
    /// `p.patient_id IN (…)`-style filter on `column` for the patients' ids.
    static func among(_ column: String, _ patientIds: [UUID]) -> SQLQueryString {
        "\(unsafeRaw: column) IN (\(SQLList(patientIds.map { SQLBind($0) })))"
    }

    /// Rows grouped by their `patient_id` column, in the order read.
    static func byPatient<T>(_ rows: [any SQLRow], _ decode: (any SQLRow) throws -> T) throws -> [UUID: [T]] {
        var out: [UUID: [T]] = [:]
        for row in rows { out[try row.decode(column: "patient_id", as: UUID.self), default: []].append(try decode(row)) }
        return out
    }

    static func intakes(patientIds: [UUID], clinicId: UUID, on sql: any SQLDatabase) async throws -> [UUID: [FHIRIntake]] {
        try byPatient(try await sql.raw("""
            SELECT id, patient_id, recorded_on, recorded_at, recorded_by, fitzpatrick, data, entered_via FROM intakes
            WHERE clinic_id = \(bind: clinicId) AND \(among("patient_id", patientIds)) ORDER BY recorded_at, id
            """).all()) { row in
            FHIRIntake(id: try row.decode(column: "id", as: UUID.self), recordedOn: try row.decode(column: "recorded_on", as: String.self),
                       recordedAt: try row.decode(column: "recorded_at", as: Date.self), recordedBy: try row.decode(column: "recorded_by", as: UUID?.self),
                       fitzpatrick: try row.decode(column: "fitzpatrick", as: Int?.self),
                       answers: try? JSONDecoder().decode(Intake.self, from: Data(try row.decode(column: "data", as: String.self).utf8)),
                       enteredVia: try row.decode(column: "entered_via", as: String.self))
        }
    }

    /// The charts of these patients (already read, all of `clinicId`), in their order, without an audit entry.
    /// The kinds of record are read at once (on SQLite, one connection steps one statement while
    /// the rows of another are decoded; issue 15), all on `sql` and so in its one transaction.
    static func charts(patients: [Patient], clinicId: UUID, on sql: any SQLDatabase) async throws -> [FHIRPatientChart] {
        guard !patients.isEmpty else { return [] }
        let ids = patients.map(\.id)
        async let assessmentsRead = Self.assessments(patientIds: ids, clinicId: clinicId, on: sql)
        async let intakesRead = Self.intakes(patientIds: ids, clinicId: clinicId, on: sql)
        async let sessionsRead = Self.sessions(patientIds: ids, clinicId: clinicId, on: sql)
        async let consentsRead = byPatient(try await sql.raw("""
            SELECT c.*, w.withdrawn_at, w.reason AS withdrawal_reason FROM consents c LEFT JOIN consent_withdrawals w ON w.consent_id = c.id
            WHERE c.clinic_id = \(bind: clinicId) AND \(among("c.patient_id", ids)) ORDER BY c.signed_at DESC, c.id
            """).all(), ConsentRepository.decode)
        async let eventsRead = byPatient(try await sql.raw("""
            SELECT \(unsafeRaw: AdverseEventRepository.columns) \(unsafeRaw: AdverseEventRepository.from)
            WHERE e.clinic_id = \(bind: clinicId) AND \(among("e.patient_id", ids)) ORDER BY e.id
            """).all()) { row in
            FHIRAdverseEventRow(record: try AdverseEventRepository.record(row), reportedById: try row.decode(column: "reported_by", as: UUID.self),
                                updatedAt: try row.decode(column: "updated_at", as: Date.self))
        }
        async let appointmentsRead = byPatient(try await sql.raw("""
            \(unsafeRaw: ScheduleRepository.selectAppointments) WHERE a.clinic_id = \(bind: clinicId) AND \(among("a.patient_id", ids)) ORDER BY a.id
            """).all(), ScheduleRepository.decode)
        async let outcomesRead = Self.reportedOutcomes(patientIds: ids, clinicId: clinicId, on: sql)
        async let participationsRead = Self.participations(patientIds: ids, clinicId: clinicId, on: sql)
        async let photosRead = Dictionary(grouping: try await sql.raw("""
            SELECT \(unsafeRaw: PhotoRepository.columns) FROM photos WHERE clinic_id = \(bind: clinicId) AND \(among("patient_id", ids)) ORDER BY id
            """).all().map(PhotoRepository.decode), by: \.patientId)
        async let plansRead = PlanRepository.plans(patientIds: ids, clinicId: clinicId, order: "id", on: sql)
        let (assessments, intakes, sessions, consents, events) = try await (assessmentsRead, intakesRead, sessionsRead, consentsRead, eventsRead)
        let (appointments, outcomes, participations, photos, plans) = try await (appointmentsRead, outcomesRead, participationsRead, photosRead, plansRead)
        return patients.map { p in
            FHIRPatientChart(patient: p, assessments: assessments[p.id] ?? [], intakes: intakes[p.id] ?? [], sessions: sessions[p.id] ?? [],
                             consents: consents[p.id] ?? [], adverseEvents: events[p.id] ?? [], appointments: appointments[p.id] ?? [],
                             plans: plans[p.id] ?? [], reportedOutcomes: outcomes[p.id] ?? [], photos: photos[p.id] ?? [],
                             studyParticipations: participations[p.id] ?? [])
        }
    }
}
