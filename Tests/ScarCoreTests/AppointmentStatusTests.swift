import Foundation
@testable import ScarCore
import Testing

@Suite("Appointment status machine and check-in gate")
struct AppointmentStatusTests {
    @Test func onlyTheFrontDeskChangesTheProductAllowsAreAllowed() {
        let allowed = AppointmentStatus.allCases.flatMap { from in AppointmentStatus.allCases.map { (from, $0) } }
            .filter { $0.0.canChange(to: $0.1) }.map { "\($0.0.rawValue)→\($0.1.rawValue)" }
        #expect(allowed == ["booked→checked-in", "booked→cancelled", "booked→no-show", "checked-in→cancelled"])
    }

    @Test func checkInIsHeldBackOnlyForATreatmentWhoseScreeningDefersOrContraindicates() throws {
        let intake = try Intake.parse(json: Data(#"{"activeAcneInArea":true}"#.utf8))
        let day = CalendarDate("2026-11-21")!
        let deferred = Screening.evaluate(intake: intake, modality: .microneedling, asOf: day, ruleSet: .default)
        #expect(deferred.outcome >= .defer)
        let reason = try #require(CheckInGate.refusal(isTreatmentSession: true, modality: .microneedling, screening: deferred))
        #expect(reason.hasPrefix("Current screening for microneedling is \(deferred.outcome.rawValue)"))
        #expect(reason.contains("source:"))
        #expect(CheckInGate.refusal(isTreatmentSession: false, modality: .microneedling, screening: deferred) == nil, "a follow-up visit is not held back")
        #expect(CheckInGate.refusal(isTreatmentSession: true, modality: .microneedling, screening: nil) == nil, "no intake yet: nothing to hold back on")
        let clear = Screening.evaluate(intake: try Intake.parse(json: Data("{}".utf8)),
                                       modality: .microneedling, asOf: day, ruleSet: .default)
        #expect(CheckInGate.refusal(isTreatmentSession: true, modality: .microneedling, screening: clear) == nil)
    }
}
