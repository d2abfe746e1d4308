@testable import ScarCore
import Testing

/// Issue 11 item 8: the one CSV writer quotes `;` and neutralises formulas in every segment.
@Suite("CSV writer")
struct CSVTests {
    /// The testers' lot number: a spreadsheet with `;` as list separator splits it into three cells.
    static let lotNumber = "L;=1+2;@SUM(1)"

    @Test func semicolonSeparatedFormulasAreQuotedAndNeutralised() {
        #expect(CSV.field(Self.lotNumber) == "\"L;'=1+2;'@SUM(1)\"")
        #expect(CSV.row(["a", Self.lotNumber]) == "a,\"L;'=1+2;'@SUM(1)\"\r\n")
        // The same after a comma, and after spaces.
        #expect(CSV.field("x, =HYPERLINK(\"http://e.example\")") == "\"x, '=HYPERLINK(\"\"http://e.example\"\")\"")
        #expect(CSV.field("a; -cmd") == "\"a; '-cmd\"")
    }

    @Test func everyFormulaStartIsNeutralisedAndEveryBreakingCharacterQuoted() {
        for start in ["=", "+", "-", "@"] {
            #expect(CSV.field("\(start)A1") == "'\(start)A1", "\(start)")
            #expect(CSV.field("ok;\(start)A1") == "\"ok;'\(start)A1\"", "\(start) after ;")
            #expect(CSV.field("ok,\(start)A1") == "\"ok,'\(start)A1\"", "\(start) after ,")
        }
        #expect(CSV.field("\t=1") == "\"'\t=1\"")
        #expect(CSV.field("\r=1") == "\"'\r=1\"")
        #expect(CSV.field("a\tb") == "\"a\tb\"")
        #expect(CSV.field("a\nb") == "\"a\nb\"")
        #expect(CSV.field("a;b") == "\"a;b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }

    @Test func numbersAndPlainTextAreLeftAlone() {
        #expect(CSV.field("-1.5") == "-1.5")
        #expect(CSV.field("+3") == "+3")
        #expect(CSV.field("HA-1") == "HA-1")
        #expect(CSV.field("Ivy Boxcar") == "Ivy Boxcar")
        #expect(CSV.field("") == "")
        #expect(CSV.field("2025-03-03") == "2025-03-03")
    }
}
