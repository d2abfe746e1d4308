import Foundation

/// The days after a session on which the patient is asked how the skin is (issue 14: days 1,
/// 2, 3 and 7 by default); the clinic may choose others. The session's day is day 0.
public struct CheckInDays: Sendable, Codable, Equatable {
    public var days: [Int]

    public init(days: [Int]) { self.days = days }

    public static let `default` = CheckInDays(days: [1, 2, 3, 7])
    /// The product's bound: check-ins fall before the next session, typically 4 weeks later.
    public static let lastDay = 28
    public static let source = "the clinic's setting (default days 1, 2, 3 and 7); redness and swelling usually settle in 2–3 days"

    /// "1, 2, 3, 7" → the days, each 1 to 28, no repeats, at least one; reported on `field`.
    public static func parse(_ text: String?, field: String = "checkInDays") -> Result<CheckInDays, ValidationFailure> {
        let parts = (text ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        let numbers = parts.compactMap(Int.init)
        guard !parts.isEmpty, numbers.count == parts.count, numbers.allSatisfy({ (1...lastDay).contains($0) }),
              Set(numbers).count == numbers.count else {
            return .failure(ValidationFailure([FieldError(field, "must list days after the session from 1 to \(lastDay), e.g. 1, 2, 3, 7")]))
        }
        return .success(CheckInDays(days: numbers.sorted()))
    }

    public var text: String { days.map(String.init).joined(separator: ",") }
}

/// "What is normal" day by day after a session: what the skin usually does (the clinical
/// reference, §5 and §7.1) beside what the clinic's post-care sheet for the modality asks on that
/// day (§9). Practice-level advice is cited as common clinic aftercare practice.
public enum AftercareTimeline {
    public struct Line: Sendable, Equatable {
        public var text: String
        public var source: String
    }

    public struct Day: Sendable, Equatable {
        /// 0 is the session's day.
        public var day: Int
        public var title: String
        public var normal: [Line]
        public var care: [Line]
        public var isCheckInDay: Bool
    }

    static let settles = "Granulomatous dermatitis after microneedling, case report (PMC8008152); acne.org microneedling side-effect table"
    static let recovery = "Microneedling for treatment of acne scars: considerations on the successful management of this aesthetic procedure. J Drugs Dermatol 2024; acne.org"
    static let flaking = "acne.org microneedling side-effect table; Skin needling review, J Cosmet Dermatol 2020 (PMID 32598509)"
    static let practice = "common clinic aftercare practice"

    /// The windows of the post-care sheet that apply from each day (the sheet's own order).
    static func sheetDay(_ window: String) -> Int? {
        switch window {
        case "Day 0", "First 24 hours": 0
        case "24–48 hours", "Sun protection": 1
        case "When to call the clinic": 3
        case "Days 5–7", "When actives may resume": 5
        default: nil
        }
    }

    public static func days(sheet: PostCareTemplate, thresholds: SequelaThresholds, checkInDays: CheckInDays) -> [Day] {
        let redDays = thresholds.erythemaHours / 24
        let normal: [(Int, String, [Line])] = [
            (0, "The day of your session", [
                Line(text: "Your skin looks and feels sunburnt: red, tight and warm. Pinpoint bleeding and light swelling are normal.", source: practice),
            ]),
            (1, "Day 1", [
                Line(text: "Redness and swelling are still there and start to settle.", source: settles),
            ]),
            (2, "Day 2", [
                Line(text: "Redness is fading. Dryness, flaking or light crusting can start (days 2 to 4).", source: flaking),
            ]),
            (3, "Day 3", [
                Line(text: "Redness and swelling have usually gone by now: they settle on their own within 2 to 3 days.", source: recovery),
                Line(text: "If redness or swelling lasts longer than \(thresholds.erythemaHours) hours (day \(redDays)), tell the clinic.",
                     source: SequelaThresholds.source),
            ]),
            (4, "Day 4", [
                Line(text: "Any flaking is ending. Let it come off on its own.", source: flaking),
            ]),
            (5, "Days 5 to 7", [
                Line(text: "Flaking has usually ended (it lasts from day 2 to day 4).", source: flaking),
            ]),
            (7, "Day 7", [
                Line(text: "Keep avoiding strong sun until at least a week has passed.", source: practice),
            ]),
        ]
        return normal.map { day, title, lines in
            let care = sheet.sections.filter { sheetDay($0.window) == day }.map { Line(text: $0.instruction, source: $0.source) }
            return Day(day: day, title: title, normal: lines, care: care, isCheckInDay: checkInDays.days.contains(day))
        }
    }
}
