import ScarCore
import Testing

@Suite("Split-face randomization and analysis")
struct SplitFaceTests {
    @Test func sameSeedGivesTheSameAllocationsAnAuditorCanReproduce() {
        let a = SplitFaceRandomization.armASides(seed: 42, count: 40)
        #expect(a == SplitFaceRandomization.armASides(seed: 42, count: 40))
        #expect(a != SplitFaceRandomization.armASides(seed: 43, count: 40))
        #expect(SplitFaceRandomization.armASide(seed: 42, participant: 17) == a[16])
    }

    @Test func blocksKeepTheSidesBalanced() {
        let sides = SplitFaceRandomization.armASides(seed: 7, count: 400, blockSizes: [4])
        for block in stride(from: 0, to: 400, by: 4) {
            #expect(sides[block..<block + 4].filter { $0 == .left }.count == 2)
        }
    }

    @Test func analysisPairsArmAWithArmBWhateverTheSide() {
        let allocation: [Int: FaceSide] = [1: .left, 2: .right, 3: .left]
        let m = [
            SideMeasurement(participant: 1, timePoint: "6 months", side: .left, value: 10),
            SideMeasurement(participant: 1, timePoint: "6 months", side: .right, value: 14),
            SideMeasurement(participant: 2, timePoint: "6 months", side: .right, value: 9),
            SideMeasurement(participant: 2, timePoint: "6 months", side: .left, value: 12),
            SideMeasurement(participant: 3, timePoint: "6 months", side: .left, value: 8),
        ]
        let r = SplitFaceAnalysis.analyze(timePoints: ["baseline", "6 months"], armASide: allocation, measurements: m)
        #expect(r[0].analysis.n == 0)
        #expect(r[1].analysis.n == 2)
        #expect(r[1].analysis.dropped == 1)
        #expect(r[1].analysis.meanDifference == -3.5) // (10−14 + 9−12) / 2
    }

    @Test func designNamesEveryBadField() {
        guard case .failure(let f) = StudyDesign.validate(title: "", protocolSummary: "p", armA: "X", armB: "X", outcomeScale: "vas",
                                                          timePoints: "", targetEnrolment: "1") else { Issue.record("accepted"); return }
        #expect(f.errors.map(\.field) == ["title", "armB", "outcomeScale", "timePoints", "targetEnrolment"])
    }
}
