import Foundation
import ScarCore
import SQLKit

/// What a follow-up visit reads and writes (issue 13, item 6): the patient's record for the
/// visit's day, the adverse events still open, and the visit marked done.
extension UnitOfWork {
    /// The patient's standard views, assessments and outcome questionnaires of `day`, and the
    /// adverse events still open.
    public func followUpRecorded(patientId: UUID, clinicId: UUID, on day: CalendarDate) async throws -> FollowUpVisit.Recorded {
        let d = day.description
        let row = try await sql.raw("""
            SELECT
              (SELECT COUNT(DISTINCT view) FROM photos WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
                 AND captured_on = \(bind: d) AND view <> 'close-up') AS views,
              (SELECT COUNT(*) FROM scar_assessments WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
                 AND assessed_on = \(bind: d)) AS assessments,
              (SELECT COUNT(*) FROM patient_reported_outcomes WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
                 AND recorded_on = \(bind: d)) AS questionnaires,
              (SELECT COUNT(*) FROM adverse_events WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
                 AND outcome IN ('ongoing', 'unknown')) AS open_events
            """).first()
        func n(_ c: String) throws -> Int { try row?.decode(column: c, as: Int.self) ?? 0 }
        return FollowUpVisit.Recorded(standardViews: try n("views"), assessments: try n("assessments"),
                                      outcomeQuestionnaires: try n("questionnaires"), openAdverseEvents: try n("open_events"))
    }

    /// The patient's adverse events still open (ongoing or unknown), serious first.
    public func openAdverseEvents(patientId: UUID, clinicId: UUID) async throws -> [AdverseEventRepository.Record] {
        try await sql.raw("""
            SELECT \(unsafeRaw: AdverseEventRepository.columns) \(unsafeRaw: AdverseEventRepository.from)
            WHERE e.clinic_id = \(bind: clinicId) AND e.patient_id = \(bind: patientId) AND e.outcome IN ('ongoing', 'unknown')
            ORDER BY e.serious DESC, e.onset_on, e.created_at
            """).all().map(AdverseEventRepository.record)
    }

    /// Marks a follow-up visit done on `day` (version-checked): stored as a signed session's
    /// appointment is (`checked-in` with `completed_at`), without a session.
    public func complete(followUp a: Appointment, on day: CalendarDate, now: Date) async throws -> Appointment {
        try await sql.raw("""
            UPDATE appointments SET status = 'checked-in', completed_at = \(bind: now), completed_on = \(bind: day.description),
                version = version + 1, ical_sequence = ical_sequence + 1, updated_at = \(bind: now)
            WHERE id = \(bind: a.id) AND clinic_id = \(bind: a.clinicId) AND version = \(bind: a.version)
            """).run()
        return try await appointment(id: a.id, clinicId: a.clinicId)
    }
}
