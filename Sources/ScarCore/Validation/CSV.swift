import Foundation

/// The one CSV writer of the product (recall list, clinic analytics, research export): RFC 4180
/// with CRLF line ends, and safe to open in a spreadsheet whatever its list separator.
///
/// - A field is quoted when it holds `,` `;` `"` CR, LF or tab (quotes doubled). `;` matters
///   because spreadsheets set to a `;` list separator (most of Europe) split on it.
/// - A spreadsheet runs a cell as a formula when it starts with `=`, `+`, `-`, `@`, tab or CR.
///   Such a start is neutralised with an apostrophe, both at the start of the field and at the
///   start of every `,`- or `;`-separated segment inside it (leading spaces skipped), since a
///   spreadsheet that splits on either makes each segment a cell of its own. Plain numbers
///   (`-1.5`, `+3`) are left as they are.
public enum CSV {
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
    static let segmentSeparators: Set<Unicode.Scalar> = [",", ";"]
    static let quoteTriggers: Set<Unicode.Scalar> = [",", ";", "\"", "\r", "\n", "\t"]

    public static func field(_ value: String) -> String {
        let v = neutralised(value)
        guard v.unicodeScalars.contains(where: quoteTriggers.contains) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }

    /// The value with an apostrophe before every formula start of the field and of its segments.
    static func neutralised(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        var segment = String.UnicodeScalarView()
        func flush() {
            if let start = segment.firstIndex(where: { $0 != " " }), formulaStarts.contains(segment[start]),
               Double(String(String.UnicodeScalarView(segment[start...]))) == nil {
                segment.insert("'", at: start)
            }
            out.append(contentsOf: segment)
            segment = String.UnicodeScalarView()
        }
        for scalar in value.unicodeScalars {
            if segmentSeparators.contains(scalar) {
                flush()
                out.append(scalar)
            } else {
                segment.append(scalar)
            }
        }
        flush()
        return String(out)
    }
}
