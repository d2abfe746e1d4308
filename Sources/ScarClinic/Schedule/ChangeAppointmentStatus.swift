import Foundation
import ScarCore
import ScarStore

/// Check in, cancel or mark a no-show: one write transaction that reads the appointment and,
/// for a treatment session's check-in, the patient's current screening, decides with ScarCore
/// (the status machine and the check-in gate), writes and audits `appointment.<status>`. A new
/// intake recorded at the same moment is either seen or waits until the check-in has landed.
public struct ChangeAppointmentStatus: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(appointmentId: UUID, to status: AppointmentStatus, expectedVersion: Int, by clinician: Clinician,
                               actor: AuditActor, now: Date) async throws -> Appointment {
        try await database.write(unitOfWork: { tx in
            let a = try await tx.lockedAppointment(id: appointmentId, clinicId: clinician.clinicId, expectedVersion: expectedVersion)
            let stored = try await Self.change(a, to: status, today: clinician.today, in: tx, now: now)
            try await tx.audit(AuditEvent(action: "appointment.\(status.rawValue)", recordType: "appointment", recordId: a.id.uuidString,
                                          patientId: a.patientId), by: actor, now: now)
            return stored
        })
    }

    /// The change inside the caller's transaction (also used when front desk accepts a patient's
    /// cancellation request); the caller audits.
    static func change(_ a: Appointment, to status: AppointmentStatus, today: CalendarDate, in tx: UnitOfWork, now: Date) async throws -> Appointment {
        guard a.status.canChange(to: status) else {
            let message = "cannot change from \(a.status.rawValue) to \(status.rawValue)"
            throw Refusal(.conflict, "Cannot schedule this", detail: message, fields: [FieldError("status", message)])
        }
        if status == .checkedIn {
            let screening = try await Self.currentScreening(for: a, today: today, in: tx)
            if let reason = CheckInGate.refusal(isTreatmentSession: a.kind == .session, modality: a.modality, screening: screening) {
                throw Refusal(.conflict, "Check-in refused by screening", detail: reason, fields: [FieldError("screening", reason)])
            }
        }
        return try await tx.write(status: status, of: a, now: now)
    }

    /// The screening of the latest intake for the appointment's modality as of today, or nil without an intake.
    static func currentScreening(for a: Appointment, today: CalendarDate, in tx: UnitOfWork) async throws -> ScreeningResult? {
        guard a.kind == .session else { return nil }
        let inputs = try await tx.screeningInputs(patientId: a.patientId, clinicId: a.clinicId)
        guard let intake = inputs.intake else { return nil }
        return Screening.evaluate(intake: intake.intake, modality: a.modality, asOf: today, ruleSet: inputs.ruleSet)
    }
}
