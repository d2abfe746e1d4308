import Foundation
import ScarStore

/// A Group as Bulk Data's Group-level `$export` uses it: a split-face study's participants
/// (id = the study's id), each member a Patient. Arms, sides and participant codes are not in
/// it: it names who takes part, nothing of the allocation.
public struct FHIRGroup: Encodable, Sendable {
    public let resourceType = "Group"
    public var id: String
    public var meta: Meta
    public var active = true
    public var type = "person"
    public var actual = true
    public var name: String
    public var quantity: Int
    public var managingEntity: Reference
    public var member: [Member]?

    public struct Member: Encodable, Sendable {
        public var entity: Reference
        public var period: Period
        /// True once the participant's research consent is withdrawn (still a member: exports keep them).
        public var inactive: Bool?
    }
}

extension FHIRMapping {
    /// One study's Group: its title, its participants in enrolment order, from the day each enrolled.
    /// `versionId` counts the study and each enrolment; `lastUpdated` is the latest of them.
    public func group(_ study: StudyRepository.Study, participants: [StudyRepository.Participant], clinicId: UUID) -> FHIRGroup {
        let updated = ([study.createdAt] + participants.map(\.enrolledAt)).max() ?? study.createdAt
        return FHIRGroup(id: study.id.lower, meta: Self.meta(1 + participants.count, updated), name: study.design.title,
                         quantity: participants.count, managingEntity: Reference("Organization", clinicId.lower),
                         member: participants.map {
                             FHIRGroup.Member(entity: Reference("Patient", $0.patientId.lower), period: Period(start: FHIRTime.instant($0.enrolledAt), end: nil),
                                              inactive: $0.consentValid ? nil : true)
                         }.nonEmpty)
    }
}
