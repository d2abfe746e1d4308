import Foundation

/// One VEVENT of an iCalendar feed (RFC 5545).
public struct ICalEvent: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable { case confirmed = "CONFIRMED", cancelled = "CANCELLED", tentative = "TENTATIVE" }
    /// Stable across changes, e.g. `<appointment id>@scartrack`.
    public var uid: String
    public var start: Date
    public var end: Date
    public var summary: String
    public var location: String?
    public var description: String?
    /// Bumped on every change of the appointment (RFC 5545 §3.8.7.4).
    public var sequence: Int
    public var status: Status
    public var lastModified: Date?

    public init(uid: String, start: Date, end: Date, summary: String, location: String? = nil, description: String? = nil,
                sequence: Int, status: Status, lastModified: Date? = nil) {
        self.uid = uid
        self.start = start
        self.end = end
        self.summary = summary
        self.location = location
        self.description = description
        self.sequence = sequence
        self.status = status
        self.lastModified = lastModified
    }
}

/// A pure RFC 5545 serializer: CRLF line endings, lines folded at 75 octets (never inside a
/// UTF-8 sequence), TEXT values escaped. Times are written in UTC (`…Z`).
public enum ICalendar {
    public static func serialize(name: String, productId: String = "-//ScarTrack//Schedule//EN", events: [ICalEvent], stamp: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(productId)", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:\(escape(name))"]
        for e in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:\(escape(e.uid))")
            lines.append("DTSTAMP:\(utc(stamp))")
            lines.append("DTSTART:\(utc(e.start))")
            lines.append("DTEND:\(utc(e.end))")
            lines.append("SEQUENCE:\(e.sequence)")
            lines.append("STATUS:\(e.status.rawValue)")
            lines.append("SUMMARY:\(escape(e.summary))")
            if let l = e.location { lines.append("LOCATION:\(escape(l))") }
            if let d = e.description { lines.append("DESCRIPTION:\(escape(d))") }
            if let m = e.lastModified { lines.append("LAST-MODIFIED:\(utc(m))") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks.
    public static func escape(_ text: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            default:
                // Other control characters are not allowed in TEXT; drop them.
                if scalar.value < 0x20 && scalar != "\t" { break }
                out.unicodeScalars.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return out
    }

    /// Folds a content line so no physical line exceeds 75 octets (RFC 5545 §3.1): each
    /// continuation starts with one space, which counts toward its 75. A multi-byte UTF-8
    /// character is never split.
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = ""
        var current = 0
        var limit = 75
        for ch in line.unicodeScalars {
            let size = String(ch).utf8.count
            if current + size > limit {
                out += "\r\n "
                current = 1
                limit = 75
            }
            out.unicodeScalars.append(ch)
            current += size
        }
        return out
    }

    public static func utc(_ date: Date) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let d = c.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func p(_ n: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return "\(p(d.year!, 4))\(p(d.month!))\(p(d.day!))T\(p(d.hour!))\(p(d.minute!))\(p(d.second!))Z"
    }
}
