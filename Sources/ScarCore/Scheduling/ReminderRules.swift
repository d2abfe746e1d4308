import Foundation

/// Clinic-configurable lead times of the patient messages, each with its source.
public struct ReminderSettings: Sendable, Hashable, Codable {
    /// Days before a session to remind the patient to pause topical retinoids.
    public var retinoidPauseDays: Int
    /// Days before a session to remind a patient with a cold-sore history about the antiviral
    /// prophylaxis their clinician may have arranged.
    public var antiviralLeadDays: Int

    public init(retinoidPauseDays: Int = ReminderSettings.defaultRetinoidPauseDays,
                antiviralLeadDays: Int = ReminderSettings.defaultAntiviralLeadDays) {
        self.retinoidPauseDays = retinoidPauseDays
        self.antiviralLeadDays = antiviralLeadDays
    }

    /// "Topical retinoids — Stop 2 weeks before (saltsalon)", domain reference §6 table and §9, [C1].
    public static let defaultRetinoidPauseDays = 14
    public static let retinoidSource = "Common clinic practice: stop topical retinoids 2 weeks before a session"
    /// "History of HSV — oral antiviral prophylaxis for one week may be needed", domain reference §6,
    /// J Drugs Dermatol 2024; mailash — [C2] (duration [C1]).
    public static let defaultAntiviralLeadDays = 7
    public static let antiviralSource = "Microneedling for treatment of acne scars: considerations on the successful management of this aesthetic procedure. J Drugs Dermatol 2024 (antiviral prophylaxis for a history of cold sores); the one-week lead is common clinic practice"
    public static let postCareSource = "Common clinic aftercare practice"
}

public enum MessageKind: String, Sendable, Codable, CaseIterable, Hashable {
    case confirmation
    case rescheduled
    case cancelled
    case reminder24h = "reminder-24h"
    case retinoidPause = "retinoid-pause"
    case antiviralProphylaxis = "antiviral-prophylaxis"
    case postCareCheckIn = "post-care-check-in"

    public var label: String {
        switch self {
        case .confirmation: "Booking confirmation"
        case .rescheduled: "Change of time"
        case .cancelled: "Cancellation notice"
        case .reminder24h: "Reminder 24 h before"
        case .retinoidPause: "Pre-care: pause retinoids"
        case .antiviralProphylaxis: "Pre-care: antiviral prophylaxis"
        case .postCareCheckIn: "Post-care check-in"
        }
    }
}

/// The appointment facts the message rules look at.
public struct ReminderAppointment: Sendable, Hashable {
    public var id: UUID
    public var kind: ProposedAppointment.Kind
    public var start: Date
    /// `Intake.herpesHistory` of the patient's latest intake.
    public var herpesHistory: Bool
    /// Bumped whenever the appointment's time changes; part of each message's idempotency key.
    public var sequence: Int
    public init(id: UUID, kind: ProposedAppointment.Kind, start: Date, herpesHistory: Bool, sequence: Int) {
        self.id = id
        self.kind = kind
        self.start = start
        self.herpesHistory = herpesHistory
        self.sequence = sequence
    }
}

/// A message the outbox should send at `dueAt`. The idempotency key names the appointment,
/// its change sequence and the kind, so generating the same messages twice stores them once.
public struct PlannedMessage: Sendable, Hashable {
    public var kind: MessageKind
    public var dueAt: Date
    public var idempotencyKey: String
    public var subject: String
    public var body: String
    public var source: String?
}

/// Which messages an appointment gets. Pure: `now` and the clinic's time zone are passed in.
/// Texts are reminders of the clinic's own instructions; they never give medical advice.
public enum ReminderRules {
    public static func messages(for a: ReminderAppointment, change: MessageKind = .confirmation, clinicName: String,
                                settings: ReminderSettings, timeZone: TimeZone, now: Date) -> [PlannedMessage] {
        let when = formatted(a.start, timeZone)
        func key(_ k: MessageKind) -> String { "appt:\(a.id.lower):\(a.sequence):\(k.rawValue)" }
        var out: [PlannedMessage] = []
        let visit = a.kind == .session ? "treatment session" : "follow-up visit"
        if change == .cancelled {
            return [PlannedMessage(kind: .cancelled, dueAt: now, idempotencyKey: key(.cancelled), subject: "Appointment cancelled",
                                   body: "Your \(visit) at \(clinicName) on \(when) has been cancelled. Please contact the clinic to rebook.",
                                   source: nil)]
        }
        guard a.start > now else { return [] }
        out.append(PlannedMessage(kind: change, dueAt: now, idempotencyKey: key(change),
                                  subject: change == .rescheduled ? "New time for your appointment" : "Appointment booked",
                                  body: "Your \(visit) at \(clinicName) is on \(when).", source: nil))
        let dayBefore = a.start.addingTimeInterval(-24 * 3600)
        if dayBefore > now {
            out.append(PlannedMessage(kind: .reminder24h, dueAt: dayBefore, idempotencyKey: key(.reminder24h), subject: "Appointment tomorrow",
                                      body: "Reminder: your \(visit) at \(clinicName) is on \(when).", source: nil))
        }
        guard a.kind == .session else { return out }
        let retinoid = max(now, a.start.addingTimeInterval(-Double(settings.retinoidPauseDays) * 86400))
        out.append(PlannedMessage(kind: .retinoidPause, dueAt: retinoid, idempotencyKey: key(.retinoidPause),
                                  subject: "Before your session: topical retinoids",
                                  body: "Your session at \(clinicName) is on \(when). If you use a topical retinoid, the clinic's "
                                      + "pre-care instructions ask you to pause it \(settings.retinoidPauseDays) days before the session. "
                                      + "Contact the clinic with any questions.",
                                  source: ReminderSettings.retinoidSource))
        if a.herpesHistory {
            let antiviral = max(now, a.start.addingTimeInterval(-Double(settings.antiviralLeadDays) * 86400))
            out.append(PlannedMessage(kind: .antiviralProphylaxis, dueAt: antiviral, idempotencyKey: key(.antiviralProphylaxis),
                                      subject: "Before your session: cold-sore history",
                                      body: "Your session at \(clinicName) is on \(when). Your record notes a history of cold sores; "
                                          + "please follow the antiviral plan your clinician discussed with you, starting "
                                          + "\(settings.antiviralLeadDays) days before, or contact the clinic if you have none.",
                                      source: ReminderSettings.antiviralSource))
        }
        out.append(PlannedMessage(kind: .postCareCheckIn, dueAt: a.start.addingTimeInterval(24 * 3600), idempotencyKey: key(.postCareCheckIn),
                                  subject: "How is your skin today?",
                                  body: "Yesterday you had a session at \(clinicName). Follow the post-care sheet you were given "
                                      + "and contact the clinic if anything worries you.",
                                  source: ReminderSettings.postCareSource))
        return out
    }

    static func formatted(_ date: Date, _ zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = zone
        f.dateFormat = "EEEE d MMMM yyyy 'at' HH:mm"
        return f.string(from: date)
    }
}
