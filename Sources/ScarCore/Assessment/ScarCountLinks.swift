/// One scar count, three scores: the scale items that follow from the counts per zone, where a
/// scale's own definition names the scar type. The form fills these items from the zone grid
/// (the clinician can change them) and the saved assessment names any item that disagrees.
///
/// Nothing else is inferred. The Goodman & Baron rows A2 and B1–C4 turn on how deep a scar is and
/// what its base looks like, which a count by type does not record, and shape alone classifies
/// poorly between raters (Kang et al., J Drugs Dermatol 2016); those rows stay typed by hand.
public enum ScarCountLinks {
    /// A scale item a count can fill: a Goodman & Baron quantitative row or an ECCA item.
    public enum Item: Sendable, Hashable {
        case gbQuantitative(GoodmanBaronQuantitative.Row)
        case ecca(ECCA.Item)

        /// The form and API field that holds the item's count.
        public var field: String {
            switch self {
            case .gbQuantitative(let row): ScarAssessmentInput.gbQuantitativeField(row)
            case .ecca(let item): ScarAssessmentInput.eccaField(item)
            }
        }

        public var label: String {
            switch self {
            case .gbQuantitative(let row): "Goodman & Baron \(row.rawValue) \(row.label)"
            case .ecca(let item): "ECCA: \(item.label)"
            }
        }

        func count(in details: ScarAssessmentDetails) -> Int {
            switch self {
            case .gbQuantitative(let row): details.gbQuantitative.count(row)
            case .ecca(let item): details.ecca.count(item)
            }
        }
    }

    public struct Link: Sendable, Hashable {
        public var scarType: ScarType
        public var item: Item
        /// Where the scale defines the item by this scar type, as a reader would cite it.
        public var source: String
    }

    public static let all: [Link] = [
        Link(scarType: .macular, item: .gbQuantitative(.a1),
             source: "Goodman GJ, Baron JA. J Cosmet Dermatol 2006: row A1 is macular erythematous or pigmented scars"),
        Link(scarType: .icePick, item: .ecca(.vShapedUnder2mm),
             source: "Dréno B, et al. Dermatology 2007: item 1 is V-shaped atrophic scars under 2 mm (ice pick)"),
        Link(scarType: .boxcar, item: .ecca(.uShaped2to4mm),
             source: "Dréno B, et al. Dermatology 2007: item 2 is U-shaped atrophic scars of 2–4 mm (boxcar)"),
        Link(scarType: .rolling, item: .ecca(.mShapedOver4mm),
             source: "Dréno B, et al. Dermatology 2007: item 3 is M-shaped atrophic scars over 4 mm (rolling)"),
    ]

    /// The item a scar type's zone counts fill, if any.
    public static func link(for type: ScarType) -> Link? { all.first { $0.scarType == type } }

    /// The link that fills an item field, if any.
    public static func link(forField field: String) -> Link? { all.first { $0.item.field == field } }

    /// What the zone counts give each linked item (the assessment's totals per scar type).
    public static func fromCounts(_ details: ScarAssessmentDetails) -> [Item: Int] {
        let totals = details.typeTotals
        return Dictionary(uniqueKeysWithValues: all.map { ($0.item, totals[$0.scarType] ?? 0) })
    }

    /// An item whose entered count differs from the sum of the zone counts of its scar type.
    public struct Disagreement: Sendable, Hashable {
        public var link: Link
        public var entered: Int
        public var fromCounts: Int

        public var message: String {
            "\(link.item.label): \(entered) entered, the zone counts give \(fromCounts) \(link.scarType.label.lowercased()) scar\(fromCounts == 1 ? "" : "s")."
        }
    }

    /// Every linked item whose entry disagrees with the zone counts (an override, or a slip).
    public static func disagreements(_ details: ScarAssessmentDetails) -> [Disagreement] {
        let counted = fromCounts(details)
        return all.compactMap { link in
            let entered = link.item.count(in: details), fromCounts = counted[link.item] ?? 0
            return entered == fromCounts ? nil : Disagreement(link: link, entered: entered, fromCounts: fromCounts)
        }
    }
}
