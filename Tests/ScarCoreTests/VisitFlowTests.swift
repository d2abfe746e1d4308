import Foundation
import ScarCore
import Testing

/// Issue 13, items 3, 4 and 6 in ScarCore: today's questions are yes / no / not asked (a question not
/// asked blocks the checklist as unanswered questions always did, and is never read as "no"); a
/// photo batch takes the standard views in order; a follow-up is done with today's assessment and
/// the open adverse events reviewed.
@Suite("visit flows")
struct VisitFlowTests {
    static let today = CalendarDate("2026-03-10")!

    func checklist(intake: Intake = Intake(fitzpatrick: .ii), day: DayAnswers?) -> PreSessionChecklist.Result {
        PreSessionChecklist.evaluate(.init(modality: .microneedling, asOf: Self.today, intake: intake, dayAnswers: day, acknowledgements: [],
                                           consentValid: true, photosToday: BeforePhotoRequirement.default.views, planApproved: nil))
    }

    @Test func aQuestionNotAskedBlocksLikeUnansweredQuestionsAndIsKeptApartFromNo() {
        var answers = Dictionary(uniqueKeysWithValues: DayAnswers.fields.map { ($0, DayAnswers.Answer.no) })
        #expect(checklist(day: DayAnswers(answers: answers)).passed, "every question answered no passes")
        answers["pregnantOrBreastfeeding"] = .notAsked
        let partly = checklist(day: DayAnswers(answers: answers))
        #expect(!partly.passed)
        let blocking = partly.failures.filter { $0.id == "rescreening" }
        #expect(blocking.count == 1 && blocking[0].reason.hasPrefix("Answer today's questions") && blocking[0].reason.contains("Pregnant or breastfeeding"),
                "\(blocking)")
        let unanswered = checklist(day: nil).failures.first { $0.id == "rescreening" }
        #expect(unanswered?.passed == false && unanswered?.reason.hasPrefix("Answer today's questions") == true,
                "the same gate as for no answers at all")
        #expect(partly.dayAnswers?["pregnantOrBreastfeeding"] == "not-asked" && partly.dayAnswers?["recentSunburn"] == "no",
                "the stored answers tell not asked from no")
        #expect(DayAnswers(answers: [:]).notAsked == Set(DayAnswers.fields), "a form left alone has every question not asked")
    }

    @Test func aQuestionNotAskedDoesNotClearWhatTheIntakeSays() {
        var pregnant = Intake(fitzpatrick: .ii)
        pregnant.pregnantOrBreastfeeding = true
        var answers = Dictionary(uniqueKeysWithValues: DayAnswers.fields.map { ($0, DayAnswers.Answer.no) })
        answers["pregnantOrBreastfeeding"] = .notAsked
        let r = checklist(intake: pregnant, day: DayAnswers(answers: answers))
        #expect(r.failures.contains { $0.title.contains("Pregnan") && $0.reason.hasPrefix("Contraindicated") }, "\(r.failures)")
        answers["pregnantOrBreastfeeding"] = .no
        #expect(!checklist(intake: pregnant, day: DayAnswers(answers: answers)).failures.contains { $0.title.contains("Pregnan") },
                "a no today clears it, as before")
    }

    @Test func aPhotoBatchTakesTheStandardViewsInOrder() throws {
        #expect(try PhotoBatch.views(count: 3).get() == [.frontal, .obliqueLeft, .obliqueRight])
        #expect(throws: ValidationFailure.self) { try PhotoBatch.views(count: 0).get() }
        #expect(throws: ValidationFailure.self) { try PhotoBatch.views(count: 6).get() }
    }

    @Test func aFollowUpIsDoneWithTodaysAssessmentAndTheOpenEventsReviewed() {
        let nothing = FollowUpVisit.Recorded(standardViews: 0, assessments: 0, outcomeQuestionnaires: 0, openAdverseEvents: 1)
        func errors(_ r: FollowUpVisit.Recorded, reviewed: Bool = false, status: AppointmentStatus = .checkedIn, day: CalendarDate = VisitFlowTests.today,
                    followUp: Bool = true) -> [String] {
            FollowUpVisit.completionErrors(isFollowUp: followUp, status: status, visitDay: day, today: Self.today, recorded: r, reviewed: reviewed)
                .map(\.field)
        }
        #expect(errors(nothing) == ["assessment", "adverseEventsReviewed"])
        var assessed = nothing
        assessed.assessments = 1
        #expect(errors(assessed, reviewed: true).isEmpty, "photos and outcome questions are recorded when the patient agrees")
        assessed.openAdverseEvents = 0
        #expect(errors(assessed).isEmpty, "nothing to review when none is open")
        #expect(errors(assessed, status: .completed) == ["appointment"])
        #expect(errors(assessed, day: Self.today.adding(days: 1)) == ["appointment"])
        #expect(errors(assessed, followUp: false) == ["appointment"])
        let steps = FollowUpVisit.steps(FollowUpVisit.Recorded(standardViews: 5, assessments: 1, outcomeQuestionnaires: 0, openAdverseEvents: 0),
                                        reviewed: false)
        #expect(steps.map(\.done) == [true, true, false, true])
    }

    @Test func aStopDateInTheFutureIsNamed() {
        var intake = Intake(fitzpatrick: .ii)
        intake.isotretinoin = .stopped(on: Self.today.adding(days: 1))
        intake.retinoidStoppedOn = Self.today
        #expect(intake.futureDateErrors(today: Self.today).map(\.field) == ["isotretinoin.stoppedOn"])
        intake.isotretinoin = .stopped(on: Self.today)
        #expect(intake.futureDateErrors(today: Self.today).isEmpty, "today is not the future")
    }
}
