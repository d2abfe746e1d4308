import Foundation
@testable import ScarCore
import Testing

/// Issue 14, part B: the questions before a session, the check-in rules that flag a reaction,
/// and the "what is normal" timeline. Each rule's outcome carries its source.
@Suite("Pre-session questions, check-in rules, aftercare timeline")
struct CheckInRulesTests {
    static let allNo = Dictionary(uniqueKeysWithValues: PreSessionQuestionnaire.questions.map { ($0.id, "no") })

    @Test func eachYesHasTheOutcomeAndSourceOfItsScreeningRule() throws {
        let expected: [String: PreSessionOutcome] = ["active-breakout": .defer, "cold-sore": .defer, "infection": .defer, "sunburn": .defer,
                                                     "new-medicines": .clinicReview, "pregnancy": .defer]
        #expect(Set(expected.keys) == Set(PreSessionQuestionnaire.questions.map(\.id)), "the six questions of issue 14")
        for (id, outcome) in expected {
            var answers = Self.allNo
            answers[id] = "yes"
            let result = try PreSessionQuestionnaire.evaluate(answers).get()
            #expect(result.outcome == outcome, "\(id)")
            let flagged = try #require(result.flagged.first)
            #expect(result.flagged.count == 1 && flagged.question.id == id)
            #expect(!flagged.source.isEmpty && !flagged.meaning.isEmpty)
        }
        let breakout = try #require(PreSessionQuestionnaire.question("active-breakout"))
        #expect(breakout.source.contains("J Drugs Dermatol 2024"), "active acne: the 2024 review")
        #expect(try #require(PreSessionQuestionnaire.question("sunburn")).source.contains("3 days"), "sunburn: the clinic page's 3 days")
        #expect(try #require(PreSessionQuestionnaire.question("new-medicines")).source.contains("Spring LK"), "isotretinoin: the 2017 consensus")
    }

    @Test func notSureIsReviewedAndUnansweredIsRefusedNeverNo() throws {
        var answers = Self.allNo
        answers["pregnancy"] = "not-sure"
        let result = try PreSessionQuestionnaire.evaluate(answers).get()
        #expect(result.outcome == .clinicReview)
        #expect(result.flagged.map(\.question.id) == ["pregnancy"])
        #expect(result.flagged.first?.source == PreSessionQuestionnaire.notSureSource)

        answers.removeValue(forKey: "cold-sore")
        answers["tattoo"] = "no"
        answers["sunburn"] = "maybe"
        guard case .failure(let f) = PreSessionQuestionnaire.evaluate(answers) else { Issue.record("accepted"); return }
        #expect(Set(f.errors.map(\.field)) == ["answers.cold-sore", "answers.tattoo", "answers.sunburn"])
        #expect(try PreSessionQuestionnaire.evaluate(Self.allNo).get().outcome == .proceed)
    }

