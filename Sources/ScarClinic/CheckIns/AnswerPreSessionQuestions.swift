import Foundation
import ScarCore
import ScarStore

/// The patient answers the questions before a session (in the 72 hours before it): one write
/// transaction that checks the appointment is the patient's own treatment visit, still to come
/// and within the window, decides each answer's outcome with ScarCore, stores the answers and
/// appends one `pre-session.answer` audit entry as the patient. An answer that defers or needs
/// review shows on the visit's readiness on the clinic's day home.
public struct AnswerPreSessionQuestions: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// Another patient's appointment, or a follow-up, is not found (never "forbidden").
    public func callAsFunction(_ answers: [String: String], appointmentId: UUID, for patient: PortalPatient, actor: AuditActor,
                               now: Date) async throws -> PreSessionQuestionnaire.Result {
        let result: PreSessionQuestionnaire.Result
        switch PreSessionQuestionnaire.evaluate(answers) {
        case .success(let r): result = r
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        return try await database.write(unitOfWork: { tx in
            let appointment = try await tx.appointment(id: appointmentId, clinicId: patient.clinicId)
            guard appointment.patientId == patient.patientId, appointment.kind == .session else { throw StoreError.notFound }
            guard appointment.status == .booked || appointment.status == .checkedIn,
                  PreSessionQuestionnaire.isOpen(sessionStartsAt: appointment.startsAt, now: now) else {
                throw Refusal(.conflict, "Not open for this visit",
                              detail: "The questions open \(PreSessionQuestionnaire.windowHours) hours before a booked session and close when it starts.")
            }
            let stored = Dictionary(uniqueKeysWithValues: result.findings.map { ($0.question.id, $0.answer) })
            let id = UUID()
            try await tx.insert(preSessionAnswers: stored, outcome: result.outcome, id: id, appointmentId: appointmentId,
                                patientId: patient.patientId, clinicId: patient.clinicId, now: now)
            try await tx.audit(AuditEvent(action: "pre-session.answer", recordType: "pre_session_answers", recordId: id.uuidString,
                                          patientId: patient.patientId,
                                          details: ["appointment": appointmentId.lower, "outcome": result.outcome.rawValue,
                                                    "flagged": result.flagged.map(\.question.id).joined(separator: ",")]),
                               by: actor, now: now)
            return result
        })
    }
}
