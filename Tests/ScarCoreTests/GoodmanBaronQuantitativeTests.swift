import Foundation
import Testing
import ScarCore

@Suite("Goodman & Baron quantitative")
struct GoodmanBaronQuantitativeTests {
    typealias GBQ = GoodmanBaronQuantitative

    /// Count bands read literally (Decision 1): 0 → ×0, 1–10 → ×1, 11–20 → ×2, ≥ 21 → ×3.
    static let countBands: [(count: Int, multiplier: Int)] = [(0, 0), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3), (500, 3)]

    @Test(arguments: GBQ.Row.countedRows, countBands)
    func eachRowScoresPointsTimesItsCountBand(_ row: GBQ.Row, _ band: (count: Int, multiplier: Int)) throws {
        let score = GBQ.score(try GBQ.Input(counts: [row: band.count]))
        let expected = row.pointsPerType * band.multiplier
        #expect(score.total == expected)
        let scored = try #require(score.rows.first { $0.row == row })
        #expect(scored.count == band.count)
        #expect(scored.multiplier == band.multiplier)
        #expect(scored.points == expected)
        #expect(score.rows.filter { $0.row != row }.allSatisfy { $0.points == 0 })
    }

    /// Keloid area bands (Decision 1): 0 → 0, > 0 and < 5 → 6, 5–20 inclusive → 12, > 20 → 18.
    @Test(arguments: [(0.0, 0), (0.01, 6), (4.9, 6), (4.99, 6), (5.0, 12), (20.0, 12), (20.01, 18), (20.1, 18), (300.0, 18)])
    func keloidAreaIsBandedByArea(_ area: Double, _ points: Int) throws {
        let score = GBQ.score(try GBQ.Input(keloidAreaCm2: area))
        #expect(score.total == points)
        #expect(score.rows.last?.row == .d2)
        #expect(score.rows.last?.areaCm2 == area)
        #expect(score.rows.last?.count == nil)
    }

    @Test func pointsPerTypeFollowTheTable() {
        #expect(GBQ.Row.allCases.map(\.pointsPerType) == [1, 1, 2, 2, 2, 3, 3, 3, 3, 2, 6])
    }

    @Test func elevenRowsScoredSeparatelyReachTheMaximumOf84() throws {
        let counts = Dictionary(uniqueKeysWithValues: GBQ.Row.countedRows.map { ($0, 21) })
        let score = GBQ.score(try GBQ.Input(counts: counts, keloidAreaCm2: 20.01))
        #expect(score.total == 84)
        #expect(score.total == GBQ.maximum)
        #expect(score.rows.count == 11)
        #expect(score.rows.map(\.row.rawValue) == ["A1", "A2", "B1", "B2", "B3", "C1", "C2", "C3", "C4", "D1", "D2"])
    }

    @Test func noScarsScoreZero() throws {
        #expect(GBQ.score(try GBQ.Input()).total == 0)
    }

    @Test func referenceWorkedExampleScores16() throws {
        let score = GBQ.score(try GBQ.Input(counts: [.a1: 8, .b2: 15, .c1: 25, .d1: 3], keloidAreaCm2: 0))
        #expect(score.total == 16)
        #expect(score.rows.filter { $0.points > 0 }.map(\.points) == [1, 4, 9, 2])
    }

    @Test func negativeCountsAndBadAreasAreRefused() {
        #expect(throws: FieldError("B1", "must be a whole number of 0 or more, got -1")) { try GBQ.Input(counts: [.b1: -1]) }
        #expect(throws: FieldError.self) { try GBQ.Input(counts: [.d2: 3]) }
        #expect(throws: FieldError.self) { try GBQ.Input(keloidAreaCm2: -0.5) }
        #expect(throws: FieldError.self) { try GBQ.Input(keloidAreaCm2: .nan) }
        #expect(throws: FieldError.self) { try GBQ.Input(keloidAreaCm2: .infinity) }
    }

    @Test func inputRoundTripsThroughCodableWithCommandLineKeys() throws {
        let input = try GBQ.Input(counts: [.a1: 3, .c4: 12], keloidAreaCm2: 5.5)
        let data = try JSONEncoder().encode(input)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""C4":12"#) && text.contains(#""D2AreaCm2":5.5"#))
        #expect(try JSONDecoder().decode(GBQ.Input.self, from: data) == input)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(GBQ.Input.self, from: Data(#"{"A1":-2}"#.utf8)) }
    }
}
