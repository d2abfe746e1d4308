import ScarCore
import Testing

@Suite("Score changes")
struct ScoreChangeTests {
    @Test func percentChangeIsAgainstTheEarlierValue() {
        #expect(ScoreChange(from: 40, to: 30).absolute == -10)
        #expect(ScoreChange(from: 40, to: 30).percent == -25)
        #expect(ScoreChange(from: 0, to: 5).percent == nil)
    }

    @Test(arguments: [("1", true), ("0", true), ("10", true), ("11", false), ("-1", false), ("x", false)])
    func satisfactionIsZeroToTen(raw: String, valid: Bool) {
        let r = PatientReportedOutcome.validate(instrument: "FASQoL", version: "1", responses: [:], satisfaction: raw,
                                                recordedOn: CalendarDate("2026-11-21")!)
        if case .success = r { #expect(valid) } else { #expect(!valid) }
    }
}
