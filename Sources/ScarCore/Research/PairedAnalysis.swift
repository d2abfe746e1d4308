import Foundation

/// Paired comparison of two arms (split-face sides, or before/after): differences a − b,
/// the paired t-test, the Wilcoxon signed-rank test and Cohen's dz. Defined to match
/// `scipy.stats.ttest_rel` and `scipy.stats.wilcoxon` with their default arguments
/// (two-sided; Wilcoxon zeros dropped, no continuity correction; exact null distribution
/// up to 50 pairs without ties or zeros; all 2^n sign flips up to 13 pairs with ties or
/// zeros; the normal approximation otherwise). Non-finite results are nil.
public struct PairedAnalysis: Sendable, Equatable {
    public var n: Int
    public var dropped: Int
    public var meanDifference: Double?
    public var ci95: (lower: Double, upper: Double)?
    public var tStatistic: Double?
    public var tP: Double?
    public var df: Int?
    public var wilcoxonStatistic: Double?
    public var wilcoxonP: Double?
    public var wilcoxonMethod: Method?
    /// Cohen's dz: mean difference over its standard deviation.
    public var effectSize: Double?

    public enum Method: String, Sendable { case exact, approx }

    public static func == (a: PairedAnalysis, b: PairedAnalysis) -> Bool {
        a.n == b.n && a.dropped == b.dropped && a.meanDifference == b.meanDifference && a.ci95?.lower == b.ci95?.lower
            && a.ci95?.upper == b.ci95?.upper && a.tStatistic == b.tStatistic && a.tP == b.tP && a.df == b.df
            && a.wilcoxonStatistic == b.wilcoxonStatistic && a.wilcoxonP == b.wilcoxonP && a.wilcoxonMethod == b.wilcoxonMethod
            && a.effectSize == b.effectSize
    }

    public static func analyze(a: [Double], b: [Double], dropped: Int = 0) -> PairedAnalysis {
        precondition(a.count == b.count, "paired samples have equal length")
        let d = zip(a, b).map { $0 - $1 }
        var result = PairedAnalysis(n: d.count, dropped: dropped)
        guard !d.isEmpty else { return result }
        let n = Double(d.count)
        let mean = d.reduce(0, +) / n
        result.meanDifference = mean
        if d.count >= 2 {
            let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            let sd = variance.squareRoot()
            let se = sd / n.squareRoot()
            let df = n - 1
            result.df = d.count - 1
            let t = mean / se
            if t.isFinite {
                result.tStatistic = t
                result.tP = min(1, 2 * SpecialFunctions.studentTSurvival(abs(t), df: df))
            } else if t.isInfinite {
                result.tP = 0  // all differences equal and not zero
            }
            let q = SpecialFunctions.studentTQuantile(0.975, df: df)
            if se.isFinite { result.ci95 = (mean - q * se, mean + q * se) }
            let dz = mean / sd
            if dz.isFinite { result.effectSize = dz }
        }
        let w = Wilcoxon.test(d)
        result.wilcoxonStatistic = w.statistic
        result.wilcoxonP = w.p
        result.wilcoxonMethod = w.method
        return result
    }

    init(n: Int, dropped: Int) {
        self.n = n
        self.dropped = dropped
    }
}

enum Wilcoxon {
    struct Result {
        var statistic: Double?
        var p: Double?
        var method: PairedAnalysis.Method?
    }

    static func test(_ d: [Double]) -> Result {
        let nonZero = d.indices.filter { d[$0] != 0 }
        let zeros = d.count - nonZero.count
        // Average ranks of |d| over the non-zero differences.
        let order = nonZero.sorted { abs(d[$0]) < abs(d[$1]) }
        var rank = [Double](repeating: 0, count: d.count)
        var tieCorrection = 0.0
        var hasTies = false
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, abs(d[order[j + 1]]) == abs(d[order[i]]) { j += 1 }
            let average = Double(i + j + 2) / 2
            for k in i...j { rank[order[k]] = average }
            let t = Double(j - i + 1)
            if t > 1 { hasTies = true; tieCorrection += t * t * t - t }
            i = j + 1
        }
        let rPlus = nonZero.filter { d[$0] > 0 }.reduce(0.0) { $0 + rank[$1] }
        let rMinus = nonZero.filter { d[$0] < 0 }.reduce(0.0) { $0 + rank[$1] }
        let statistic = min(rPlus, rMinus)
        let count = Double(nonZero.count)

        if d.count <= 50, !hasTies, zeros == 0 {
            return Result(statistic: statistic, p: exactP(rPlus: rPlus, n: nonZero.count), method: .exact)
        }
        if d.count <= 13 {
            return Result(statistic: statistic, p: signFlipP(d: d, rank: rank, observed: rPlus), method: .exact)
        }
        let mn = count * (count + 1) * 0.25
        let se = ((count * (count + 1) * (2 * count + 1) - tieCorrection / 2) / 24).squareRoot()
        let z = (rPlus - mn) / se
        let p = z.isFinite ? SpecialFunctions.normalTwoSided(z) : nil
        return Result(statistic: statistic, p: p, method: .approx)
    }

    /// P-value from the exact null distribution of r+ (no ties, no zeros).
    static func exactP(rPlus: Double, n: Int) -> Double {
        var pmf = [1.0]
        if n > 0 {
            for k in 1...n {
                var next = [Double](repeating: 0, count: k * (k + 1) / 2 + 1)
                for (i, v) in pmf.enumerated() {
                    next[i] += v * 0.5
                    next[i + k] += v * 0.5
                }
                pmf = next
            }
        }
        let mean = Double(n * (n + 1)) / 4
        func cdfRaw(_ k: Int) -> Double { k < 0 ? 0 : pmf[0...min(k, pmf.count - 1)].reduce(0, +) }
        func sfRaw(_ k: Int) -> Double { k >= pmf.count ? 0 : pmf[max(k, 0)...].reduce(0, +) }
        func cdf(_ k: Int) -> Double { Double(k) <= mean ? cdfRaw(k) : 1 - sfRaw(k + 1) }
        func sf(_ k: Int) -> Double { Double(k) <= mean ? sfRaw(k) : 1 - cdfRaw(k - 1) }
        let p = 2 * min(sf(Int(rPlus.rounded(.down))), cdf(Int(rPlus.rounded(.up))))
        return min(max(p, 0), 1)
    }

    /// Exact permutation p-value over all 2^n sign flips (small samples with ties or zeros).
    static func signFlipP(d: [Double], rank: [Double], observed: Double) -> Double {
        let n = d.count
        let total = 1 << n
        let gamma = abs(Double.ulpOfOne * 100 * observed)
        var less = 0, greater = 0
        for mask in 0..<total {
            var r = 0.0
            for i in 0..<n where d[i] != 0 {
                // Bit set flips the sign of difference i.
                let positive = (d[i] > 0) != (mask & (1 << i) != 0)
                if positive { r += rank[i] }
            }
            if r <= observed + gamma { less += 1 }
            if r >= observed - gamma { greater += 1 }
        }
        let p = 2 * min(Double(less) / Double(total), Double(greater) / Double(total))
        return min(max(p, 0), 1)
    }
}
