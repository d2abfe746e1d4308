import Foundation

/// Who may be enrolled in a split-face study and which side they get, and which blinded ratings
/// may be saved: decided here once, read inside the enrolling or rating transaction.
public enum SplitFaceEnrolment {
    /// The next participant's number, code and allocation.
    public struct Allocation: Sendable, Equatable {
        public var number: Int
        public var code: String
        public var armASide: FaceSide
    }

    public enum Refusal: Sendable, Equatable {
        /// No signed, unwithdrawn research consent: enrolment rests on one.
        case noResearchConsent
        /// The study has reached its target enrolment.
        case full
    }

    /// Participant numbers are handed out in order; the side comes from the recorded seed, so it is
    /// revealed only now and an auditor can recompute it.
    public static func next(_ design: StudyDesign, seed: UInt64, enrolled: Int, hasResearchConsent: Bool) -> Result<Allocation, EnrolmentRefused> {
        guard hasResearchConsent else { return .failure(EnrolmentRefused(reason: .noResearchConsent)) }
        guard enrolled < design.targetEnrolment else { return .failure(EnrolmentRefused(reason: .full)) }
        let number = enrolled + 1
        return .success(Allocation(number: number, code: String(format: "P-%03d", number),
                                   armASide: SplitFaceRandomization.armASide(seed: seed, participant: number, blockSizes: design.blockSizes)))
    }

    public struct EnrolmentRefused: Error, Sendable, Equatable {
        public var reason: Refusal
    }
}

/// One cell of a blinded rating grid: a participant's side at a time point, and the value given.
public struct SideRating: Sendable, Equatable, Hashable {
    public var participantCode: String
    public var timePoint: String
    public var side: FaceSide
    public var value: Double

    public init(participantCode: String, timePoint: String, side: FaceSide, value: Double) {
        (self.participantCode, self.timePoint, self.side, self.value) = (participantCode, timePoint, side, value)
    }

    /// The cell, whatever the value.
    public var cell: String { "\(participantCode)|\(timePoint)|\(side.rawValue)" }

    /// The cell's name on the rating grid, and the field a refusal names (`r|P-001|baseline|left`).
    public var fieldName: String { "r|" + cell }
}

/// Whether a submission of blinded ratings may be saved: every cell at one of the study's time
/// points, no participant who withdrew research consent (no new data is collected; earlier
/// ratings stay), no cell already rated (ratings are never overwritten). Checked for the whole
/// submission before any is saved.
public enum BlindedRating {
    public enum Refusal: Error, Sendable, Equatable {
        case unknownTimePoint(allowed: [String])
        case withdrawn(code: String)
        case alreadyRated([SideRating])
    }

    public static func check(_ ratings: [SideRating], timePoints: [String], withdrawn: Set<String>, takenCells: Set<String>) -> Refusal? {
        if ratings.contains(where: { !timePoints.contains($0.timePoint) }) { return .unknownTimePoint(allowed: timePoints) }
        if let code = Set(ratings.map(\.participantCode)).sorted().first(where: withdrawn.contains) { return .withdrawn(code: code) }
        let conflicts = ratings.filter { takenCells.contains($0.cell) }
        return conflicts.isEmpty ? nil : .alreadyRated(conflicts)
    }
}
