import Foundation
import ScarCore

/// What enrolling a participant and saving blinded ratings read and write inside their one
/// transaction; each use case audits its intent (`study.enrol`, `study.rate`) once.
extension UnitOfWork {
    /// The study, locked so enrolment numbers are handed out in order (not found outside the clinic).
    public func lockStudy(_ studyId: UUID, clinicId: UUID) async throws -> StudyRepository.Study {
        try await StudyRepository.lock(studyId: studyId, clinicId: clinicId, engine: engine, on: sql)
    }

    /// The patient's newest signed, unwithdrawn research consent.
    public func researchConsent(patientId: UUID, clinicId: UUID) async throws -> UUID? {
        try await StudyRepository.researchConsent(patientId: patientId, clinicId: clinicId, on: sql)
    }

    /// Stores the participant ScarCore allocated; enrolling a patient twice is `StoreError.duplicate`.
    public func insert(participant a: SplitFaceEnrolment.Allocation, patientId: UUID, studyId: UUID, researchConsent: UUID,
                       enrolledBy: UUID?, now: Date) async throws -> StudyRepository.Participant {
        let participant = StudyRepository.Participant(id: UUID(), patientId: patientId, number: a.number, code: a.code, armASide: a.armASide,
                                                      researchConsent: researchConsent.lower, enrolledAt: now)
        try await StudyRepository.insert(participant, studyId: studyId, enrolledBy: enrolledBy, on: sql)
        return participant
    }

    /// The study's participants with these codes (an unknown code is not found).
    public func ratedParticipants(studyId: UUID, codes: Set<String>, clinicId: UUID) async throws -> [String: StudyRepository.RatedParticipant] {
        try await StudyRepository.ratedParticipants(studyId: studyId, codes: codes, clinicId: clinicId, on: sql)
    }

    public func ratedCells(studyId: UUID, participantIds: [UUID]) async throws -> Set<String> {
        try await StudyRepository.ratedCells(studyId: studyId, participantIds: participantIds, on: sql)
    }

    public func insert(rating: SideRating, studyId: UUID, participantId: UUID, raterId: UUID?, now: Date) async throws {
        try await StudyRepository.insert(rating, studyId: studyId, participantId: participantId, raterId: raterId, now: now, on: sql)
    }
}

extension UnitOfWork {
    /// The study, unlocked (not found outside the clinic).
    public func study(id: UUID, clinicId: UUID) async throws -> StudyRepository.Study {
        try await StudyRepository.load(id: id, clinicId: clinicId, on: sql)
    }
}
