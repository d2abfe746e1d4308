import Foundation
import ScarCore
import ScarStore

// ResearchStudy and ResearchSubject (R4) for split-face studies.

public struct FHIRResearchStudy: Encodable, Sendable {
    public let resourceType = "ResearchStudy"
    public var id: String
    public var meta: Meta
    public var title: String
    public var status: String
    public var description: String
    public var period: Period
    /// The two allocations of a split-face study; only for roles that may see the allocation.
    public var arm: [Arm]?

    public struct Arm: Encodable, Sendable, Equatable {
        public var name: String
        public var description: String
    }
}

public struct FHIRResearchSubject: Encodable, Sendable {
    public let resourceType = "ResearchSubject"
    public var id: String
    public var meta: Meta
    public var identifier: [Identifier]
    public var status: String
    public var period: Period
    public var study: Reference
    public var individual: Reference
    /// The participant's allocation (an `arm` name of the study); only for roles that may see it.
    public var assignedArm: String?
    public var consent: Reference?
}

extension FHIRCodes {
    /// Participant codes are unique within one study.
    public func studyParticipantSystem(studyId: UUID) -> String { base + "/sid/study/\(studyId.lower)/participant" }
}

/// A split-face study randomizes the side of the face that gets arm A; the other side gets arm B.
/// Its FHIR arms are those two allocations, named `A-left` and `A-right`, each describing both
/// treatments; a participant's `assignedArm` is their allocation. Roles that must stay blinded
/// (everyone but administrators and practitioners) get neither.
extension FHIRMapping {
    public static func allocationArm(_ armASide: FaceSide) -> String { armASide == .left ? "A-left" : "A-right" }

    public func researchStudy(_ s: StudyRepository.Study) -> FHIRResearchStudy {
        let d = s.design
        let arms = FaceSide.allCases.map { side in
            FHIRResearchStudy.Arm(name: Self.allocationArm(side),
                                  description: "\(d.armA) on the \(side.rawValue) side of the face, \(d.armB) on the \(side.other.rawValue) side")
        }
        return FHIRResearchStudy(
            id: s.id.lower, meta: Self.meta(1, s.createdAt), title: d.title,
            status: s.enrolled >= d.targetEnrolment ? "closed-to-accrual" : "active",
            description: d.protocolSummary + "\n\nSplit-face design: the side of the face each participant receives each treatment on is "
                + "randomized in blocks. Outcome: \(FHIRTerms.scaleName(d.outcomeScale)) at \(d.timePoints.joined(separator: ", ")). "
                + "Target enrolment: \(d.targetEnrolment).",
            period: Period(start: FHIRTime.instant(s.createdAt), end: nil), arm: showsAllocation ? arms : nil)
    }

    public func researchSubject(_ p: StudyRepository.Participant, studyId: UUID) -> FHIRResearchSubject {
        FHIRResearchSubject(
            id: p.id.lower, meta: Self.meta(1, p.enrolledAt),
            identifier: [Identifier(system: codes.studyParticipantSystem(studyId: studyId), value: p.code)],
            status: p.consentValid ? "on-study" : "off-study", period: Period(start: FHIRTime.instant(p.enrolledAt), end: nil),
            study: Reference("ResearchStudy", studyId.lower), individual: Reference("Patient", p.patientId.lower),
            assignedArm: showsAllocation ? Self.allocationArm(p.armASide) : nil,
            consent: UUID(uuidString: p.researchConsent).map { Reference("Consent", $0.lower) })
    }
}
