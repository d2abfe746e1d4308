import Foundation
import ScarCore
import Testing

/// Clinic in London; Monday–Friday 09:00–17:00 unless a test says otherwise.
private let london = TimeZone(identifier: "Europe/London")!
private let weekdays: [Int: [MinuteRange]] = Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [MinuteRange(start: 540, end: 1020)]) })

private func at(_ day: String, _ clock: String, _ zone: TimeZone = london) -> Date {
    Availability(timeZone: zone, weeklyHours: [:]).instant(CalendarDate(day)!, minutes: MinuteRange.minutes(clock)!)
}

private func days(_ outcome: PlacementOutcome, _ zone: TimeZone = london) -> [String] {
    guard case .placed(let items) = outcome else { return [] }
    let a = Availability(timeZone: zone, weeklyHours: [:])
    return items.map { "\(a.day(of: $0.start)) \(MinuteRange.clock(a.minuteOfDay($0.start)))" }
}

@Suite("Series placement")
struct SeriesPlacementTests {
    // 2026-11-23 is a Monday.
    let request = SeriesRequest(firstStart: at("2026-11-23", "10:00"), durationMinutes: 60, count: 3, intervalDays: 28,
                                minimumIntervalDays: 21, windowDays: 7)

    @Test func placesEachSessionAtPreviousPlusInterval() {
        let outcome = SeriesPlacement.place(request, availability: Availability(timeZone: london, weeklyHours: weekdays))
        #expect(days(outcome) == ["2026-11-23 10:00", "2026-12-21 10:00", "2027-01-18 10:00"])
    }

    @Test func isoWeekdays() {
        #expect(Availability.isoWeekday(CalendarDate("2026-11-23")!) == 1)
        #expect(Availability.isoWeekday(CalendarDate("2026-11-29")!) == 7)
        #expect(Availability.isoWeekday(CalendarDate("1970-01-01")!) == 4)
    }

    @Test func closingDayMovesTheSessionToTheNearestOpenDay() {
        let a = Availability(timeZone: london, weeklyHours: weekdays, closingDays: [CalendarDate("2026-12-21")!])
        let outcome = SeriesPlacement.place(request, availability: a)
        // +1 day first (Tuesday), then the third session counts from the moved second.
        #expect(days(outcome) == ["2026-11-23 10:00", "2026-12-22 10:00", "2027-01-19 10:00"])
        guard case .placed(let items) = outcome else { Issue.record("not placed"); return }
        #expect(items[1].shiftDays == 1)
        #expect(items[1].targetDay.description == "2026-12-21")
    }

    @Test func neverEarlierThanTheMinimumInterval() {
        // Target day and every later day of the window are closed; only earlier days remain.
        var closed = Set<CalendarDate>()
        for d in 0...7 { closed.insert(CalendarDate("2026-12-21")!.adding(days: d)) }
        let a = Availability(timeZone: london, weeklyHours: weekdays, closingDays: closed)
        let outcome = SeriesPlacement.place(SeriesRequest(firstStart: at("2026-11-23", "10:00"), durationMinutes: 60, count: 2,
                                                          intervalDays: 28, minimumIntervalDays: 27, windowDays: 7), availability: a)
        guard case .unplaceable(let kind, let number, let reason, let placed) = outcome else { Issue.record("placed"); return }
        #expect(kind == .session && number == 2 && placed.count == 1)
        #expect(reason.contains("2026-12-20"))
        // With a 21-day minimum the earlier days of the window are allowed (Friday the 18th is nearest).
        let ok = SeriesPlacement.place(request, availability: a)
        #expect(days(ok).prefix(2) == ["2026-11-23 10:00", "2026-12-18 10:00"])
    }

    @Test func absencesAndBusyResourcesAreAvoided() {
        let absence = DateInterval(start: at("2026-12-21", "00:00"), end: at("2026-12-22", "00:00"))
        let busy = [BusyInterval(kind: .device, start: at("2026-12-22", "09:30"), end: at("2026-12-22", "11:00"))]
        let a = Availability(timeZone: london, weeklyHours: weekdays, absences: [absence], busy: busy)
        let outcome = SeriesPlacement.place(request, availability: a)
        // Monday absent; Tuesday 10:00 has the device busy → first free slot that day is 11:00.
        #expect(days(outcome).prefix(2) == ["2026-11-23 10:00", "2026-12-22 11:00"])
    }

    @Test func workingHoursBoundTheSlot() {
        let a = Availability(timeZone: london, weeklyHours: weekdays)
        #expect(a.problem(start: at("2026-11-23", "16:30"), end: at("2026-11-23", "17:30")) == .outsideWorkingHours)
        #expect(a.problem(start: at("2026-11-23", "16:00"), end: at("2026-11-23", "17:00")) == nil)
        #expect(a.problem(start: at("2026-11-28", "10:00"), end: at("2026-11-28", "11:00")) == .outsideWorkingHours)  // Saturday
        let first = SeriesPlacement.place(SeriesRequest(firstStart: at("2026-11-23", "18:00"), durationMinutes: 60, count: 2,
                                                        intervalDays: 28, minimumIntervalDays: 21, windowDays: 7), availability: a)
        guard case .unplaceable(_, 1, let reason, _) = first else { Issue.record("placed"); return }
        #expect(reason.contains("working hours"))
    }

