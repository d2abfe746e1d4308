import Foundation

/// Makes a page's HTML comparable across runs, days and engines: only what legitimately varies
/// is replaced, everything else (markup, labels, field values, order) stays as served.
///
/// - UUIDs become `<id-1>`, `<id-2>`, … in order of first appearance, so "the same record linked
///   twice" is still visible in the snapshot.
/// - Days near today become `<today>`, `<today+3>`, `<today-1>` (ISO, "6 Dec", "Sunday 6 December
///   2026" forms), so records written relative to the test day read the same on any day.
/// - Timestamps of when something was written, hashes of signed documents, CSRF tokens, nonces
///   and asset versions become fixed placeholders; an age becomes `<age>`.
struct HTMLNormaliser {
    let today: Date
    let zone: TimeZone

    init(today: Date = Date(), zone: TimeZone = TimeZone(identifier: "Europe/London")!) {
        self.today = today
        self.zone = zone
    }

    func callAsFunction(_ html: String) -> String {
        var s = html
        s = replacing(#"name="csrf" value="[^"]*""#, in: s) { _ in #"name="csrf" value="<csrf>""# }
        s = replacing(#"nonce="[^"]*""#, in: s) { _ in #"nonce="<nonce>""# }
        s = replacing(#"(\.(?:css|js|svg|png))\?v=[A-Za-z0-9._-]+"#, in: s) { $0[1] + "?v=<version>" }
        s = numberingUUIDs(s)
        // Hashes of documents that include the moment they were signed.
        s = replacing(#"(SHA-256 )[0-9a-f]{8,64}|\b[0-9a-f]{64}\b"#, in: s) { m in m[1].isEmpty ? "<sha256>" : m[1] + "<sha256>" }
        // Moments records were written (seconds or a zone) are placeholders; a booked time such
        // as `2026-12-09T10:00` keeps its clock time and gets a relative day.
        s = replacing(#"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| UTC)?"#, in: s) { m in
            m[1].isEmpty && m[2].isEmpty ? relativeDay(in: m[0]) : "<timestamp>"
        }
        s = relativeDays(s)
        // An age changes on the birthday, whatever the page does.
        s = replacing(#"(Born [0-9-]+ · )\d+ years"#, in: s) { $0[1] + "<age> years" }
        return s
    }

    /// The day part of a booked time such as `2026-12-09T10:00` is made relative; the clock time
    /// stays, unless it is "now" (within the last ten minutes: a message due at once).
    private func relativeDay(in value: String) -> String {
        let day = String(value.prefix(10)), rest = String(value.dropFirst(10))
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        if let at = f.date(from: day + " " + rest.dropFirst()), at <= today.addingTimeInterval(60), at > today.addingTimeInterval(-600) {
            return "<now>"
        }
        return (label(forISO: day) ?? day) + rest
    }

    private func numberingUUIDs(_ s: String) -> String {
        var numbers: [String: Int] = [:]
        return replacing(#"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#, in: s) { m in
            let key = m[0].lowercased()
            if numbers[key] == nil { numbers[key] = numbers.count + 1 }
            return "<id-\(numbers[key]!)>"
        }
    }

    /// Days within a year of today, in every form the pages print them.
    private func relativeDays(_ s: String) -> String {
        var s = s
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let formats = ["EEEE d MMMM yyyy", "EEE d MMM yyyy", "d MMMM yyyy", "d MMM yyyy", "EEE d MMM", "yyyy-MM-dd"]
        let formatters = formats.map { pattern -> DateFormatter in
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_GB")
            f.timeZone = zone
            f.dateFormat = pattern
            return f
        }
        // Longest forms first so "Sunday 6 December 2026" is not half-replaced by "6 December 2026".
        for (index, f) in formatters.enumerated() {
            for offset in -400...400 {
                guard let day = calendar.date(byAdding: .day, value: offset, to: today) else { continue }
                let text = f.string(from: day)
                guard s.contains(text) else { continue }
                let name = offset == 0 ? "today" : offset > 0 ? "today+\(offset)" : "today\(offset)"
                let label = formats[index] == "yyyy-MM-dd" ? "<\(name)>" : "<\(name) as \(formats[index])>"
                // Not inside a longer number: "6 December" must not match "16 December".
                let pattern = "(?<![0-9A-Za-z])" + NSRegularExpression.escapedPattern(for: text) + "(?![0-9])"
                s = replacing(pattern, in: s) { _ in label }
            }
        }
        return s
    }

    private func label(forISO day: String) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd"
        guard let date = f.date(from: day), let todayDate = f.date(from: f.string(from: today)) else { return nil }
        let offset = calendar.dateComponents([.day], from: todayDate, to: date).day ?? 0
        guard abs(offset) <= 400 else { return nil }
        return offset == 0 ? "<today>" : offset > 0 ? "<today+\(offset)>" : "<today\(offset)>"
    }

    private func replacing(_ pattern: String, in s: String, _ transform: ([String]) -> String) -> String {
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = s as NSString
        var result = "", last = 0
        for match in regex.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
            result += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            let groups = (0..<match.numberOfRanges).map { i in
                match.range(at: i).location == NSNotFound ? "" : ns.substring(with: match.range(at: i))
            }
            result += transform(groups)
            last = match.range.location + match.range.length
        }
        return result + ns.substring(from: last)
    }
}
