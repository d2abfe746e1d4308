import Foundation

/// An approved plan version a session could follow, as the store reads it.
public struct ApprovedPlanVersion: Sendable, Equatable {
    public var planId: UUID
    public var versionId: UUID
    public var number: Int
    public var modality: Modality
    public var approvedBy: String?
    public var approvedAt: Date?

    public init(planId: UUID, versionId: UUID, number: Int, modality: Modality, approvedBy: String?, approvedAt: Date?) {
        self.planId = planId
        self.versionId = versionId
        self.number = number
        self.modality = modality
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
    }
}

/// Which approved plan version a session follows, decided one way for the checklist, the
/// signature and the new chart's defaults: the plan the session is linked to (through its own
/// plan version or its appointment) as approved now, else the patient's most recently approved
/// plan for the session's modality. A plan for another modality is never followed.
public enum SessionPlanChoice {
    /// How the session is linked to a plan.
    public enum Link: Sendable, Equatable {
        /// Neither the session nor its appointment names a plan.
        case none
        /// The plan named by the session's plan version or its appointment.
        case plan(UUID)
        /// The session names a plan version that is not one of this patient's.
        case foreignVersion
    }

    public struct Choice: Sendable, Equatable {
        public var version: ApprovedPlanVersion?
        /// Why this version, or why none (shown beside the checklist's plan item).
        public var reason: String
    }

    /// `approved`: the patient's approved plan versions (one per plan at most).
    public static func choose(link: Link, modality: Modality, approved: [ApprovedPlanVersion]) -> Choice {
        switch link {
        case .foreignVersion:
            return Choice(version: nil, reason: "The plan version linked to this session is not a plan of this patient.")
        case .plan(let planId):
            guard let v = approved.first(where: { $0.planId == planId }) else {
                return Choice(version: nil, reason: "The treatment plan linked to this session has no approved version; approve it first.")
            }
            guard v.modality == modality else {
                return Choice(version: nil, reason: "The linked plan's approved version is for \(v.modality.rawValue), not \(modality.rawValue).")
            }
            return Choice(version: v, reason: describe(v))
        case .none:
            // Newest approval first; the same instant is broken by id so the choice is stable.
            let latest = approved.filter { $0.modality == modality }.sorted {
                let a = $0.approvedAt ?? .distantPast, b = $1.approvedAt ?? .distantPast
                return a != b ? a > b : $0.versionId.lower < $1.versionId.lower
            }.first
            guard let latest else {
                return Choice(version: nil, reason: "No approved treatment plan for \(modality.rawValue); plan the course and approve it first.")
            }
            return Choice(version: latest, reason: describe(latest))
        }
    }

    static func describe(_ v: ApprovedPlanVersion) -> String {
        let on = v.approvedAt.map { CalendarDate.utc($0).description } ?? "an unknown day"
        return "Plan version \(v.number) (\(v.modality.rawValue)) approved by \(v.approvedBy ?? "a practitioner") on \(on)."
    }
}
