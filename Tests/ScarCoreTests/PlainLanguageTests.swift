import ScarCore
import Testing

/// Everything a clinician or patient reads cites as a reader would (authors, journal, year;
/// "common clinic aftercare practice"), never with the implementers' shorthands: confidence tags,
/// seed numbers, decision numbers, section signs, "reference class" or the short names of the
/// clinic web pages the reference drew on.
@Suite("plain language in what people read")
struct PlainLanguageTests {
    static let markers = ["§", "seed", "Seed", "Decision ", "decision ", "[C1]", "[C2]", "[NC]", "domain reference", "Domain reference",
                          "reference class", "monarch", "fifthelement", "drpen", "realself", "balancedayspa", "coloradoaesthetics",
                          "saltsalon", "purelyboutique", "renewedspirit", "mailash", "aestheticshq", "belislaser", "droracle",
                          "plasticsurgerykey", "au.feau", "drdavinlim", "geantsage", "bestacnetreatment", "scite.ai", "jpad"]

    static func expectPlain(_ texts: [String], _ what: String) {
        #expect(!texts.isEmpty, "no texts collected for \(what)")
        for text in texts {
            for marker in markers {
                #expect(!text.contains(marker), "\(what): \"\(marker)\" in \(text)")
            }
        }
    }

    @Test func screeningRulesReadAsCitations() {
        Self.expectPlain(RuleSet.default.rules.flatMap { [$0.title, $0.rationale, $0.source] }, "screening rules")
    }

    @Test func planHintsAndProtocolExamplesReadAsCitations() {
        let hints = [PlanHints.subcision, PlanHints.tcaCross, PlanHints.raisedNotIndicated, PlanHints.pihGuidance, PlanHints.noAssessment]
        Self.expectPlain(hints.flatMap { [$0.title, $0.text, $0.source] }, "plan hints")
        Self.expectPlain(Adjunct.allCases.map(\.source), "adjunct sources")
        Self.expectPlain(ExampleTemplates.all.flatMap { Array($0.sources.values) + [$0.name, $0.postCare ?? ""] }, "example protocol templates")
    }

    @Test func postCareSheetsAndRemindersReadAsCitations() {
        Self.expectPlain(PostCareTemplate.builtIn.flatMap { t in [t.title] + t.sections.flatMap { [$0.window, $0.instruction, $0.source] } },
                         "post-care sheets")
        Self.expectPlain([ReminderSettings.retinoidSource, ReminderSettings.antiviralSource, ReminderSettings.postCareSource, FollowUpRule.source],
                         "reminder and follow-up sources")
    }

    @Test func scalesChartingAndAnalyticsReadAsCitations() {
        Self.expectPlain([ECCA.citation, GoodmanBaronQualitative.citation, GoodmanBaronQuantitative.citation], "scale citations")
        Self.expectPlain([SessionChart.vitaminCSource, BeforePhotoRequirement.source], "charting sources")
        Self.expectPlain([LiteratureAdverseEvents.source, FitzpatrickGroup.source, DepthBands.note, ClinicAnalytics.responderRule,
                          CTCAEGrade.source, SequelaThresholds.source] + AETerm.catalogue.map(\.source), "analytics and adverse events")
        Self.expectPlain(ConfidenceTag.allCases.map(\.readerLabel), "evidence labels")
    }
}
