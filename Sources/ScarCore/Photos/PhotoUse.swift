import Foundation

/// What a clinical photograph is used for. Care (the patient's own treatment) needs no
/// consent beyond the treatment's; every other use needs the patient's photo-use consent,
/// and research also needs research consent (issue 5: "photos cannot be used for anything
/// but care without photo consent").
public enum PhotoUse: String, Sendable, CaseIterable {
    case care
    /// Blinded grading in a split-face study.
    case research
    /// Teaching and publication.
    case teaching
}

public enum PhotoUsePolicy {
    /// The consents a patient holds now (signed and not withdrawn).
    public struct Consents: Sendable, Equatable {
        public var photoUse: Bool
        public var research: Bool
        public init(photoUse: Bool, research: Bool) {
            self.photoUse = photoUse
            self.research = research
        }
    }

    /// Why the use is not allowed, or nil when it is.
    public static func refusal(for use: PhotoUse, consents: Consents) -> String? {
        switch use {
        case .care: return nil
        case .research:
            if !consents.photoUse { return "no photo-use consent" }
            if !consents.research { return "no research consent" }
            return nil
        case .teaching: return consents.photoUse ? nil : "no photo-use consent"
        }
    }
}

extension PhotoView {
    /// The side of the face a view shows, for per-side grading; nil for frontal and close-up.
    public var side: FaceSide? {
        switch self {
        case .obliqueLeft, .lateralLeft: .left
        case .obliqueRight, .lateralRight: .right
        case .frontal, .closeUp: nil
        }
    }
}
