import Foundation

/// The outcome templates' view models: the `progress` page and the printable `course-report`.
/// Charts are finished SVG (drawn by `SVG`), written unescaped with `{{{.}}}`.
enum OutcomePages {
    struct ZoneOrTypeChange {
        var label: String
        var change: String
    }

    /// A follow-up against the baseline and against the previous assessment.
    struct Comparison {
        var date: String
        var gbq: String
        var ecca: String
        var grade: String
        var responder: Bool
        var gbqPrev: String
        var eccaPrev: String
        var comparable: Bool
        var zones: [ZoneOrTypeChange]
        var types: [ZoneOrTypeChange]
    }

    struct LatestResult {
        var responder: Bool
    }

    struct ShownPhoto {
        var url: String
        var date: String
        var alt: String
    }

    struct ReportedOutcome {
        var instrument: String
        var version: String
        var date: String
        var satisfaction: String
        var items: Int
        /// "the patient (portal)" or "clinic staff".
        var enteredBy: String
        /// The raw answers, `item = answer`, for the record (the instrument's text is licensed).
        var answers: String
    }

    /// The `progress` page. `baselineDate` is nil until the first assessment.
    struct Progress {
        var patientName: String
        var patientURL: String
        var formAction: String
        var baselineDate: String?
        var latestResult: LatestResult?
        var charts: [String]
        var comparisons: [Comparison]
        var views: [SelectOption]
        var dates: [SelectOption]
        var baselinePhoto: ShownPhoto?
        var laterPhoto: ShownPhoto?
        var pros: [ReportedOutcome]
        var proErrors: [String]
        var satisfactionOptions: [Int]
    }

    struct ReportPlan {
        var title: String
        var version: Int
        var status: String
        var modality: String
        var sessions: Int
        var interval: Int
        var adjuncts: String
        var depths: String
        var rationale: String?
        var approval: String
    }

    struct ReportSession {
        var date: String
        var modality: String
        var practitioner: String
        var zones: Int
        var depths: String
        var passes: String
        var endpoint: String
        var signed: Bool
        var status: String
        /// Nil when the chart was never amended.
        var amendments: Int?
    }

    struct ReportAssessment {
        var date: String
        var grade: Int
        var gbq: Int
        var ecca: Int
        var isBaseline: Bool
        var responder: Bool
        var change: String
    }

    struct ReportEvent {
        var term: String
        var onset: String
        var grade: String
        var serious: Bool
        var relatedness: String
        var outcome: String
        var resolved: String
        var action: String
    }

    /// The `course-report` page.
    struct CourseReport {
        var patientName: String
        var patientURL: String
        var mrn: String
        var dateOfBirth: String
        var clinicName: String
        var printedOn: String
        var printedBy: String
        var plans: [ReportPlan]
        var sessions: [ReportSession]
        var signedCount: Int
        var assessments: [ReportAssessment]
        var charts: [String]
        var events: [ReportEvent]
        var pros: [ReportedOutcome]
    }
}
