import Foundation

/// A patient's request to change or cancel an appointment from the portal. The clinic sets how
/// much notice a request needs (`changeNoticeHours`, default 48: a clinic setting, not a clinical
/// number); later, the patient calls the clinic. A request never changes the appointment: front
/// desk accepts it (moving or cancelling through the usual schedule) or declines it with a message.
public enum ChangeRequestRules {
    public enum Kind: String, Sendable, CaseIterable {
        case change
        case cancel
        public var label: String { self == .change ? "Change the time" : "Cancel" }
    }

    public enum Status: String, Sendable, CaseIterable {
        case open, accepted, declined
        public var label: String {
            switch self {
            case .open: "Sent: the clinic will get back to you"
            case .accepted: "Accepted"
            case .declined: "Declined"
            }
        }
    }

    public static let defaultNoticeHours = 48
    public static let maxReason = 500
    public static let maxReply = 500

    /// Whether the appointment is far enough away for a request.
    public static func canAsk(startsAt: Date, noticeHours: Int, now: Date) -> Bool {
        startsAt.timeIntervalSince(now) >= Double(noticeHours) * 3_600
    }

    public struct Input: Sendable, Equatable {
        public var kind: Kind
        public var reason: String
        public init(kind: Kind, reason: String) {
            self.kind = kind
            self.reason = reason
        }
    }

    public static func validate(kind: String?, reason: String?) -> Result<Input, ValidationFailure> {
        var errors: [FieldError] = []
        let k = Kind(rawValue: Text.trimmed(kind) ?? "")
        if k == nil { errors.append(FieldError("kind", "must be change or cancel")) }
        let r = Text.trimmed(reason) ?? ""
        if r.count > maxReason { errors.append(FieldError("reason", "must be at most \(maxReason) characters")) }
        guard let k, errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        return .success(Input(kind: k, reason: r))
    }

    /// Front desk declines with a message the patient reads.
    public static func validateReply(_ reply: String?) -> Result<String, ValidationFailure> {
        let r = Text.trimmed(reply) ?? ""
        if r.isEmpty || r.count > maxReply {
            return .failure(ValidationFailure([FieldError("reply", "is required: a message for the patient (at most \(maxReply) characters)")]))
        }
        return .success(r)
    }
}
