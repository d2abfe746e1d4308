import Foundation
import ScarCore
import ScarStore

/// An administrator makes a new clinic ready in one form: a treatment room, the first device, its
/// lots and the consent templates (from the shipped example wording, as edited). Checked in ScarCore
/// part by part, written together or not at all, audited once (`clinic.set-up`, naming what it made).
/// A serial number, lot or room name the clinic already has is refused beside its field.
public struct SetUpClinic: Sendable {
    public struct Done: Sendable, Equatable {
        public var roomId: UUID
        public var deviceId: UUID
        public var lotIds: [UUID]
        public var consentTemplateIds: [UUID]
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ input: ClinicSetUp.Input, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> Done {
        let setUp: ClinicSetUp
        switch ClinicSetUp.validate(input, today: clinician.today) {
        case .success(let s): setUp = s
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        let (clinicId, authorId) = (clinician.clinicId, clinician.user.id)
        return try await database.write(unitOfWork: { tx in
            if try await tx.roomNameTaken(setUp.roomName, clinicId: clinicId) { throw Self.taken("roomName") }
            let room = try await tx.insert(room: setUp.roomName, clinicId: clinicId, now: now)
            let device: Device
            do { device = try await tx.insert(device: setUp.device, clinicId: clinicId, now: now) } catch StoreError.duplicate(let field) {
                throw Self.taken("device.\(field)")
            }
            var lotIds: [UUID] = []
            for lot in setUp.lots {
                do { lotIds.append(try await tx.insert(lot: lot, clinicId: clinicId, now: now).id) } catch StoreError.duplicate(let field) {
                    throw Self.taken("\(lot.kind.rawValue).\(field)")
                }
            }
            var templateIds: [UUID] = []
            for template in setUp.consentTemplates {
                templateIds.append(try await tx.insert(consentTemplate: template, clinicId: clinicId, authorId: authorId, now: now).id)
            }
            try await tx.audit(AuditEvent(action: "clinic.set-up", recordType: "clinic", recordId: clinicId.lower, details: [
                "room": room.id.lower, "device": device.id.lower, "lots": lotIds.map(\.lower).joined(separator: ","),
                "consentTemplates": setUp.consentTemplates.map(\.kind.rawValue).joined(separator: ","),
            ]), by: actor, now: now)
            return Done(roomId: room.id, deviceId: device.id, lotIds: lotIds, consentTemplateIds: templateIds)
        })
    }

    static func taken(_ field: String) -> Refusal {
        Refusal(.conflict, "Already registered", detail: "\(field) is already registered", fields: [FieldError(field, "is already registered")])
    }
}
