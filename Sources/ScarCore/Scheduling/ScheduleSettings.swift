import Foundation

/// The clinic's schedule settings. Durations default to 60 minutes for a procedure (the upper
/// end of "about 30–60 min", domain reference S2) and 30 for a follow-up visit (its lower end);
/// the minimum interval defaults to 7 days, the shortest interval reported in the literature
/// (§4.1: "intervals run from 1 week to 6 weeks"; warn only below a clinic-configured minimum).
/// The placement window is an operational tolerance, not a clinical value.
public struct ScheduleSettings: Sendable, Equatable {
    public var microneedlingMinutes: Int
    public var rfMicroneedlingMinutes: Int
    public var followUpMinutes: Int
    public var minimumIntervalDays: Int
    public var windowDays: Int
    public var followUpMonths: [Int]
    public var reminders: ReminderSettings
    public var version: Int

    public static let defaults = ScheduleSettings(
        microneedlingMinutes: 60, rfMicroneedlingMinutes: 60, followUpMinutes: 30, minimumIntervalDays: 7, windowDays: 7,
        followUpMonths: FollowUpRule.defaultMonths, reminders: ReminderSettings(), version: 0)

    public static let durationSource = "Common clinic practice: a procedure takes about 30–60 minutes depending on the area"
    public static let intervalSource = "Intervals in the literature run from 1 week to 6 weeks (Harris, Naidoo & Murrell, Int J Womens Dermatol 2015); ScarTrack warns only below the clinic's minimum"

    /// The bounds the settings form and the API accept (operational limits, not clinical values).
    public static let minutesRange = 5...480
    public static let minimumIntervalRange = 1...365
    public static let windowRange = 0...60
    public static let reminderLeadRange = 0...90

    /// The settings as a form sends them (field name → text), every value checked against its
    /// bounds and every error reported at once, named by field.
    public static func validate(_ form: [String: String], version: Int) -> Result<ScheduleSettings, ValidationFailure> {
        var errors: [FieldError] = []
        func int(_ name: String, _ range: ClosedRange<Int>) -> Int {
            let text = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
            guard let value = Int(text), range.contains(value) else {
                errors.append(FieldError(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
                return range.lowerBound
            }
            return value
        }
        let settings = ScheduleSettings(
            microneedlingMinutes: int("microneedlingMinutes", minutesRange), rfMicroneedlingMinutes: int("rfMicroneedlingMinutes", minutesRange),
            followUpMinutes: int("followUpMinutes", minutesRange), minimumIntervalDays: int("minimumIntervalDays", minimumIntervalRange),
            windowDays: int("windowDays", windowRange), followUpMonths: FollowUpRule.parse(form["followUpMonths"] ?? "") ?? [],
            reminders: ReminderSettings(retinoidPauseDays: int("retinoidPauseDays", reminderLeadRange),
                                        antiviralLeadDays: int("antiviralLeadDays", reminderLeadRange)),
            version: version)
        if FollowUpRule.parse(form["followUpMonths"] ?? "") == nil {
            errors.append(FieldError("followUpMonths", "must be a list of different months from 1 to 60, separated by commas"))
        }
        return errors.isEmpty ? .success(settings) : .failure(ValidationFailure(errors))
    }

    public func minutes(for modality: Modality) -> Int {
        modality == .rfMicroneedling ? rfMicroneedlingMinutes : microneedlingMinutes
    }

    public init(microneedlingMinutes: Int, rfMicroneedlingMinutes: Int, followUpMinutes: Int, minimumIntervalDays: Int, windowDays: Int,
                followUpMonths: [Int], reminders: ReminderSettings, version: Int) {
        self.microneedlingMinutes = microneedlingMinutes
        self.rfMicroneedlingMinutes = rfMicroneedlingMinutes
        self.followUpMinutes = followUpMinutes
        self.minimumIntervalDays = minimumIntervalDays
        self.windowDays = windowDays
        self.followUpMonths = followUpMonths
        self.reminders = reminders
        self.version = version
    }
}
