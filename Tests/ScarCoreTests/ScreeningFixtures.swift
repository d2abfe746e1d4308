import Foundation
import ScarCore
import Testing

/// The day every screening scenario is run on, so windows read as dates in the tests.
let screeningDay = CalendarDate("2026-03-01")!

func calendarDay(_ text: String) -> CalendarDate { CalendarDate(text)! }

/// A patient with nothing to report: phototype II assessed by the clinician, so no guidance
/// findings appear unless a scenario asks for them.
func cleanIntake(_ change: (inout Intake) -> Void = { _ in }) -> Intake {
    var intake = Intake(fitzpatrick: .ii, fitzpatrickMethod: .clinicianAssessed)
    change(&intake)
    return intake
}

/// One row of the screening table: an intake, and what screening must say about it.
struct ScreeningScenario: Sendable, CustomTestStringConvertible {
    var name: String
    var modality: Modality = .microneedling
    var intake: Intake
    var outcome: ScreeningOutcome
    /// Rule ids, most severe first.
    var rules: [String]
    var deferUntil: CalendarDate? = nil

    var testDescription: String { name }
}

