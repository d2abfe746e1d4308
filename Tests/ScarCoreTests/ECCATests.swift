import Foundation
import Testing
import ScarCore

@Suite("ECCA")
struct ECCATests {
    /// Count grades (Decision 1): 0 → 0, 1–4 → 1, 5–20 inclusive → 2, ≥ 21 → 3.
    static let grades: [(count: Int, grade: Int)] = [(0, 0), (1, 1), (4, 1), (5, 2), (10, 2), (11, 2), (20, 2), (21, 3), (400, 3)]

    @Test(arguments: ECCA.Item.allCases, grades)
    func eachItemScoresWeightTimesCountGrade(_ item: ECCA.Item, _ g: (count: Int, grade: Int)) throws {
        let score = ECCA.score(try ECCA.Input(counts: [item: g.count]))
        let row = try #require(score.rows.first { $0.item == item })
        #expect(row.grade == g.grade)
        #expect(row.points == item.weight * g.grade)
        #expect(score.total == item.weight * g.grade)
    }

    @Test func weightsFollowTheTable() {
        #expect(ECCA.Item.allCases.map(\.weight) == [15, 20, 25, 30, 40, 50])
    }

    @Test func allItemsAbove20ReachTheMaximumOf540() throws {
        let counts = Dictionary(uniqueKeysWithValues: ECCA.Item.allCases.map { ($0, 21) })
        let score = ECCA.score(try ECCA.Input(counts: counts))
        #expect(score.total == 540)
        #expect(score.total == ECCA.maximum)
        #expect(score.rows.count == 6)
    }

    @Test func referenceWorkedExampleScores125() throws {
        let score = ECCA.score(try ECCA.Input(counts: [.vShapedUnder2mm: 12, .uShaped2to4mm: 3, .mShapedOver4mm: 25]))
        #expect(score.total == 125)
        #expect(score.rows.map(\.points) == [30, 20, 75, 0, 0, 0])
    }

    @Test func negativeCountsAreRefused() {
        #expect(throws: FieldError.self) { try ECCA.Input(counts: [.superficialElastolysis: -1]) }
    }

    @Test func inputRoundTripsThroughCodable() throws {
        let input = try ECCA.Input(counts: [.keloidOrHypertrophicMature: 2])
        let data = try JSONEncoder().encode(input)
        #expect(try JSONDecoder().decode(ECCA.Input.self, from: data) == input)
    }
}
