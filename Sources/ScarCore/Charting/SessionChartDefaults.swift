import Foundation

/// What a new chart starts from, so it is fast to fill: the previous session's chart (device,
/// lots, zones and settings carried forward; the day, reactions and notes not), else the
/// approved plan's modality and target depths, else a blank chart dated today. The banner tells
/// the clinician where the values came from.
public enum SessionChartDefaults {
    public struct Defaults: Sendable, Equatable {
        public var input: SessionChart.Input
        public var banner: String?
    }

    /// `previous`: the patient's latest session chart (as it stands, amendments applied) and its day.
    /// `limits`: the clinic's devices and lots; a first chart gets the device when the clinic has exactly one
    /// usable today for the session's modality, and the cartridge lot when it has exactly one not expired.
    public static func decide(previous: (chart: SessionChart, performedOn: CalendarDate)?, plan: PlanVersion?, today: CalendarDate,
                              limits: SessionChart.Limits? = nil) -> Defaults {
        var first = decideFirst(previous: previous, plan: plan, today: today)
        guard previous == nil, let limits else { return first }
        let modality = plan?.modality
        let devices = limits.devices.values.filter { $0.unusableReason(on: today) == nil && (modality == nil || $0.details.type.modality == modality) }
        let cartridges = limits.lots.values.filter { $0.details.kind == .cartridge && !$0.isExpired(on: today) }
        var chosen: [String] = []
        if devices.count == 1, first.input.deviceId == nil { first.input.deviceId = devices[0].id.lower; chosen.append("device") }
        if cartridges.count == 1, first.input.cartridgeLotId == nil { first.input.cartridgeLotId = cartridges[0].id.lower; chosen.append("cartridge lot") }
        if !chosen.isEmpty {
            first.banner = [first.banner, "The clinic's only \(chosen.joined(separator: " and ")) in use today \(chosen.count == 1 ? "is" : "are") chosen."]
                .compactMap { $0 }.joined(separator: " ")
        }
        return first
    }

    static func decideFirst(previous: (chart: SessionChart, performedOn: CalendarDate)?, plan: PlanVersion?, today: CalendarDate) -> Defaults {
        if let previous {
            var input = SessionChart.Input(previous.chart)
            input.performedOn = today.description
            input.reactions = nil
            input.notes = nil
            input.durationMinutes = previous.chart.durationMinutes
            return Defaults(input: input, banner: "Defaults carried from the session of \(previous.performedOn). Check each value.")
        }
        if let plan {
            return Defaults(input: SessionChart.Input.fromPlan(plan.content, modality: plan.modality, performedOn: today),
                            banner: "Target depths from the approved plan (version \(plan.number)). Choose the device and lots; check each value.")
        }
        var input = SessionChart.Input()
        input.performedOn = today.description
        return Defaults(input: input, banner: nil)
    }
}

/// Whether an appointment may carry a new session chart: a treatment session of this patient,
/// booked or checked in. Field errors name `appointmentId`; none means the link is fine.
public enum SessionAppointmentLink {
    public static func problems(isPatients: Bool, kind: ProposedAppointment.Kind, status: AppointmentStatus) -> [FieldError] {
        guard isPatients else { return [FieldError("appointmentId", "is not an appointment of this patient")] }
        guard kind == .session else { return [FieldError("appointmentId", "is a follow-up visit, not a treatment session")] }
        guard status == .booked || status == .checkedIn else {
            return [FieldError("appointmentId", "is \(status.rawValue); chart a booked or checked-in session")]
        }
        return []
    }

    public static let notFound = [FieldError("appointmentId", "is not an appointment of this patient")]
}
