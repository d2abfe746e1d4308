import ScarCore

/// Screening outcomes and modalities in the clinic's words, the same on every page.
enum ScreeningLabels {
    static func outcome(_ o: ScreeningOutcome) -> String {
        switch o {
        case .eligible: "Eligible"
        case .acknowledge: "Needs clinician acknowledgement"
        case .defer: "Defer"
        case .contraindicated: "Not for this modality"
        }
    }

    static func modality(_ m: Modality) -> String {
        switch m {
        case .microneedling: "Microneedling"
        case .rfMicroneedling: "RF microneedling"
        }
    }
}
