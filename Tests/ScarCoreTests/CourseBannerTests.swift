import Foundation
import ScarCore
import Testing

/// Issue 13, item 2: the top of the patient page. The banner shows what intake and the consents
/// record, as recorded (no new clinical numbers); the course's one next step follows the order a
/// course goes and never skips a gate (a draft chart is finished, findings are acknowledged, the
/// plan approved and the consent signed before a session is checked in or charted).
@Suite("Course banner and next step")
struct CourseBannerTests {
    static let appointment = UUID(), plan = UUID(), draft = UUID()

    @Test func theNextStepFollowsTheCourseInOrder() {
        typealias F = CourseNextStep.Facts
        #expect(CourseNextStep.decide(F(hasIntake: false, draftSessionId: Self.draft)) == .recordIntake, "no intake: nothing else first")
        #expect(CourseNextStep.decide(F(hasIntake: true, findingsToAcknowledge: 2, draftSessionId: Self.draft)) == .finishChart(sessionId: Self.draft))
        #expect(CourseNextStep.decide(F(hasIntake: true, findingsToAcknowledge: 2, today: .followUp(appointmentId: Self.appointment)))
                == .followUpVisit(appointmentId: Self.appointment))
        #expect(CourseNextStep.decide(F(hasIntake: true, findingsToAcknowledge: 2, plan: .approved, consentValid: true,
                                        today: .session(appointmentId: Self.appointment, checkedIn: true))) == .acknowledgeFindings(count: 2),
                "an open finding comes before charting")
        #expect(CourseNextStep.decide(F(hasIntake: true, screeningStops: true, plan: .approved)) == .screeningStops)
        #expect(CourseNextStep.decide(F(hasIntake: true)) == .startPlan)
        #expect(CourseNextStep.decide(F(hasIntake: true, plan: .draft(planId: Self.plan))) == .approvePlan(planId: Self.plan))
        #expect(CourseNextStep.decide(F(hasIntake: true, plan: .approved, today: .session(appointmentId: Self.appointment, checkedIn: false)))
                == .signConsent, "no consent: never straight to check-in")
        #expect(CourseNextStep.decide(F(hasIntake: true, plan: .approved, consentValid: true)) == .bookSeries)
        #expect(CourseNextStep.decide(F(hasIntake: true, plan: .approved, consentValid: true, sessionsAhead: 1,
                                        today: .session(appointmentId: Self.appointment, checkedIn: false))) == .checkIn(appointmentId: Self.appointment))
        #expect(CourseNextStep.decide(F(hasIntake: true, plan: .approved, consentValid: true, sessionsAhead: 1,
                                        today: .session(appointmentId: Self.appointment, checkedIn: true))) == .chart(appointmentId: Self.appointment))
        #expect(CourseNextStep.decide(F(hasIntake: true, plan: .approved, consentValid: true, sessionsAhead: 3)) == .onTrack)
        #expect(CourseNextStep.Step.acknowledgeFindings(count: 1).label == "Acknowledge 1 screening finding")
    }

    @Test func theBannerShowsWhatIntakeRecordedAndMarksWhatNeedsAttention() {
        var intake = Intake(fitzpatrick: .iv)
        intake.herpesHistory = true
        intake.isotretinoin = .stopped(on: CalendarDate("2026-01-15")!)
        intake.anestheticAllergy = true
        intake.anestheticAllergyDetail = "lidocaine"
        let items = SafetyBanner.items(age: 34, intake: intake, photoConsent: true, researchConsent: false)
        let byId = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        #expect(items.map(\.id) == ["age", "fitzpatrick", "allergies", "hsv", "isotretinoin", "anticoagulants", "photo-consent", "research-consent"])
        #expect(byId["age"]?.value == "34 years")
        #expect(byId["fitzpatrick"]?.value == "type IV" && byId["fitzpatrick"]?.alert == false)
        #expect(byId["allergies"]?.value == "anesthetic (lidocaine)" && byId["allergies"]?.alert == true)
        #expect(byId["hsv"]?.value == "history of cold sores; no antiviral prophylaxis recorded" && byId["hsv"]?.alert == true)
        #expect(byId["isotretinoin"]?.value == "stopped on 2026-01-15" && byId["isotretinoin"]?.alert == true,
                "the stop date as recorded; the screening's warning says what it means")
        #expect(byId["anticoagulants"]?.value == "none" && byId["anticoagulants"]?.alert == false)
        #expect(byId["photo-consent"]?.value == "consent signed" && byId["research-consent"]?.value == "no consent")

        intake.antiviralProphylaxisPlanned = true
        #expect(SafetyBanner.items(age: 34, intake: intake, photoConsent: true, researchConsent: false).first { $0.id == "hsv" }?.alert == false)
        let none = SafetyBanner.items(age: 20, intake: nil, photoConsent: false, researchConsent: false)
        #expect(none.map(\.id) == ["age", "intake", "photo-consent", "research-consent"] && none[1].alert)
    }
}
