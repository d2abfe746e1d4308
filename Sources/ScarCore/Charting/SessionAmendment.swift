import Foundation

/// A correction to a signed session (reference: traceability of device, lots and day). Pure:
/// the reason, the corrected chart checked against today's limits, and what changed, where only
/// the amendable fields may change.
public enum SessionAmendment {
    /// What an accepted amendment records.
    public struct Decided: Sendable, Equatable {
        public var reason: String
        public var after: SessionChart
        public var changedFields: [String]
    }

    public static let minimumReasonLength = 10

    /// What is wrong with the request itself, before any chart is looked at: a missing or short
    /// reason and a missing chart, reported together.
    public static func requestProblems(reason: String?, chart: SessionChart.Input?) -> [FieldError] {
        var errors: [FieldError] = []
        let reasonText = Text.trimmed(reason)
        if reasonText == nil || reasonText!.count < minimumReasonLength {
            errors.append(FieldError("reason", "is required (at least \(minimumReasonLength) characters)"))
        }
        if chart == nil { errors.append(FieldError("chart", "is required")) }
        return errors
    }

    /// Decides an amendment of `current` (the chart as signed with every amendment applied).
    public static func decide(reason: String?, chart: SessionChart.Input?, current: SessionChart,
                              limits: SessionChart.Limits) -> Result<Decided, ValidationFailure> {
        let problems = requestProblems(reason: reason, chart: chart)
        guard problems.isEmpty, let reasonText = Text.trimmed(reason), let chart else { return .failure(ValidationFailure(problems)) }
        let checked: SessionChart.Checked
        switch SessionChart.validate(chart, limits: limits) {
        case .failure(let f): return .failure(f)
        case .success(let c): checked = c
        }
        let changed = SessionChart.changedFields(current, checked.chart)
        if changed.isEmpty { return .failure(ValidationFailure([FieldError("chart", "changes nothing")])) }
        let notAmendable = changed.filter { !SessionChart.amendableFields.contains($0) }
        if !notAmendable.isEmpty {
            return .failure(ValidationFailure(notAmendable.map {
                FieldError("chart.\($0)", "cannot be amended after signing (traceability); only \(SessionChart.amendableFields.joined(separator: ", ")) can")
            }))
        }
        return .success(Decided(reason: reasonText, after: checked.chart, changedFields: changed))
    }

    /// The amendment form shows only the amendable fields; the rest (day, device, cartridge lot,
    /// modality, topicals, the anesthetic's lot when not re-entered) is taken from the chart as it stands.
    public static func completing(_ form: SessionChart.Input, from current: SessionChart) -> SessionChart.Input {
        var full = form
        let standing = SessionChart.Input(current)
        full.performedOn = current.performedOn.description
        full.deviceId = current.deviceId.lower
        full.cartridgeLotId = current.cartridgeLotId?.lower
        full.modality = current.modality.rawValue
        full.topicals = standing.topicals
        if full.anesthetic?.lotId == nil { full.anesthetic?.lotId = current.anesthetic?.lotId?.lower }
        return full
    }
}
