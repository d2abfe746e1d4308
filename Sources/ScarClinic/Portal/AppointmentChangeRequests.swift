import Foundation
import ScarCore
import ScarStore

/// The patient asks, in the portal, to change or cancel one of their booked appointments, at
/// least the clinic's notice before it (`portal_settings.change_notice_hours`). The request never
/// changes the appointment; it waits on the clinic's day home. One write, one
/// `change-request.create` audit entry as the patient.
public struct AskForAppointmentChange: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// Another patient's appointment is not found (never "forbidden").
    public func callAsFunction(kind: String?, reason: String?, appointmentId: UUID, for patient: PortalPatient, actor: AuditActor,
                               now: Date) async throws -> ChangeRequest {
        let input: ChangeRequestRules.Input
        switch ChangeRequestRules.validate(kind: kind, reason: reason) {
        case .success(let i): input = i
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        return try await database.write(unitOfWork: { tx in
            let appointment = try await tx.appointment(id: appointmentId, clinicId: patient.clinicId)
            guard appointment.patientId == patient.patientId else { throw StoreError.notFound }
            let notice = try await tx.portalSettings(clinicId: patient.clinicId).changeNoticeHours
            guard appointment.status == .booked, ChangeRequestRules.canAsk(startsAt: appointment.startsAt, noticeHours: notice, now: now) else {
                throw Refusal(.conflict, "Please call the clinic",
                              detail: "Changes can be asked for here up to \(notice) hours before a booked appointment; after that, please call the clinic.")
            }
            let waiting = try await tx.changeRequests(patientId: patient.patientId, clinicId: patient.clinicId)
            guard !waiting.contains(where: { $0.appointmentId == appointmentId && $0.status == .open }) else {
                throw Refusal(.conflict, "Already asked", detail: "Your request for this appointment is waiting for the clinic.")
            }
            let request = ChangeRequest(id: UUID(), clinicId: patient.clinicId, patientId: patient.patientId, appointmentId: appointmentId,
                                        kind: input.kind, reason: input.reason, status: .open, reply: "", createdAt: now, decidedAt: nil)
            try await tx.insert(changeRequest: request)
            try await tx.audit(AuditEvent(action: "change-request.create", recordType: "appointment_change_request", recordId: request.id.uuidString,
                                          patientId: patient.patientId, details: ["appointment": appointmentId.lower, "kind": input.kind.rawValue]),
                               by: actor, now: now)
            return request
        })
    }
}

/// Front desk answers a patient's change request from the day home. Accepting cancels the
/// appointment, or moves it to the new time (with the series, as rescheduling does), through the
/// schedule's own rules, and closes the request in the same transaction; declining sends the
/// patient a message. One audit entry each (`appointment.cancelled` / `appointment.reschedule`
/// with the request, or `change-request.decline`).
public struct DecideChangeRequest: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// `newStart` is required to accept a change (the time front desk agreed with the patient).
    public func accept(_ requestId: UUID, newStart: Date?, by clinician: Clinician, actor: AuditActor, now: Date) async throws {
        try await database.write(unitOfWork: { tx in
            let request = try await Self.open(requestId, clinicId: clinician.clinicId, tx: tx)
            var details = ["changeRequest": requestId.lower]
            let action: String
            switch request.kind {
            case .cancel:
                let a = try await tx.appointment(id: request.appointmentId, clinicId: clinician.clinicId)
                _ = try await ChangeAppointmentStatus.change(a, to: .cancelled, today: clinician.today, in: tx, now: now)
                action = "appointment.cancelled"
            case .change:
                guard let newStart else { throw Refusal.invalid([FieldError("start", "is required: the new date and time agreed with the patient")]) }
                let (_, moved) = try await RescheduleAppointment.move(request.appointmentId, to: newStart, expectedVersion: nil,
                                                                        clinicId: clinician.clinicId, in: tx, now: now)
                details["moved"] = String(moved.count)
                action = "appointment.reschedule"
            }
            try await tx.decide(changeRequest: requestId, status: .accepted, reply: "", by: clinician.user.id, now: now)
            try await tx.audit(AuditEvent(action: action, recordType: "appointment", recordId: request.appointmentId.uuidString,
                                          patientId: request.patientId, details: details), by: actor, now: now)
        })
    }

    public func decline(_ requestId: UUID, reply: String?, by clinician: Clinician, actor: AuditActor, now: Date) async throws {
        let message: String
        switch ChangeRequestRules.validateReply(reply) {
        case .success(let m): message = m
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        try await database.write(unitOfWork: { tx in
            let request = try await Self.open(requestId, clinicId: clinician.clinicId, tx: tx)
            try await tx.decide(changeRequest: requestId, status: .declined, reply: message, by: clinician.user.id, now: now)
            try await tx.audit(AuditEvent(action: "change-request.decline", recordType: "appointment_change_request", recordId: requestId.uuidString,
                                          patientId: request.patientId), by: actor, now: now)
        })
    }

    static func open(_ id: UUID, clinicId: UUID, tx: UnitOfWork) async throws -> ChangeRequest {
        let request = try await tx.changeRequest(id: id, clinicId: clinicId)
        guard request.status == .open else { throw Refusal(.conflict, "Already answered", detail: "This request has already been answered.") }
        return request
    }
}

/// The clinic's open change requests (staff), each audited read listing names once.
public struct ReadChangeRequests: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func open(by clinician: Clinician, actor: AuditActor, now: Date) async throws -> [ChangeRequest] {
        try await database.write(unitOfWork: { tx in
            let open = try await tx.openChangeRequests(clinicId: clinician.clinicId)
            try await tx.audit(AuditEvent(action: "change-request.list", recordType: "clinic", recordId: clinician.clinicId.lower,
                                          details: ["shown": String(open.count)]), by: actor, now: now)
            return open
        })
    }
}

extension ReadChangeRequests {
    public struct Mine: Sendable {
        public var requests: [ChangeRequest]
        public var noticeHours: Int
    }

    /// The signed-in patient's own requests (newest first) and the clinic's notice period.
    public func mine(for patient: PortalPatient, actor: AuditActor, now: Date) async throws -> Mine {
        try await database.write(unitOfWork: { tx in
            let mine = Mine(requests: try await tx.changeRequests(patientId: patient.patientId, clinicId: patient.clinicId),
                            noticeHours: try await tx.portalSettings(clinicId: patient.clinicId).changeNoticeHours)
            try await tx.audit(AuditEvent(action: "change-request.list", recordType: "patient", recordId: patient.patientId.uuidString,
                                          patientId: patient.patientId), by: actor, now: now)
            return mine
        })
    }
}
