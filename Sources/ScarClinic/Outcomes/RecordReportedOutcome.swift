import Foundation
import ScarCore
import ScarStore

/// A patient-reported outcome (instrument id, version, raw answers), one use case for both ways in:
/// staff record what the patient answered at the clinic, or the patient answers the clinic's
/// questionnaire in the portal at a follow-up visit. One write transaction: checks, stores who
/// entered it (`clinic` or `portal`) and appends one `pro.create` audit entry as the actor.
public struct RecordReportedOutcome: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// Staff record an outcome the patient reported at the clinic.
    public func callAsFunction(_ pro: PatientReportedOutcome, patientId: UUID, clinicId: UUID, by actor: AuditActor,
                               now: Date) async throws -> OutcomeRepository.Recorded {
        try await database.write(unitOfWork: { tx in
            try await tx.requirePatient(patientId, clinicId: clinicId)
            return try await Self.store(pro, patientId: patientId, clinicId: clinicId, appointmentId: nil, enteredVia: "clinic", actor: actor,
                                        tx: tx, now: now)
        })
    }

    /// The signed-in patient answers the clinic's questionnaire for one of their follow-up visits,
    /// while it is open and once per visit. Another patient's visit, or a session, is not found.
    public func callAsFunction(answers: [String: String], followUpId: UUID, for patient: PortalPatient, actor: AuditActor,
                               now: Date) async throws -> OutcomeRepository.Recorded {
        try await database.write(unitOfWork: { tx in
            let appointment = try await tx.appointment(id: followUpId, clinicId: patient.clinicId)
            guard appointment.patientId == patient.patientId, appointment.kind == .followUp else { throw StoreError.notFound }
            guard [.booked, .checkedIn, .completed].contains(appointment.status),
                  FollowUpQuestions.isOpen(followUpAt: appointment.startsAt, now: now) else {
                throw Refusal(.conflict, "Not open for this visit", detail: "The questions open \(FollowUpQuestions.opensDaysBefore) days "
                              + "before a follow-up visit and close \(FollowUpQuestions.closesDaysAfter) days after it.")
            }
            guard try await !tx.answeredFollowUps(patientId: patient.patientId, clinicId: patient.clinicId).contains(followUpId) else {
                throw Refusal(.conflict, "Already answered", detail: "You have already answered the questions for this visit.")
            }
            let setup = try await tx.portalOutcomeSetup(clinicId: patient.clinicId)
            guard setup.isOn else { throw StoreError.notFound }
            let responses: [String: String]
            switch FollowUpQuestions.validate(answers, setup: setup) {
            case .success(let r): responses = r
            case .failure(let f): throw Refusal.invalid(f.errors)
            }
            let pro = PatientReportedOutcome(instrument: FollowUpQuestions.instrument, instrumentVersion: setup.version, responses: responses,
                                             satisfaction: nil, recordedOn: patient.today)
            return try await Self.store(pro, patientId: patient.patientId, clinicId: patient.clinicId, appointmentId: followUpId,
                                        enteredVia: "portal", actor: actor, tx: tx, now: now)
        })
    }

    static func store(_ pro: PatientReportedOutcome, patientId: UUID, clinicId: UUID, appointmentId: UUID?, enteredVia: String,
                      actor: AuditActor, tx: UnitOfWork, now: Date) async throws -> OutcomeRepository.Recorded {
        let id = UUID()
        let recorded = try await tx.insert(reportedOutcome: pro, id: id, patientId: patientId, clinicId: clinicId, appointmentId: appointmentId,
                                           enteredVia: enteredVia, recordedBy: actor.userId, now: now)
        var details = ["instrument": pro.instrument, "enteredVia": enteredVia]
        if let appointmentId { details["appointment"] = appointmentId.lower }
        try await tx.audit(AuditEvent(action: "pro.create", recordType: "pro", recordId: id.uuidString, patientId: patientId, details: details),
                           by: actor, now: now)
        return recorded
    }
}

/// What the portal shows for outcome questions: the clinic's questionnaire and the follow-up
/// visits whose questions are open now, each with whether it is answered (one audited read).
public struct ReadFollowUpQuestions: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public struct FollowUp: Sendable, Equatable {
        public var appointment: Appointment
        public var answered: Bool
    }

    public struct View: Sendable {
        public var setup: FollowUpQuestions.Setup
        public var open: [FollowUp]
    }

    public func callAsFunction(for patient: PortalPatient, actor: AuditActor, now: Date) async throws -> View {
        try await database.write(unitOfWork: { tx in
            let setup = try await tx.portalOutcomeSetup(clinicId: patient.clinicId)
            let answered = try await tx.answeredFollowUps(patientId: patient.patientId, clinicId: patient.clinicId)
            let open = try await tx.appointments(patientId: patient.patientId, clinicId: patient.clinicId)
                .filter { $0.kind == .followUp && [.booked, .checkedIn, .completed].contains($0.status)
                    && FollowUpQuestions.isOpen(followUpAt: $0.startsAt, now: now) }
                .sorted { $0.startsAt < $1.startsAt }
                .map { FollowUp(appointment: $0, answered: answered.contains($0.id)) }
            try await tx.audit(AuditEvent(action: "follow-up-questions.read", recordType: "patient", recordId: patient.patientId.uuidString,
                                          patientId: patient.patientId), by: actor, now: now)
            return View(setup: setup, open: setup.isOn ? open : [])
        })
    }
}