    @Test func busyPractitionerIsNamed() {
        let busy = [BusyInterval(kind: .room, start: at("2026-11-23", "09:00"), end: at("2026-11-23", "12:00"))]
        let a = Availability(timeZone: london, weeklyHours: weekdays, busy: busy)
        #expect(a.problem(start: at("2026-11-23", "10:00"), end: at("2026-11-23", "11:00")) == .busy(.room))
    }

    @Test func unplaceableWhenTheWholeWindowIsFull() {
        var closed = Set<CalendarDate>()
        for d in -7...7 { closed.insert(CalendarDate("2026-12-21")!.adding(days: d)) }
        let outcome = SeriesPlacement.place(request, availability: Availability(timeZone: london, weeklyHours: weekdays, closingDays: closed))
        guard case .unplaceable(.session, 2, _, let placed) = outcome else { Issue.record("placed"); return }
        #expect(placed.count == 1)
    }

    @Test func followUpsAtOneThreeSixAndTwelveMonthsAfterTheLastSession() {
        var r = request
        r.followUpMonths = FollowUpRule.defaultMonths
        let outcome = SeriesPlacement.place(r, availability: Availability(timeZone: london, weeklyHours: weekdays))
        guard case .placed(let items) = outcome else { Issue.record("not placed"); return }
        let followUps = items.filter { $0.kind == .followUp }
        #expect(followUps.map(\.number) == [1, 3, 6, 12])
        #expect(followUps.map(\.targetDay.description) == ["2027-02-18", "2027-04-18", "2027-07-18", "2028-01-18"])
        let a = Availability(timeZone: london, weeklyHours: weekdays)
        // 2027-04-18 is a Sunday: the nearest working day is Monday the 19th.
        #expect(a.day(of: followUps[1].start).description == "2027-04-19")
        #expect(FollowUpRule.days(afterLastSession: CalendarDate("2026-08-31")!, months: [6]).map(\.description) == ["2027-02-28"])
        #expect(FollowUpRule.parse("12, 1,3") == [1, 3, 12])
        #expect(FollowUpRule.parse("1, 1") == nil)
        #expect(FollowUpRule.parse("0") == nil)
    }
}

@Suite("Reschedule cascade")
struct RescheduleTests {
    let ids = (0..<5).map { _ in UUID() }

    func series() -> [SeriesItem] {
        [SeriesItem(id: ids[0], kind: .session, start: at("2026-11-23", "10:00"), end: at("2026-11-23", "11:00")),
         SeriesItem(id: ids[1], kind: .session, start: at("2026-12-21", "10:00"), end: at("2026-12-21", "11:00")),
         SeriesItem(id: ids[2], kind: .session, start: at("2027-01-18", "14:00"), end: at("2027-01-18", "15:00")),
         SeriesItem(id: ids[3], kind: .followUp, followUpMonths: 1, start: at("2027-02-18", "10:00"), end: at("2027-02-18", "10:30"))]
    }

    @Test func laterSessionsMoveToKeepTheMinimumInterval() {
        let outcome = Reschedule.cascade(series: series(), moving: ids[1], to: at("2027-01-04", "09:00"), minimumIntervalDays: 21,
                                         timeZone: london)
        guard case .moves(let moves) = outcome else { Issue.record("refused"); return }
        #expect(moves[0].id == ids[1] && moves[0].start == at("2027-01-04", "09:00") && moves[0].end == at("2027-01-04", "10:00"))
        let third = moves.first { $0.id == ids[2] }
        #expect(third?.start == at("2027-01-25", "14:00"))  // 21 days later, own time of day kept
        let followUp = moves.first { $0.id == ids[3] }
        #expect(followUp?.start == at("2027-02-25", "10:00"))  // one month after the new last session
    }

    @Test func laterSessionsStayWhenTheIntervalIsStillKept() {
        let outcome = Reschedule.cascade(series: series(), moving: ids[1], to: at("2026-12-22", "10:00"), minimumIntervalDays: 21,
                                         timeZone: london)
        guard case .moves(let moves) = outcome else { Issue.record("refused"); return }
        #expect(moves.map(\.id) == [ids[1]])
    }

    @Test func refusedWhenEarlierThanTheMinimumAfterThePrevious() {
        let outcome = Reschedule.cascade(series: series(), moving: ids[1], to: at("2026-12-01", "10:00"), minimumIntervalDays: 21,
                                         timeZone: london)
        guard case .refused(let reason) = outcome else { Issue.record("moved"); return }
        #expect(reason.contains("2026-12-14"))
    }
}

@Suite("Reminder rules")
struct ReminderRuleTests {
    let now = at("2026-11-01", "12:00")

    func kinds(_ m: [PlannedMessage]) -> [MessageKind] { m.map(\.kind) }

