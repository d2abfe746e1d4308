import Foundation
import ScarCore
import ScarStore

/// The patient's safety banner (`SafetyBanner`) for the pages beside the patient page, the session
/// chart first: the latest intake and the valid photo-use and research consents, read in one read
/// transaction. Not audited on its own: the page that shows it audits its read of the patient.
public struct ReadSafetyBanner: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(patient: Patient, by clinician: Clinician) async throws -> [SafetyBanner.Item] {
        try await database.read(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let intake = try await tx.screeningInputs(patientId: patient.id, clinicId: clinicId).intake?.intake
            let photo = try await tx.validConsent(kind: .photoUse, patientId: patient.id, clinicId: clinicId) != nil
            let research = try await tx.validConsent(kind: .research, patientId: patient.id, clinicId: clinicId) != nil
            return SafetyBanner.items(age: patient.age(on: clinician.today), intake: intake, photoConsent: photo, researchConsent: research)
        })
    }
}
