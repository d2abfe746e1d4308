import Foundation
import ScarCore
import Testing

/// One scar count, three scores: which scale items the zone grid fills, and what disagrees.
@Suite struct ScarCountLinksTests {
    let today = CalendarDate(year: 2026, month: 6, day: 1)!

    @Test func onlyTheTypesAScaleDefinesAnItemByAreLinkedEachWithItsSource() {
        let linked = Dictionary(uniqueKeysWithValues: ScarCountLinks.all.map { ($0.scarType, $0.item.field) })
        #expect(linked == [.macular: "gbQuantitative.A1", .icePick: "ecca.vShapedUnder2mm", .boxcar: "ecca.uShaped2to4mm",
                           .rolling: "ecca.mShapedOver4mm"])
        #expect(ScarCountLinks.link(for: .hypertrophic) == nil && ScarCountLinks.link(for: .keloidal) == nil)
        #expect(ScarCountLinks.link(forField: "gbQuantitative.B2") == nil, "rows that turn on depth are never filled")
        for link in ScarCountLinks.all {
            #expect(link.source.contains("2006") || link.source.contains("2007"), "\(link.source)")
            #expect(!link.source.contains("["), "reader-facing sources carry no internal tags")
        }
    }

    @Test func theZoneCountsOfATypeAddUpIntoItsItem() {
        let zones = [ZoneFinding(zone: .leftCheek, counts: [.icePick: 4, .rolling: 6, .macular: 2]),
                     ZoneFinding(zone: .rightCheek, counts: [.icePick: 5, .boxcar: 2])]
        let details = ScarAssessmentDetails(assessedOn: today, blinded: false, notes: nil, zones: zones, hypertrophicAreaCm2: 0,
                                            gbQuantitative: try! .init(), ecca: try! .init(),
                                            gbQualitative: .init(contourChange: false, obviousAt50cm: false, coveredByMakeup: false, flattensOnStretch: false))
        let counted = ScarCountLinks.fromCounts(details)
        #expect(counted[.ecca(.vShapedUnder2mm)] == 9)
        #expect(counted[.ecca(.uShaped2to4mm)] == 2)
        #expect(counted[.ecca(.mShapedOver4mm)] == 6)
        #expect(counted[.gbQuantitative(.a1)] == 2)
    }

    @Test func anItemThatDiffersFromTheCountsIsNamedAndMatchingItemsAreNot() throws {
        let input = minimalAssessmentInput(["zones.left-cheek.ice-pick": "4", "zones.right-cheek.ice-pick": "5", "zones.nose.boxcar": "3",
                                            "ecca.vShapedUnder2mm": "9", "ecca.uShaped2to4mm": "5"])
        let details = try input.validate(today: today).get()
        let found = ScarCountLinks.disagreements(details)
        #expect(found.map(\.link.item) == [.ecca(.uShaped2to4mm)])
        #expect(found.first?.entered == 5 && found.first?.fromCounts == 3)
        #expect(found.first?.message == "ECCA: Atrophic scars 2–4 mm, U-shaped (boxcar): 5 entered, the zone counts give 3 boxcar scars.")
        let agreeing = try minimalAssessmentInput(["zones.nose.boxcar": "3", "ecca.uShaped2to4mm": "3"]).validate(today: today).get()
        #expect(ScarCountLinks.disagreements(agreeing).isEmpty)
    }
}
