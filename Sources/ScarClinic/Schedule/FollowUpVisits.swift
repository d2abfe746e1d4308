import Foundation
import ScarCore
import ScarStore

/// A follow-up visit as its guided page shows it: the appointment, the steps with what the
/// record holds for today, and the adverse events still open. Audited (`follow-up.read`).
public struct ReadFollowUpVisit: Sendable {
    public struct Visit: Sendable {
        public var appointment: Appointment
        public var recorded: FollowUpVisit.Recorded
        public var steps: [FollowUpVisit.Step]
        public var openAdverseEvents: [AdverseEventRepository.Record]
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(appointmentId: UUID, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> Visit {
        try await database.write(unitOfWork: { tx in
            let a = try await tx.appointment(id: appointmentId, clinicId: clinician.clinicId)
            let recorded = try await tx.followUpRecorded(patientId: a.patientId, clinicId: a.clinicId, on: clinician.today)
            let open = try await tx.openAdverseEvents(patientId: a.patientId, clinicId: a.clinicId)
            try await tx.audit(AuditEvent(action: "follow-up.read", recordType: "appointment", recordId: a.id.uuidString, patientId: a.patientId),
                               by: actor, now: now)
            return Visit(appointment: a, recorded: recorded, steps: FollowUpVisit.steps(recorded, reviewed: false), openAdverseEvents: open)
        })
    }
}

/// Marking a follow-up visit done: one write transaction that takes the patient's lock, reads the
/// appointment (version-checked) and what the record holds for today, decides with ScarCore
/// (`FollowUpVisit.completionErrors`: a follow-up, on its day, with today's scar assessment and
/// the open adverse events reviewed), marks it done and appends one `appointment.completed` entry
/// saying what the visit recorded.
public struct CompleteFollowUpVisit: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(appointmentId: UUID, expectedVersion: Int, adverseEventsReviewed: Bool, by clinician: Clinician,
                               actor: AuditActor, now: Date) async throws -> Appointment {
        try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let a = try await tx.lockedAppointment(id: appointmentId, clinicId: clinicId, expectedVersion: expectedVersion)
            let zone = try await tx.clinicTimeZone(clinicId: clinicId)
            let recorded = try await tx.followUpRecorded(patientId: a.patientId, clinicId: clinicId, on: clinician.today)
            let errors = FollowUpVisit.completionErrors(isFollowUp: a.kind == .followUp, status: a.status,
                                                        visitDay: CalendarDate(clinicDayOf: a.startsAt, in: zone), today: clinician.today,
                                                        recorded: recorded, reviewed: adverseEventsReviewed)
            if !errors.isEmpty { throw Refusal(.conflict, "The follow-up visit is not done yet", detail: errors.map(\.message).joined(separator: "; "),
                                               fields: errors) }
            let done = try await tx.complete(followUp: a, on: clinician.today, now: now)
            try await tx.audit(AuditEvent(action: "appointment.completed", recordType: "appointment", recordId: a.id.uuidString, patientId: a.patientId,
                                          details: ["kind": "follow-up", "standardViews": String(recorded.standardViews),
                                                    "assessments": String(recorded.assessments),
                                                    "outcomeQuestionnaires": String(recorded.outcomeQuestionnaires),
                                                    "openAdverseEvents": String(recorded.openAdverseEvents),
                                                    "adverseEventsReviewed": String(adverseEventsReviewed)]), by: actor, now: now)
            return done
        })
    }
}
