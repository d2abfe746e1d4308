import Foundation
import ScarCore

/// The schedule settings form as the template shows it: each field with the value to show (the
/// stored one, or what was typed when a save was refused) and its message beside it.
struct ScheduleSettingsForm {
    struct Field {
        var id: String
        var name: String
        var label: String
        var value: String
        var error: String?
        var short: Bool
    }

    struct Group {
        var fields: [Field]
        var citation: String
    }

    var version: String
    var groups: [Group]

    /// The stored settings' values, as the form names them.
    static func values(_ s: ScheduleSettings) -> [String: String] {
        ["microneedlingMinutes": String(s.microneedlingMinutes), "rfMicroneedlingMinutes": String(s.rfMicroneedlingMinutes),
         "followUpMinutes": String(s.followUpMinutes), "minimumIntervalDays": String(s.minimumIntervalDays),
         "windowDays": String(s.windowDays), "followUpMonths": s.followUpMonths.map(String.init).joined(separator: ", "),
         "retinoidPauseDays": String(s.reminders.retinoidPauseDays), "antiviralLeadDays": String(s.reminders.antiviralLeadDays)]
    }

    init(values: [String: String], version: Int, errors: [FieldError] = []) {
        func field(_ id: String, _ name: String, _ label: String, short: Bool = true) -> Field {
            Field(id: id, name: name, label: label, value: values[name] ?? "", error: errors.first { $0.field == name }?.message, short: short)
        }
        self.version = String(version)
        groups = [
            Group(fields: [field("mn-min", "microneedlingMinutes", "Microneedling session (min)"),
                           field("rf-min", "rfMicroneedlingMinutes", "RF microneedling session (min)"),
                           field("fu-min", "followUpMinutes", "Follow-up visit (min)")],
                  citation: ScheduleSettings.durationSource),
            Group(fields: [field("min-int", "minimumIntervalDays", "Minimum interval (days)"),
                           field("window", "windowDays", "Placement window (± days)"),
                           field("fu-months", "followUpMonths", "Follow-ups (months)", short: false)],
                  citation: "\(ScheduleSettings.intervalSource). Follow-ups: \(FollowUpRule.source). "
                      + "The window is an operational choice, not a clinical value."),
            Group(fields: [field("ret", "retinoidPauseDays", "Retinoid pause reminder (days before)"),
                           field("av", "antiviralLeadDays", "Antiviral reminder (days before)")],
                  citation: ReminderSettings.retinoidSource + " " + ReminderSettings.antiviralSource),
        ]
    }
}
