import Foundation
import ScarCore
import SQLKit

/// Everything the patient page shows, read inside one transaction with one batched query per
/// kind of record (issue 16: about 20 statements per view, not one transaction per card).
public struct PatientPageRecords: Sendable {
    public var patient: Patient
    /// The latest intake, its acknowledgements and the clinic's rule set (the screening's inputs).
    public var screening: IntakeRepository.ScreeningInputs
    /// The newest assessments and photos (at most the limit asked for) and how many there are in all.
    public var assessments: [ScarAssessment]
    public var assessmentCount: Int
    public var photos: [Photo]
    public var photoCount: Int
    public var checkIns: [CheckInRepository.CheckIn]
    public var appointments: [Appointment]
    /// Calendar feed links the patient has that are not revoked.
    public var calendarFeedLinks: Int
    public var plans: [TreatmentPlan]
    /// The newest sessions (at most the limit asked for) and how many the patient has in all.
    public var latestSessions: [SessionRepository.SessionSummary]
    public var sessionCount: Int
    public var consents: [ConsentRepository.SignedConsent]
    public var adverseEvents: [AdverseEventRepository.Record]
    public var portalInvitation: UnitOfWork.PortalInvitation?
    /// How many results of the latest intake are stored for the screening day with the current rule set.
    public var screenedOnTheDay: Int
}

extension UnitOfWork {
    /// The patient page's records (not found outside the clinic). Not audited here: the use case
    /// audits one `patient.read` for the whole page.
    public func patientPageRecords(patientId: UUID, clinicId: UUID, sessionLimit: Int, recordLimit: Int,
                                   screeningDay: CalendarDate) async throws -> PatientPageRecords {
        // The patient, with the counts, the rule set and the portal invitation the page needs, in one statement.
        let patientColumns: String = PatientRepository.columns.split(separator: ",").map { c -> String in
            let name = c.trimmingCharacters(in: .whitespaces)
            return "pt." + name + " AS " + name
        }.joined(separator: ", ")
        let ruleSetVersion: SQLQueryString = """
            COALESCE((SELECT r.version FROM rule_sets r WHERE r.clinic_id = \(bind: clinicId) ORDER BY r.created_at DESC, r.version DESC LIMIT 1),
                     \(bind: RuleSet.default.version))
            """
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: patientColumns),
                   (SELECT COUNT(*) FROM ical_tokens k WHERE k.patient_id = pt.id AND k.clinic_id = pt.clinic_id AND k.revoked_at IS NULL) AS feed_links,
                   (SELECT COUNT(*) FROM treatment_sessions t WHERE t.clinic_id = pt.clinic_id AND t.patient_id = pt.id) AS session_count,
                   (SELECT COUNT(*) FROM scar_assessments sa WHERE sa.clinic_id = pt.clinic_id AND sa.patient_id = pt.id) AS assessment_count,
                   (SELECT COUNT(*) FROM photos ph WHERE ph.clinic_id = pt.clinic_id AND ph.patient_id = pt.id) AS photo_count,
                   (SELECT r.rules FROM rule_sets r WHERE r.clinic_id = pt.clinic_id ORDER BY r.created_at DESC, r.version DESC LIMIT 1) AS rule_set,
                   (SELECT COUNT(*) FROM screenings sc
                    WHERE sc.intake_id = (SELECT i.id FROM intakes i WHERE i.patient_id = pt.id ORDER BY i.recorded_at DESC, i.id LIMIT 1)
                      AND sc.as_of = \(bind: screeningDay.description) AND sc.rule_set_version = \(ruleSetVersion)) AS screened,
                   pi.id AS invitation_id, pi.email AS invitation_email, pi.invited_by AS invitation_invited_by,
                   pi.invited_at AS invitation_invited_at, pi.accepted_at AS invitation_accepted_at
            FROM patients pt LEFT JOIN portal_invitations pi ON pi.patient_id = pt.id AND pi.clinic_id = pt.clinic_id AND pi.revoked_at IS NULL
            WHERE pt.id = \(bind: patientId) AND pt.clinic_id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        let patient = try PatientRepository.decode(row)
        let ruleSet = try row.decode(column: "rule_set", as: String?.self)
            .map { try JSONDecoder().decode(RuleSet.self, from: Data($0.utf8)) } ?? .default
        let intake = try await IntakeRepository.intakeRows(patientId: patientId, limit: 1, on: sql).first
        var acknowledgements: [ScreeningAcknowledgement] = []
        if let intake { acknowledgements = try await IntakeRepository.acknowledgements(intakeId: intake.id, on: sql) }
        return PatientPageRecords(
            patient: patient,
            screening: IntakeRepository.ScreeningInputs(intake: intake, acknowledgements: acknowledgements, ruleSet: ruleSet),
            assessments: try await AssessmentRepository.newestFirst(patientId: patientId, clinicId: clinicId, after: nil,
                                                                    limit: "LIMIT \(bind: recordLimit)", on: sql),
            assessmentCount: try row.decode(column: "assessment_count", as: Int.self),
            photos: try await PhotoRepository.newestFirst(patientId: patientId, clinicId: clinicId, after: nil, limit: "LIMIT \(bind: recordLimit)", on: sql),
            photoCount: try row.decode(column: "photo_count", as: Int.self),
            checkIns: try await CheckInRepository.checkIns(patientId: patientId, clinicId: clinicId, on: sql),
            appointments: try await ScheduleRepository.patientRows(patientId: patientId, clinicId: clinicId, on: sql),
            calendarFeedLinks: try row.decode(column: "feed_links", as: Int.self),
            plans: try await PlanRepository.plans(patientId: patientId, clinicId: clinicId, on: sql),
            latestSessions: try await SessionRepository.summaries(patientId: patientId, clinicId: clinicId, limit: sessionLimit, on: sql),
            sessionCount: try row.decode(column: "session_count", as: Int.self),
            consents: try await ConsentRepository.consents(patientId: patientId, clinicId: clinicId, on: sql),
            adverseEvents: try await AdverseEventRepository.records(patientId: patientId, clinicId: clinicId, on: sql),
            portalInvitation: try row.decode(column: "invitation_id", as: UUID?.self).map { id in
                PortalInvitation(id: id, clinicId: clinicId, patientId: patientId, email: try row.decode(column: "invitation_email", as: String.self),
                                 invitedBy: try row.decode(column: "invitation_invited_by", as: UUID.self),
                                 invitedAt: try row.decode(column: "invitation_invited_at", as: Date.self),
                                 acceptedAt: try row.decode(column: "invitation_accepted_at", as: Date?.self))
            },
            screenedOnTheDay: try row.decode(column: "screened", as: Int.self))
    }

    /// The latest entries of the patient's access log, newest first (the page puts its own entry,
    /// appended after this read, in front).
    public func accessLog(patientId: UUID, limit: Int) async throws -> [AuditEntry] {
        try await AuditRepository.entries(patientId: patientId, limit: limit, on: sql)
    }
}
