import Foundation
import ScarCore
import ScarStore

/// Saving blinded ratings (one from the API, a whole grid from the study page): one write
/// transaction that reads the study and the rated participants, lets ScarCore check the whole
/// submission (`BlindedRating.check`: the study's time points, research consent not withdrawn, no
/// cell already rated) before anything is saved, stores every cell and appends one `study.rate`
/// entry naming the cells. All of the submission or nothing.
public struct RateSide: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// Refused cells are named by `SideRating.fieldName` (the grid's cell names). A study or
    /// participant of another clinic is `StoreError.notFound`.
    public func callAsFunction(studyId: UUID, ratings: [SideRating], by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws {
        do {
            try await database.write(unitOfWork: { tx in
                let clinicId = clinician.clinicId
                let study = try await tx.study(id: studyId, clinicId: clinicId)
                guard !ratings.isEmpty else { return }
                let participants = try await tx.ratedParticipants(studyId: studyId, codes: Set(ratings.map(\.participantCode)), clinicId: clinicId)
                let taken = try await tx.ratedCells(studyId: studyId, participantIds: participants.values.map(\.id))
                if let refused = BlindedRating.check(ratings, timePoints: study.design.timePoints,
                                                     withdrawn: Set(participants.filter { !$0.value.consentValid }.keys), takenCells: taken) {
                    throw Self.refusal(refused, submitted: ratings.count)
                }
                for r in ratings {
                    try await tx.insert(rating: r, studyId: studyId, participantId: participants[r.participantCode]!.id,
                                        raterId: clinician.user.id, now: now)
                }
                try await tx.audit(Self.event(studyId: studyId, ratings: ratings, participants: participants), by: actor, now: now)
            })
        } catch StoreError.duplicate {
            throw Refusal(.conflict, "Already rated",
                          detail: "A cell of this submission was rated meanwhile; ratings are not overwritten, so nothing was saved.",
                          fields: [FieldError("side", "already rated")])
        }
    }

    /// One entry for the submission; it names the patient when the cells are one participant's.
    static func event(studyId: UUID, ratings: [SideRating], participants: [String: StudyRepository.RatedParticipant]) -> AuditEvent {
        let patients = Set(participants.values.map(\.patientId))
        var details = ["participant": Set(ratings.map(\.participantCode)).sorted().joined(separator: ",")]
        if ratings.count == 1 {
            details["timePoint"] = ratings[0].timePoint
            details["side"] = ratings[0].side.rawValue
        } else {
            details["cells"] = ratings.map(\.cell).joined(separator: ",")
        }
        return AuditEvent(action: "study.rate", recordType: "study", recordId: studyId.uuidString,
                          patientId: patients.count == 1 ? patients.first : nil, details: details)
    }

    static func refusal(_ refused: BlindedRating.Refusal, submitted: Int) -> Refusal {
        switch refused {
        case .unknownTimePoint(let allowed):
            return .invalid([FieldError("timePoint", "must be one of \(allowed.joined(separator: ", "))")])
        case .withdrawn(let code):
            return Refusal(.conflict, "Research consent withdrawn",
                           detail: "\(code) withdrew research consent: no further ratings are collected; earlier ones are kept.",
                           fields: [FieldError("participant", "withdrew research consent")])
        case .alreadyRated(let cells):
            let names = cells.map { "\($0.participantCode) \($0.timePoint) \($0.side.rawValue)" }.joined(separator: ", ")
            return Refusal(.conflict, "Already rated",
                           detail: "\(names) already \(cells.count == 1 ? "has a rating" : "have ratings"); ratings are not overwritten"
                               + (submitted > 1 ? ", so nothing of this submission was saved." : "."),
                           fields: cells.map { FieldError($0.fieldName, "already rated") })
        }
    }
}
