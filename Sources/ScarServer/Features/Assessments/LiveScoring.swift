import Foundation
import ScarCore

/// What the assessment form's script needs to show each scale's total as the clinician types:
/// every point, weight, band and grade taken from the ScarCore scale definitions, so the script
/// holds no clinical number of its own and the live total is the one the saved assessment shows.
/// Written into the form as JSON (`data-scoring`).
struct LiveScoring: Codable, Equatable {
    struct CountedField: Codable, Equatable {
        var field: String
        /// G&B points per lesion type, or the ECCA item's weight.
        var points: Int
    }

    struct Quantitative: Codable, Equatable {
        var rows: [CountedField]
        var countBands: [CountBand]
        var areaField: String
        var areaPoints: Int
        var areaBands: [AreaBand]
        var maximum: Int
    }

    struct ECCAItems: Codable, Equatable {
        var items: [CountedField]
        var countBands: [CountBand]
        var maximum: Int
    }

    struct Grade: Codable, Equatable {
        /// "yes" or "no" per question, in `fields` order.
        var answers: [String]
        var grade: Int
        var level: String
    }

    struct Qualitative: Codable, Equatable {
        var fields: [String]
        /// Every combination of the four answers with the grade the scale gives it.
        var grades: [Grade]
    }

    var gbQuantitative: Quantitative
    var ecca: ECCAItems
    var gbQualitative: Qualitative
    /// A count above this is refused when saving (a typing slip), so the live total shows none.
    var maxCount: Int

    static let current = LiveScoring(
        gbQuantitative: .init(
            rows: GoodmanBaronQuantitative.Row.countedRows.map { .init(field: ScarAssessmentInput.gbQuantitativeField($0), points: $0.pointsPerType) },
            countBands: GoodmanBaronQuantitative.countBands, areaField: "hypertrophicAreaCm2",
            areaPoints: GoodmanBaronQuantitative.Row.d2.pointsPerType, areaBands: GoodmanBaronQuantitative.areaBands,
            maximum: GoodmanBaronQuantitative.maximum),
        ecca: .init(items: ECCA.Item.allCases.map { .init(field: ScarAssessmentInput.eccaField($0), points: $0.weight) },
                    countBands: ECCA.countBands, maximum: ECCA.maximum),
        gbQualitative: .init(fields: ScarAssessmentInput.qualitativeKeys.map(ScarAssessmentInput.gbQualitativeField), grades: qualitativeGrades),
        maxCount: ScarAssessmentInput.maxCount)

    /// The 16 combinations of the four yes/no answers, each graded by the scale code.
    static var qualitativeGrades: [Grade] {
        (0..<16).map { bits in
            let a = (0..<4).map { bits & (1 << (3 - $0)) != 0 }
            let grade = GoodmanBaronQualitative.grade(.init(contourChange: a[0], obviousAt50cm: a[1], coveredByMakeup: a[2], flattensOnStretch: a[3]))
            return Grade(answers: a.map { $0 ? "yes" : "no" }, grade: grade.rawValue, level: grade.level)
        }
    }

    /// The JSON the form carries (keys sorted, so the page is the same every time).
    static let json: String = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(current)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }()
}
