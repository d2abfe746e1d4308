import Foundation
@testable import ScarCore
import Testing

@Suite("Paired statistics")
struct PairedAnalysisTests {
    // Reference values from scipy.stats 1.17 (ttest_rel, wilcoxon, confidence_interval);
    // scripts/test compares hundreds more generated datasets through the CLI.
    @Test func pairedTTestAndPermutationWilcoxonMatchSciPy() {
        let r = PairedAnalysis.analyze(a: [12, 15, 9, 20, 18, 11, 14], b: [10, 11, 9, 14, 15, 12, 9])
        #expect(abs(r.tStatistic! - 2.8013971669430457) < 1e-12)
        #expect(abs(r.tP! - 0.031106629218605752) < 1e-12)
        #expect(r.df == 6)
        #expect(abs(r.ci95!.lower - 0.34346234084497995) < 1e-9)
        #expect(abs(r.ci95!.upper - 5.085109087726449) < 1e-9)
        // One zero difference: SciPy's default switches to all 2^n sign flips.
        #expect(r.wilcoxonStatistic == 1)
        #expect(abs(r.wilcoxonP! - 0.0625) < 1e-12)
        #expect(r.wilcoxonMethod == .exact)
    }

    @Test func exactWilcoxonWithoutTiesOrZerosMatchesSciPy() {
        let r = PairedAnalysis.analyze(a: [1.5, 2.25, 3.75, 4.5, 5.0, 6.5], b: [1.0, 2.0, 3.0, 4.0, 4.0, 5.0])
        #expect(r.wilcoxonStatistic == 0)
        #expect(abs(r.wilcoxonP! - 0.03125) < 1e-12)
    }

    @Test func largeSamplesUseTheNormalApproximation() {
        let a = (0..<60).map { Double($0) }
        let b = a.map { $0 - 1 }
        #expect(PairedAnalysis.analyze(a: a, b: b).wilcoxonMethod == .approx)
    }

    @Test func tooFewPairsGiveNoTTest() {
        let r = PairedAnalysis.analyze(a: [3], b: [1])
        #expect(r.tStatistic == nil)
        #expect(r.meanDifference == 2)
    }

    @Test func csvDropsAndCountsMissingValues() throws {
        let parsed = try PairedCSV.parse("subject,a,b\r\ns1,1,2\ns2,,3\ns3,NA,4\ns4,5,6\n")
        #expect(parsed.subjects == ["s1", "s4"])
        #expect(parsed.dropped == 2)
    }

    @Test(arguments: [("subject,a\n", 1), ("subject,a,b\ns1,x,2\n", 2), ("subject,a,b\ns1,1,2\ns1,3,4\n", 3), ("subject,a,b\ns1,1\n", 2)])
    func invalidCSVNamesTheLine(text: String, line: Int) {
        #expect(throws: PairedCSV.LineError.self) { try PairedCSV.parse(text) }
        do { _ = try PairedCSV.parse(text) } catch { #expect(error.line == line) }
    }

    @Test func commandPrintsTheContractKeys() throws {
        let out = StatsCommand.paired(input: Data("subject,a,b\ns1,3,1\ns2,4,1\ns3,2,2\n".utf8))
        #expect(out.exitCode == 0)
        let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        #expect(Set(json?.keys ?? [:].keys) == ["n", "dropped", "meanDifference", "ci95", "tTest", "wilcoxon"])
    }
}
