import Foundation
import ScarCore
import Testing

/// The portal's follow-up decisions: the ACNE-Q answers (four options, the clinic's own items),
/// when the questions are open, when a change can be asked for, and the check-in reminder days.
@Suite("Portal follow-up rules")
struct PortalFollowUpRulesTests {
    static let setup = FollowUpQuestions.Setup(version: "1.0", items: [.init(id: "a", text: "Item a"), .init(id: "b", text: "Item b")])

    @Test func theAnswerOptionsAreTheACNEQsFourAndEveryItemMustBeAnswered() {
        #expect(FollowUpQuestions.options.map(\.value) == ["not at all", "a little", "quite a bit", "very much"])
        #expect((try? FollowUpQuestions.validate(["a": "a little", "b": "very much"], setup: Self.setup).get()) == ["a": "a little", "b": "very much"])
        guard case .failure(let missing) = FollowUpQuestions.validate(["a": "a little"], setup: Self.setup) else { Issue.record("left out"); return }
        #expect(missing.errors.map(\.field) == ["answers.b"])
        guard case .failure(let invented) = FollowUpQuestions.validate(["a": "somewhat", "b": "a little"], setup: Self.setup) else {
            Issue.record("not an option"); return
        }
        #expect(invented.errors.map(\.field) == ["answers.a"])
        guard case .failure(let unknown) = FollowUpQuestions.validate(["a": "a little", "b": "a little", "c": "a little"], setup: Self.setup) else {
            Issue.record("unknown item"); return
        }
        #expect(unknown.errors.map(\.field) == ["answers.c"])
    }

    @Test func theClinicsItemsAreParsedFromItsLinesAndVersionAndItemsGoTogether() {
        let parsed = try? FollowUpQuestions.Setup.parse(version: "2.1", lines: "a = First item\nb = Second = item").get()
        #expect(parsed?.items == [.init(id: "a", text: "First item"), .init(id: "b", text: "Second = item")])
        #expect(parsed?.lines == "a = First item\nb = Second = item")
        if case .success = FollowUpQuestions.Setup.parse(version: "", lines: "a = First") { Issue.record("items without a version") }
        if case .success = FollowUpQuestions.Setup.parse(version: "1", lines: "a = x\na = y") { Issue.record("an id twice") }
        #expect((try? FollowUpQuestions.Setup.parse(version: "", lines: "").get())?.isOn == false, "nothing set up: the portal asks nothing")
    }

    @Test func questionsOpenAWeekBeforeAFollowUpAndCloseFourWeeksAfter() {
        let visit = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(FollowUpQuestions.isOpen(followUpAt: visit, now: visit.addingTimeInterval(-7 * 86_400)))
        #expect(!FollowUpQuestions.isOpen(followUpAt: visit, now: visit.addingTimeInterval(-7 * 86_400 - 1)))
        #expect(FollowUpQuestions.isOpen(followUpAt: visit, now: visit.addingTimeInterval(28 * 86_400)))
        #expect(!FollowUpQuestions.isOpen(followUpAt: visit, now: visit.addingTimeInterval(28 * 86_400 + 1)))
    }

    @Test func aChangeNeedsTheClinicsNoticeAndAKind() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(ChangeRequestRules.canAsk(startsAt: now.addingTimeInterval(48 * 3_600), noticeHours: 48, now: now))
        #expect(!ChangeRequestRules.canAsk(startsAt: now.addingTimeInterval(48 * 3_600 - 1), noticeHours: 48, now: now))
        #expect(ChangeRequestRules.canAsk(startsAt: now.addingTimeInterval(60), noticeHours: 0, now: now))
        #expect((try? ChangeRequestRules.validate(kind: "cancel", reason: "  ").get()) == .init(kind: .cancel, reason: ""))
        if case .success = ChangeRequestRules.validate(kind: "postpone", reason: nil) { Issue.record("unknown kind") }
        if case .success = ChangeRequestRules.validateReply("   ") { Issue.record("a decline needs a message") }
    }

    @Test func remindersFallOnTheClinicsCheckInDaysOnlyAndNotAfterACheckIn() {
        let done = CalendarDate("2026-03-02")!
        #expect(CheckInReminders.due(performedOn: done, today: CalendarDate("2026-03-03")!, days: .default, checkedIn: []) == 1)
        #expect(CheckInReminders.due(performedOn: done, today: CalendarDate("2026-03-06")!, days: .default, checkedIn: []) == nil, "day 4")
        #expect(CheckInReminders.due(performedOn: done, today: CalendarDate("2026-03-09")!, days: .default, checkedIn: []) == 7)
        #expect(CheckInReminders.due(performedOn: done, today: CalendarDate("2026-03-04")!, days: .default, checkedIn: [2]) == nil)
        let id = UUID()
        #expect(CheckInReminders.key(patientId: id, sessionId: id, day: 2) == "check-in-reminder:\(id.uuidString.lowercased()):\(id.uuidString.lowercased()):2")
    }
}