    @Test func theQuestionsOpenSeventyTwoHoursBeforeTheSession() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(PreSessionQuestionnaire.isOpen(sessionStartsAt: start, now: start.addingTimeInterval(-72 * 3600)))
        #expect(PreSessionQuestionnaire.isOpen(sessionStartsAt: start, now: start.addingTimeInterval(-60)))
        #expect(!PreSessionQuestionnaire.isOpen(sessionStartsAt: start, now: start.addingTimeInterval(-72 * 3600 - 1)))
        #expect(!PreSessionQuestionnaire.isOpen(sessionStartsAt: start, now: start))
    }

    static func answers(redness: ReactionLevel = .none, swelling: ReactionLevel = .none, pain: ReactionLevel = .none,
                        signs: [WarningSign] = [], unexpected: TriStateAnswer = .no) -> CheckInAnswers {
        CheckInAnswers(redness: redness, swelling: swelling, pain: pain, signs: signs, unexpected: unexpected, note: nil)
    }

    @Test func rednessAndSwellingPastTheClinicThresholdAreBeyondExpected() {
        let defaults = SequelaThresholds.default
        for day in 1...3 {
            #expect(!CheckInEvaluation.evaluate(Self.answers(redness: .moderate, swelling: .mild), day: day, thresholds: defaults).beyondExpected,
                    "day \(day) is within 72 h: redness settles in 2–3 days")
        }
        let day4 = CheckInEvaluation.evaluate(Self.answers(redness: .mild, swelling: .mild), day: 4, thresholds: defaults)
        #expect(day4.reasons.map(\.code) == ["redness-duration", "swelling-duration"])
        #expect(day4.reasons.allSatisfy { $0.source == SequelaThresholds.source })
        #expect(day4.reasons.map(\.suggestedTerm) == ["erythema", "edema"])
        #expect(!CheckInEvaluation.evaluate(Self.answers(), day: 7, thresholds: defaults).beyondExpected, "no redness on day 7 is expected")

        let stricter = SequelaThresholds(erythemaHours: 48, edemaHours: 72)
        let day3 = CheckInEvaluation.evaluate(Self.answers(redness: .mild, swelling: .mild), day: 3, thresholds: stricter)
        #expect(day3.reasons.map(\.code) == ["redness-duration"], "the clinic's own threshold decides")
        #expect(day3.reasons.first?.text.contains("48 hours") == true)
    }

    @Test func painBeyondMildEachWarningSignAndAnythingUnexpectedAreFlaggedWithTheirSources() {
        let t = SequelaThresholds.default
        #expect(!CheckInEvaluation.evaluate(Self.answers(pain: .mild), day: 1, thresholds: t).beyondExpected, "mild pain is an expected sequela")
        let pain = CheckInEvaluation.evaluate(Self.answers(pain: .moderate), day: 1, thresholds: t)
        #expect(pain.reasons.map(\.code) == ["pain-level"] && pain.reasons[0].source.contains("Harris, Naidoo & Murrell"))
        let expectedTerms: [WarningSign: String?] = [.blisters: nil, .pus: "infection", .coldSore: "hsv-reactivation", .spreadingRedness: "infection",
                                                     .rash: "hypersensitivity", .lumps: "granuloma", .worseningPain: "pain"]
        for sign in WarningSign.allCases {
            let r = CheckInEvaluation.evaluate(Self.answers(signs: [sign]), day: 2, thresholds: t)
            #expect(r.reasons.map(\.code) == ["sign.\(sign.rawValue)"])
            #expect(r.reasons.first?.suggestedTerm == expectedTerms[sign]!, "\(sign)")
            #expect(r.reasons.first.map { !$0.source.isEmpty } == true)
        }
        #expect(CheckInEvaluation.evaluate(Self.answers(signs: [.coldSore]), day: 2, thresholds: t).reasons[0].source.contains("J Drugs Dermatol 2024"))
        #expect(CheckInEvaluation.evaluate(Self.answers(signs: [.lumps]), day: 2, thresholds: t).reasons[0].source.contains("Friedmann"))
        #expect(CheckInEvaluation.evaluate(Self.answers(unexpected: .notSure), day: 2, thresholds: t).reasons.map(\.code) == ["unexpected"])
        #expect(CheckInEvaluation.evaluate(Self.answers(unexpected: .yes), day: 2, thresholds: t).summary == "Beyond what is expected")
    }

    @Test func aCheckInMustAnswerEveryQuestion() {
        guard case .failure(let f) = CheckInAnswers.validate(.init(redness: "mild", swelling: nil, pain: "awful", signs: ["itch"], unexpected: "yes")) else {
            Issue.record("accepted"); return
        }
        #expect(Set(f.errors.map(\.field)) == ["swelling", "pain", "signs[0]", "note"])
        let ok = CheckInAnswers.validate(.init(redness: "mild", swelling: "none", pain: "none", signs: ["rash", "rash"], unexpected: "no",
                                               note: "  fine\nthanks "))
        #expect((try? ok.get())?.signs == [.rash])
        #expect((try? ok.get())?.note == "fine\nthanks", "line breaks are allowed in a note")
    }

    @Test func checkInDaysDefaultToOneTwoThreeSevenAndTheClinicMayChangeThem() throws {
        #expect(CheckInDays.default.days == [1, 2, 3, 7])
        #expect(try CheckInDays.parse("7, 1,3").get().days == [1, 3, 7])
        for bad in ["", "0", "1,1", "29", "two"] {
            #expect((try? CheckInDays.parse(bad).get()) == nil, "\(bad)")
        }
    }

    @Test func theTimelineTakesTheClinicSheetAndTheReferenceWithoutInternalMarkers() {
        let sheet = PostCareTemplate.current(for: .rfMicroneedling)
        let days = AftercareTimeline.days(sheet: sheet, thresholds: .default, checkInDays: .default)
        #expect(days.map(\.day) == [0, 1, 2, 3, 4, 5, 7])
        #expect(days.filter(\.isCheckInDay).map(\.day) == [1, 2, 3, 7])
        let day3 = days.first { $0.day == 3 }!
        #expect(day3.normal.contains { $0.text.contains("72 hours") && $0.source == SequelaThresholds.source })
        #expect(day3.care.contains { $0.text == sheet.sections.last!.instruction }, "when to call, from the clinic's sheet")
        #expect(days.first { $0.day == 5 }!.care.contains { $0.text.contains("Retinoids") }, "actives resume from day 5 (the sheet)")
        #expect(days.flatMap(\.care).count == sheet.sections.count, "every window of the sheet lands on a day")
        let text = days.flatMap { $0.normal + $0.care }.flatMap { [$0.text, $0.source] }
            + PreSessionQuestionnaire.questions.flatMap { [$0.text, $0.meaning, $0.source] }
        for marker in ["[C1]", "[C2]", "[NC]", "[seed]", "seed S", "Decision", "§"] {
            #expect(!text.contains { $0.contains(marker) }, "\(marker)")
        }
    }

    @Test func aProblemReportNeedsWordsAndCarriesEachSign() throws {
        guard case .failure(let f) = ProblemReport.validate(.init(description: "  ", signs: ["pus", "x"])) else { Issue.record("accepted"); return }
        #expect(f.errors.map(\.field) == ["description", "signs[1]"])
        let report = try ProblemReport.validate(.init(description: "It itches", signs: ["rash"])).get()
        #expect(report.reasons.map(\.code) == ["problem-report", "sign.rash"])
    }

    @Test func anImageUploadIsCheckedBySizeAndContent() {
        #expect(ImageUpload.accept([], maxBytes: 10) == .failure(.missing))
        #expect(ImageUpload.accept(Array("not an image".utf8), maxBytes: 100) == .failure(.unsupportedType))
        #expect(ImageUpload.accept([UInt8](repeating: 1, count: 11), maxBytes: 10) == .failure(.tooLarge(maxBytes: 10)))
        #expect(ImageUpload.Failure.unsupportedType.fieldError("photos[0]") == FieldError("photos[0]", "must be a JPEG or PNG image"))
    }
}
