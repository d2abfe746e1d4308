import Foundation

extension SessionChart.Input {
    /// The first session of a course starts from the approved plan: its modality and its target
    /// depth per zone, in the plan's zone order. Passes and endpoints are left for the clinician,
    /// since the plan does not prescribe them.
    public static func fromPlan(_ content: PlanContent, modality: Modality, performedOn: CalendarDate) -> SessionChart.Input {
        var input = SessionChart.Input()
        input.performedOn = performedOn.description
        input.modality = modality.rawValue
        input.zones = FacialZone.allCases.compactMap { zone in
            content.zoneDepths[zone].map { SessionChart.ZoneInput(zone: zone.rawValue, depthMm: $0.millimetres) }
        }
        return input
    }
}
