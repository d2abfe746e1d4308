import Foundation
@testable import ScarCore
import Testing

@Suite("Analytics: Wilson intervals, bands, filters, CSV")
struct AnalyticsCoreTests {
    /// Expected values computed with SciPy 1.17.1:
    /// `scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")`
    /// (the same interval as statsmodels' `proportion_confint(k, n, method="wilson")`).
    static let scipy: [(k: Int, n: Int, low: Double, high: Double)] = [
        (18, 246, 0.046782118371, 0.112684845234),
        (0, 10, 0.000000000000, 0.277532799863),
        (10, 10, 0.722467200137, 1.000000000000),
        (7, 20, 0.181191824101, 0.567145723315),
        (1, 3, 0.061491944720, 0.792340399198),
        (5, 12, 0.193260313659, 0.680488687450),
        (14, 18, 0.547854156838, 0.909990718914),
        (5, 20, 0.111861701408, 0.468700877619),
        (4, 62, 0.025372905520, 0.154475157278),
    ]

    @Test func wilsonIntervalEqualsSciPy() throws {
        for c in Self.scipy {
            let ci = try #require(WilsonInterval.of(successes: c.k, trials: c.n))
            #expect(abs(ci.lower - c.low) < 1e-9, "\(c.k)/\(c.n) lower \(ci.lower)")
            #expect(abs(ci.upper - c.high) < 1e-9, "\(c.k)/\(c.n) upper \(ci.upper)")
            #expect(ci.proportion == Double(c.k) / Double(c.n))
        }
        #expect(WilsonInterval.of(successes: 0, trials: 0) == nil)
        #expect(WilsonInterval.of(successes: 3, trials: 2) == nil)
    }

    @Test func literatureFigureIsEighteenOf246WithItsSource() {
        let lit = LiteratureAdverseEvents.interval
        #expect(lit.successes == 18 && lit.trials == 246)
        #expect(LiteratureAdverseEvents.source.contains("Harris"))
        #expect(LiteratureAdverseEvents.source.contains("not stated in the article's abstract"))
    }

    @Test func depthBandsParseAndAssign() throws {
        let bands = try DepthBands.parse("1.0, 1.5").get()
        #expect(bands == .productDefault)
        #expect(bands.text == "1.00, 1.50")
        #expect(bands.keys == ["b0", "b1", "b2"])
        #expect(bands.key(forMillimetres: 1.0) == "b0")
        #expect(bands.key(forMillimetres: 1.05) == "b1")
        #expect(bands.key(forMillimetres: 1.5) == "b1")
        #expect(bands.key(forMillimetres: 2.0) == "b2")
        #expect(bands.key(forMillimetres: nil) == "none")
        #expect(bands.label("b0") == "≤ 1.00 mm" && bands.label("b1") == "1.00–1.50 mm" && bands.label("b2") == "> 1.50 mm")
        for bad in ["", "1.5, 1.0", "1.0, 1.0", "0", "abc", "1.03", "1, 2, 3, 4, 4.5", "6"] {
            guard case .failure(let f) = DepthBands.parse(bad) else { Issue.record("\(bad) was accepted"); continue }
            #expect(f.errors.map(\.field) == ["depthBandEdges"])
        }
        #expect(DepthBands.note.contains("not a clinical claim"))
    }

    @Test func filtersNameEachBadField() throws {
        guard case .failure(let f) = AnalyticsFilter.parse(from: "2025-13-01", to: "yesterday", practitioner: "nobody", protocol: "x") else {
            Issue.record("accepted"); return
        }
        #expect(Set(f.errors.map(\.field)) == ["from", "to", "practitioner", "protocol"])
        guard case .failure(let order) = AnalyticsFilter.parse(from: "2025-05-01", to: "2025-04-01", practitioner: nil, protocol: "") else {
            Issue.record("accepted"); return
        }
        #expect(order.errors.map(\.field) == ["to"])
        let ok = try AnalyticsFilter.parse(from: " 2025-01-01 ", to: nil, practitioner: "", protocol: nil).get()
        #expect(ok == AnalyticsFilter(from: CalendarDate("2025-01-01")))
        #expect(ok.queryItems.map(\.0) == ["from"])
    }

    @Test func fitzpatrickGroupsAreIToIIIAndIVToVI() {
        #expect((1...3).allSatisfy { FitzpatrickGroup.of($0) == .lighter })
        #expect((4...6).allSatisfy { FitzpatrickGroup.of($0) == .darker })
        #expect(FitzpatrickGroup.of(nil) == .unknown && FitzpatrickGroup.of(7) == .unknown)
        #expect(FitzpatrickGroup.source.contains("Cohen & Elbuluk"))
    }

    @Test func timeToResponseMedianFromTheHistogram() {
        #expect(TimeToResponse(histogram: []).median == nil)
        #expect(TimeToResponse(histogram: [(120, 3)]).median == 120)
        let t = TimeToResponse(histogram: [(150, 1), (90, 1), (120, 2)])
        #expect(t.patients == 4 && t.median == 120 && t.mean == 120)
        #expect(TimeToResponse(histogram: [(90, 1), (120, 1)]).median == 105)
    }

    @Test func csvQuotesAndDefusesFormulas() {
        #expect(CSV.row(["a", "b,c", "say \"hi\"", "-1.5", "=cmd()", "@x"]) == "a,\"b,c\",\"say \"\"hi\"\"\",-1.5,'=cmd(),'@x\r\n")
    }
}
