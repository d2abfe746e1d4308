import Foundation

extension Intake {
    /// Reads an intake on its own (the API's and the intake form's payload): the same keys and
    /// the same strict checks as the `screen` command, without `asOf` and `modality`, which
    /// belong to a screening, not to the medical history.
    public static func parse(json: Data) throws(ValidationFailure) -> Intake {
        let document: JSONValue
        do { document = try JSONValue.parse(json) } catch { throw ValidationFailure([error]) }
        guard case .object(var members) = document else {
            throw ValidationFailure([FieldError("input", "must be a JSON object")])
        }
        var errors: [FieldError] = []
        for key in ["asOf", "modality"] where members.contains(where: { $0.key == key }) {
            errors.append(FieldError(key, "belongs to a screening, not to an intake"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        // Any valid day and modality will do: only the intake part of the request is kept.
        members.append(JSONValue.Member("asOf", .string("2000-01-01")))
        members.append(JSONValue.Member("modality", .string(Modality.microneedling.rawValue)))
        return try ScreeningRequest.parse(json: Data(JSONValue.object(members).rendered.utf8)).intake
    }
}

/// A practitioner's record that they have considered an `acknowledge` finding before
/// treating: who, when and why. Tied to one intake: a new intake asks again.
public struct ScreeningAcknowledgement: Sendable, Equatable, Codable {
    public var rule: String
    public var modality: Modality
    public var reason: String
    public var acknowledgedBy: String
    public var acknowledgedAt: Date

    public init(rule: String, modality: Modality, reason: String, acknowledgedBy: String, acknowledgedAt: Date) {
        self.rule = rule
        self.modality = modality
        self.reason = reason
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
    }

    public static let minimumReasonLength = 10

    /// The reason must say something: a one-word "ok" is not a clinical rationale.
    public static func validateReason(_ raw: String?) -> Result<String, FieldError> {
        guard let reason = Text.trimmed(raw), reason.count >= minimumReasonLength else {
            return .failure(FieldError("reason", "must explain the decision in at least \(minimumReasonLength) characters"))
        }
        guard reason.count <= 2000 else { return .failure(FieldError("reason", "must be at most 2000 characters")) }
        return .success(reason)
    }
}

extension ScreeningResult {
    /// `acknowledge` findings still waiting for a practitioner's acknowledgement.
    public func openAcknowledgements(_ acknowledged: [ScreeningAcknowledgement]) -> [ScreeningFinding] {
        findings.filter { f in
            f.outcome == .acknowledge && !acknowledged.contains { $0.rule == f.rule && $0.modality == modality }
        }
    }

    /// Whether a session may go ahead today on this result: nothing contraindicated or
    /// deferred, and every acknowledgement recorded. Later features gate on this.
    public func clearsTreatment(_ acknowledged: [ScreeningAcknowledgement]) -> Bool {
        outcome != .contraindicated && outcome != .defer && openAcknowledgements(acknowledged).isEmpty
    }
}
