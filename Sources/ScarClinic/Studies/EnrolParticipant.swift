import Foundation
import ScarCore
import ScarStore

/// Enrolling a patient in a split-face study: one write transaction that locks the study
/// (numbers in order) and the patient (a research consent withdrawn at the same moment is seen
/// or lands after), reads the patient's signed research consent, lets ScarCore decide
/// (`SplitFaceEnrolment.next`: consent, target, the side from the recorded seed, revealed only
/// now), stores the participant and appends one `study.enrol` entry naming the participant code
/// and the consent it rests on.
public struct EnrolParticipant: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// Who is enrolled: a patient's id (API) or the record number typed on the study page.
    public enum PatientReference: Sendable {
        case id(UUID)
        case recordNumber(String)
    }

    public func callAsFunction(studyId: UUID, patient: PatientReference, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> StudyRepository.Participant {
        do {
            return try await database.write(unitOfWork: { tx in
                let clinicId = clinician.clinicId
                let patientId = try await Self.resolve(patient, clinicId: clinicId, tx: tx)
                let study = try await tx.lockStudy(studyId, clinicId: clinicId)
                try await tx.lockPatient(patientId, clinicId: clinicId)
                let consent = try await tx.researchConsent(patientId: patientId, clinicId: clinicId)
                switch SplitFaceEnrolment.next(study.design, seed: study.seed, enrolled: study.enrolled, hasResearchConsent: consent != nil) {
                case .failure(let refused):
                    throw Self.refusal(refused.reason)
                case .success(let allocation):
                    let participant = try await tx.insert(participant: allocation, patientId: patientId, studyId: studyId,
                                                          researchConsent: consent!, enrolledBy: clinician.user.id, now: now)
                    try await tx.audit(AuditEvent(action: "study.enrol", recordType: "study", recordId: studyId.uuidString, patientId: patientId,
                                                  details: ["participant": participant.code, "researchConsent": participant.researchConsent]),
                                       by: actor, now: now)
                    return participant
                }
            })
        } catch StoreError.duplicate {
            // The unique (study, patient) index: the transaction is gone, so this is decided here.
            throw Refusal(.conflict, "Already enrolled", detail: "This patient is already enrolled.", fields: [FieldError("patientId", "refused")])
        }
    }

    static func resolve(_ reference: PatientReference, clinicId: UUID, tx: UnitOfWork) async throws -> UUID {
        switch reference {
        case .id(let id):
            return id
        case .recordNumber(let typed):
            let mrn = typed.trimmingCharacters(in: .whitespaces)
            guard !mrn.isEmpty, let patient = try await tx.patient(recordNumber: mrn, clinicId: clinicId) else {
                throw Refusal.invalid([FieldError("mrn", "matches no patient's record number")])
            }
            return patient.id
        }
    }

    static func refusal(_ reason: SplitFaceEnrolment.Refusal) -> Refusal {
        switch reason {
        case .noResearchConsent:
            return .invalid([FieldError("researchConsent",
                                        "is missing: the patient has no signed research consent (sign one from the patient's page, or it was withdrawn)")])
        case .full:
            return Refusal(.conflict, "Study is full", detail: "The study has reached its target enrolment.",
                           fields: [FieldError("targetEnrolment", "refused")])
        }
    }
}
