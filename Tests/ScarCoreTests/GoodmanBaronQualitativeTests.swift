import Foundation
import Testing
import ScarCore

@Suite("Goodman & Baron qualitative")
struct GoodmanBaronQualitativeTests {
    typealias GBQ = GoodmanBaronQualitative

    static func answers(_ c: Bool, _ o: Bool, _ m: Bool, _ s: Bool) -> GBQ.Answers {
        .init(contourChange: c, obviousAt50cm: o, coveredByMakeup: m, flattensOnStretch: s)
    }

    @Test(arguments: [true, false], [true, false])
    func noContourChangeIsMacularGrade1(_ obvious: Bool, _ covered: Bool) {
        #expect(GBQ.grade(Self.answers(false, obvious, covered, true)) == .macular)
        #expect(GBQ.grade(Self.answers(false, obvious, covered, false)) == .macular)
    }

    @Test func notObviousAt50cmIsMildGrade2() {
        #expect(GBQ.grade(Self.answers(true, false, true, true)) == .mild)
        #expect(GBQ.grade(Self.answers(true, false, false, false)) == .mild)
    }

    @Test func coveredByMakeupIsMildGrade2EvenIfObvious() {
        #expect(GBQ.grade(Self.answers(true, true, true, false)) == .mild)
    }

    @Test func obviousUncoveredAndFlattensOnStretchIsModerateGrade3() {
        #expect(GBQ.grade(Self.answers(true, true, false, true)) == .moderate)
    }

    @Test func obviousUncoveredAndDoesNotFlattenIsSevereGrade4() {
        #expect(GBQ.grade(Self.answers(true, true, false, false)) == .severe)
        #expect(GBQ.Grade.severe.rawValue == 4)
    }

    @Test func responderImprovesByAtLeastOneGrade() {
        #expect(GBQ.isResponder(baseline: .severe, followUp: .moderate))
        #expect(GBQ.isResponder(baseline: .severe, followUp: .macular))
        #expect(!GBQ.isResponder(baseline: .moderate, followUp: .moderate))
        #expect(!GBQ.isResponder(baseline: .mild, followUp: .moderate))
    }
}