    @Test func sessionGetsConfirmationReminderPreCareAndPostCare() {
        let a = ReminderAppointment(id: UUID(), kind: .session, start: at("2026-11-23", "10:00"), herpesHistory: true, sequence: 0)
        let m = ReminderRules.messages(for: a, clinicName: "Harbour", settings: ReminderSettings(), timeZone: london, now: now)
        #expect(kinds(m) == [.confirmation, .reminder24h, .retinoidPause, .antiviralProphylaxis, .postCareCheckIn])
        #expect(m[1].dueAt == at("2026-11-22", "10:00"))
        #expect(m[2].dueAt == at("2026-11-09", "10:00"))  // 14 days (§6, saltsalon)
        #expect(m[3].dueAt == at("2026-11-16", "10:00"))  // one week (§6, HSV)
        #expect(m[4].dueAt == at("2026-11-24", "10:00"))
        #expect(m[2].source?.contains("stop topical retinoids 2 weeks before") == true)
        #expect(Set(m.map(\.idempotencyKey)).count == m.count)
    }

    @Test func noAntiviralWithoutHerpesHistoryAndNoPreCareForFollowUps() {
        let s = ReminderAppointment(id: UUID(), kind: .session, start: at("2026-11-23", "10:00"), herpesHistory: false, sequence: 0)
        #expect(!kinds(ReminderRules.messages(for: s, clinicName: "H", settings: .init(), timeZone: london, now: now)).contains(.antiviralProphylaxis))
        let f = ReminderAppointment(id: UUID(), kind: .followUp, start: at("2026-11-23", "10:00"), herpesHistory: true, sequence: 0)
        #expect(kinds(ReminderRules.messages(for: f, clinicName: "H", settings: .init(), timeZone: london, now: now)) == [.confirmation, .reminder24h])
    }

    @Test func lateBookingsSendPreCareAtOnceAndSkipThePastReminder() {
        let a = ReminderAppointment(id: UUID(), kind: .session, start: at("2026-11-01", "20:00"), herpesHistory: false, sequence: 0)
        let m = ReminderRules.messages(for: a, clinicName: "H", settings: .init(), timeZone: london, now: now)
        #expect(kinds(m) == [.confirmation, .retinoidPause, .postCareCheckIn])
        #expect(m[1].dueAt == now)
    }

    @Test func cancellationAndRescheduleGetTheirOwnKeys() {
        let a = ReminderAppointment(id: UUID(), kind: .session, start: at("2026-11-23", "10:00"), herpesHistory: false, sequence: 2)
        let c = ReminderRules.messages(for: a, change: .cancelled, clinicName: "H", settings: .init(), timeZone: london, now: now)
        #expect(kinds(c) == [.cancelled])
        let r = ReminderRules.messages(for: a, change: .rescheduled, clinicName: "H", settings: .init(), timeZone: london, now: now)
        #expect(r.first?.kind == .rescheduled)
        #expect(r.first?.idempotencyKey.hasSuffix(":2:rescheduled") == true)
    }
}

@Suite("iCalendar")
struct ICalendarTests {
    @Test func escapesText() {
        #expect(ICalendar.escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf")
    }

    @Test func foldsAtExactly75Octets() {
        let line = "DESCRIPTION:" + String(repeating: "x", count: 200)
        let folded = ICalendar.fold(line)
        let physical = folded.components(separatedBy: "\r\n")
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        #expect(physical[0].utf8.count == 75)
        #expect(physical.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(physical.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
        #expect(ICalendar.fold(String(repeating: "y", count: 75)) == String(repeating: "y", count: 75))
    }

    @Test func neverSplitsAMultiByteCharacter() {
        // 74 ASCII octets then "é" (2 octets): 76 > 75, so "é" starts the continuation line.
        let line = String(repeating: "a", count: 74) + "é" + String(repeating: "😀", count: 30)
        let physical = ICalendar.fold(line).components(separatedBy: "\r\n")
        #expect(physical[0] == String(repeating: "a", count: 74))
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        for p in physical { #expect(String(data: Data(p.utf8), encoding: .utf8) != nil) }
        #expect(physical.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
        // A 4-octet emoji right at the boundary: 73 + 4 = 77 → moves whole.
        let edge = ICalendar.fold(String(repeating: "b", count: 73) + "😀").components(separatedBy: "\r\n")
        #expect(edge == [String(repeating: "b", count: 73), " 😀"])
    }

    @Test func serializesEventsWithCRLFSequenceAndStatus() {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let text = ICalendar.serialize(name: "Appointments, Harbour", events: [
            ICalEvent(uid: "a1@scartrack", start: start, end: start.addingTimeInterval(3600), summary: "Appointment at Harbour; Skin",
                      sequence: 3, status: .cancelled),
        ], stamp: start)
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(text.contains("\r\nUID:a1@scartrack\r\n"))
        #expect(text.contains("\r\nSEQUENCE:3\r\n"))
        #expect(text.contains("\r\nSTATUS:CANCELLED\r\n"))
        #expect(text.contains("SUMMARY:Appointment at Harbour\\; Skin"))
        #expect(text.contains("X-WR-CALNAME:Appointments\\, Harbour"))
        #expect(text.contains("DTSTART:20261118T"))
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
    }
}
