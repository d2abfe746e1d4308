import Foundation
import ScarCore
import SQLKit

/// A study as FHIR's Group: the study and its participants (who they are, not their arms).
public struct FHIRStudyGroup: Sendable {
    public var study: StudyRepository.Study
    public var participants: [StudyRepository.Participant]
}

extension FHIRReadRepository {
    /// The clinic's studies as Groups (one, with `id`), read with their participants in one
    /// transaction that appends one audit entry (`action`; the Groups shown), as every read of
    /// patient data is. Another clinic's study is not found.
    public func groups(clinicId: UUID, id: UUID? = nil, by actor: AuditActor, action: String) async throws -> [FHIRStudyGroup] {
        let engine = db.engine
        return try await db.write { sql in
            let studies: [StudyRepository.Study]
            if let id {
                studies = [try await StudyRepository.load(id: id, clinicId: clinicId, on: sql)]
            } else {
                studies = try await sql.raw("""
                    SELECT \(unsafeRaw: StudyRepository.studyColumns) FROM studies s WHERE s.clinic_id = \(bind: clinicId) ORDER BY s.id
                    """).all().map(StudyRepository.decodeStudy)
            }
            var groups: [FHIRStudyGroup] = []
            for study in studies {
                groups.append(FHIRStudyGroup(study: study, participants: try await StudyRepository.participants(studyId: study.id, clinicId: clinicId, on: sql)))
            }
            try await AuditTrail.append(AuditEvent(action: action, recordType: "study", recordId: id?.uuidString,
                                                   details: ["groups": groups.map { $0.study.id.lower }.joined(separator: ",")]),
                                        by: actor, engine: engine, on: sql)
            return groups
        }
    }
}
