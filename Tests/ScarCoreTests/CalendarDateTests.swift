import Foundation
import Testing
import ScarCore

@Suite("CalendarDate")
struct CalendarDateTests {
    @Test(arguments: ["2026-02-28", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2026-12-31"])
    func acceptsRealDates(_ text: String) throws {
        let date = try #require(CalendarDate(text))
        #expect(date.description == text)
    }

    @Test(arguments: ["2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
                      "0000-01-01", "2026-2-01", "2026-02-1", "20260201", "2026/02/01", " 2026-02-01", "2026-02-01 ",
                      "2026-02-01T00:00", "+026-02-01", "2026-0a-01", "", "２026-02-01"])
    func rejectsAnythingButAStrictRealDate(_ text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func addsDaysAcrossMonthYearAndLeapDay() {
        let d = CalendarDate("2026-02-20")!
        #expect(d.adding(days: 14).description == "2026-03-06")
        #expect(CalendarDate("2024-02-28")!.adding(days: 1).description == "2024-02-29")
        #expect(CalendarDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(CalendarDate("2026-03-01")!.adding(days: -1).description == "2026-02-28")
        #expect(d.adding(days: 0) == d)
    }

    @Test func addingMonthsClampsToTheEndOfAShorterMonth() {
        #expect(CalendarDate("2025-08-31")!.adding(months: 6).description == "2026-02-28")
        #expect(CalendarDate("2023-08-31")!.adding(months: 6).description == "2024-02-29")
        #expect(CalendarDate("2025-09-01")!.adding(months: 6).description == "2026-03-01")
        #expect(CalendarDate("2025-06-01")!.adding(months: 12).description == "2026-06-01")
        #expect(CalendarDate("2026-01-31")!.adding(months: -2).description == "2025-11-30")
    }

    @Test func daysSinceEpochRoundTripsAndStartsAt1970() {
        #expect(CalendarDate("1970-01-01")!.daysSinceEpoch == 0)
        #expect(CalendarDate("2000-03-01")!.daysSinceEpoch == 11_017)
        var day = CalendarDate("1999-12-01")!
        for _ in 0..<1000 {
            let next = day.adding(days: 1)
            #expect(next > day)
            #expect(next.daysSinceEpoch == day.daysSinceEpoch + 1)
            #expect(CalendarDate(daysSinceEpoch: next.daysSinceEpoch) == next)
            day = next
        }
    }

    @Test func absurdArithmeticClampsInsteadOfCrashing() {
        #expect(CalendarDate("9999-12-01")!.adding(days: 100) == .latest)
        #expect(CalendarDate("9999-12-01")!.adding(months: 12) == .latest)
        #expect(CalendarDate("0001-01-10")!.adding(days: -100) == .earliest)
        #expect(CalendarDate("2026-01-01")!.adding(days: Int.max) == .latest)
        #expect(CalendarDate("2026-01-01")!.adding(days: Int.max - 100_000) == .latest)
        #expect(CalendarDate("2026-01-01")!.adding(days: Int.min) == .earliest)
        #expect(CalendarDate("2026-01-01")!.adding(months: Int.max) == .latest)
        #expect(CalendarDate(daysSinceEpoch: Int.max) == nil)
    }

    @Test func codesAsAPlainDateString() throws {
        let data = try JSONEncoder().encode([CalendarDate("2026-03-01")!])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-03-01"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [CalendarDate("2026-03-01")!])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }
}
