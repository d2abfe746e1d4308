import Foundation

/// The assessment templates' view models (`assessment-form`, `assessment`, the patient page's
/// Scar assessments card). An optional that is nil is an empty section; its name is not used by
/// an enclosing model, so Mustache finds nothing when it climbs.
enum AssessmentPages {
    struct PatientLine {
        var name: String
        var url: String
        var mrn: String
    }

    /// A scale's name, source and version as the pages cite it.
    struct ScaleInfo {
        var name: String
        var id: String
        var version: String
        var citation: String
        var confidence: String
        var notConfirmed: Bool
    }

    struct Scales {
        var gbQuantitative: ScaleInfo
        var ecca: ScaleInfo
        var gbQualitative: ScaleInfo
    }

    // MARK: Form

    /// One text input with what was typed and its message.
    struct Cell {
        var name: String
        var value: String
        var label: String
        var inputMode: String
        var error: String?
        /// A zone count: the scale item field its scar type fills (`ScarCountLinks`).
        var feeds: String? = nil
        /// A scale item the zone counts fill: which scar type, and where the scale says so.
        var filledFrom: FilledFrom? = nil
    }

    struct FilledFrom {
        var scarType: String
        var source: String
    }

    struct Select {
        var name: String
        var label: String
        var error: String?
        var options: [SelectOption]
    }

    struct ZoneRow {
        var label: String
        var key: String
        var cells: [Cell]
        var size: Select
        var depth: Select
    }

    struct QuantitativeRow {
        var cell: Cell
        var row: String
        var rowLabel: String
        var pointsPerType: Int
    }

    struct ECCARow {
        var cell: Cell
        var itemLabel: String
        var weight: Int
    }

    struct Question {
        var name: String
        var id: String
        var question: String
        var yes: Bool
        var no: Bool
        var error: String?
    }

    struct FormError {
        var field: String
        var label: String
        var message: String
    }

    /// The `assessment-form` page.
    struct Form {
        var patient: PatientLine
        var action: String
        var next: String?
        var scarTypes: [String]
        var zoneRows: [ZoneRow]
        var assessedOn: Cell
        var area: Cell
        var notes: Cell
        var blinded: Bool
        var gbqRows: [QuantitativeRow]
        var eccaRows: [ECCARow]
        var questions: [Question]
        var scales: Scales
        var errors: [FormError]
        var oneError: Bool
        /// The scales' points, weights, bands and grades for the live totals (`LiveScoring`, JSON).
        var scoring: String = LiveScoring.json
    }

    // MARK: Assessment page

    struct ZoneLine {
        var label: String
        var zone: String
        var counts: [Int]
        var total: Int
        var size: String
        var depth: String
    }

    struct TypeTotal {
        var label: String
        var count: Int
    }

    /// The stored scale version beside the current one.
    struct VersionNote {
        var storedVersion: String
        var currentVersion: String
        var outdated: Bool
    }

    struct QuantitativeLine {
        var row: String
        var label: String
        var input: String
        var pointsPerType: Int
        var multiplier: Int
        var points: Int
        var scoring: Bool
    }

    struct ECCALine {
        var label: String
        var count: Int
        var weight: Int
        var grade: Int
        var points: Int
        var scoring: Bool
    }

    struct Answer {
        var label: String
        var answer: String
    }

    struct Quantitative {
        var total: Int
        var maximum: Int
        var rows: [QuantitativeLine]
        var info: ScaleInfo
        var version: VersionNote
    }

    struct ECCAScore {
        var total: Int
        var maximum: Int
        var rows: [ECCALine]
        var info: ScaleInfo
        var version: VersionNote
    }

    struct Qualitative {
        var grade: Int
        var level: String
        var answers: [Answer]
        var info: ScaleInfo
        var version: VersionNote
    }

    /// The `assessment` page.
    struct Detail {
        var id: String
        var patient: PatientLine
        var newURL: String
        /// The photos of this visit, linked to this assessment (the next step of a baseline).
        var photosURL: String
        var assessedOn: String
        var raterName: String
        var blinded: Bool
        var createdAt: String
        var notes: String?
        var faceDiagram: String
        var scarTypes: [String]
        var zoneRows: [ZoneLine]
        var typeTotals: [TypeTotal]
        var grandTotal: Int
        var dominant: String
        var area: String
        var gbq: Quantitative
        var ecca: ECCAScore
        var gbl: Qualitative
        /// Scale entries that differ from what the zone counts give (an override, or a slip).
        var countNotes: [CountNote]
    }

    struct CountNote {
        var message: String
        var source: String
    }

    // MARK: Patient page card

    struct CardItem {
        var url: String
        var assessedOn: String
        var rater: String
        var gbq: Int
        var ecca: Int
        var grade: Int
        var blinded: Bool
    }

    struct Latest {
        var url: String
        var assessedOn: String
        var gbq: Int
        var ecca: Int
        var grade: Int
        var level: String
        var dominant: String
    }

    /// The patient page's Scar assessments card (`{{#scarAssessments}}`).
    struct Card {
        var newURL: String
        var items: [CardItem]
        var latestAssessment: Latest?
        /// The link to the paged list when the card shows only the newest.
        var moreAssessments: MoreRecords? = nil
    }
}
