import Foundation

/// Small, pure checks shared by every form and API payload.
public enum Text {
    /// Trims surrounding white space; returns nil for an empty result so optional fields stay absent.
    public static func trimmed(_ value: String?) -> String? {
        guard let value else { return nil }
        let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// Unicode NFC (canonical composition). "Zoë" typed as `e` + U+0308 (NFD, as some keyboards
    /// and macOS file names produce it) and as U+00EB are canonically the same name; the
    /// database compares bytes, so identifying text is stored and searched in one form.
    public static func nfc(_ value: String) -> String {
        value.precomposedStringWithCanonicalMapping
    }

    /// `trimmed`, then NFC: for names, search terms and other identifying text.
    public static func normalized(_ value: String?) -> String? {
        trimmed(value).map(nfc)
    }

    /// True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30).
    public static func isISODate(_ value: String) -> Bool {
        CalendarDate(value) != nil
    }

    /// Rejects control characters (other than none at all) in single-line fields: they break CSV
    /// exports and logs and are never typed by a person.
    public static func hasControlCharacters(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// For free text from a text area: line breaks and tabs are allowed, other control characters are not.
    public static func hasControlCharactersBesidesLineBreaks(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }
    }
}
