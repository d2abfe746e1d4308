import Foundation
import Testing
import ScarCore

@Suite("Default rule set and its documentation")
struct RuleSetTests {
    @Test func defaultRuleSetIsValidVersionedAndSourced() {
        let rules = RuleSet.default
        #expect(rules.version == "2026.1")
        #expect(rules.validationProblems().isEmpty)
        for rule in rules.rules {
            #expect(!rule.version.isEmpty && !rule.source.isEmpty && !rule.rationale.isEmpty && !rule.modalities.isEmpty)
        }
    }

    @Test func everyCriterionIsUsedByADefaultRule() {
        let used = Set(RuleSet.default.rules.map(\.criterion))
        #expect(used == Set(ScreeningCriterion.allCases))
    }

    @Test func outcomesFollowTheReferenceClasses() {
        func outcome(_ id: String) -> ScreeningOutcome? { RuleSet.default.rule(id: id)?.outcome }
        #expect(outcome("isotretinoin") == .acknowledge)
        #expect(outcome("active-acne-in-area") == .defer)
        #expect(outcome("pregnancy-breastfeeding") == .contraindicated)
        #expect(outcome("fitzpatrick-pih-risk") == .eligible)
        #expect(RuleSet.default.rule(id: "isotretinoin")?.parameters == RuleParameters(windowMonths: 6))
        #expect(RuleSet.default.rule(id: "topical-retinoid")?.parameters == RuleParameters(windowDays: 14))
    }

    @Test func ruleSetRoundTripsThroughJSONForClinicStorage() throws {
        let data = try JSONEncoder().encode(RuleSet.default)
        #expect(try JSONDecoder().decode(RuleSet.self, from: data) == RuleSet.default)
    }

    @Test func validationCatchesUnsafeClinicEdits() {
        var rules = RuleSet.default
        rules.rules.append(rules.rules[0])
        rules.rules[1].modalities = []
        rules.rules[2].parameters = RuleParameters(windowDays: -3)
        rules.rules[3].source = " "
        let fields = rules.validationProblems().map(\.field)
        #expect(fields.contains("rules[\(rules.rules.count - 1)].id"))
        #expect(fields.contains("rules[1].modalities"))
        #expect(fields.contains("rules[2].parameters.windowDays"))
        #expect(fields.contains("rules[3].source"))
    }

    @Test func intakeDecodesWithDefaultsForMissingFields() throws {
        let intake = try JSONDecoder().decode(Intake.self, from: Data(#"{"anticoagulants":true}"#.utf8))
        #expect(intake == Intake(anticoagulants: true))
        let full = Intake(fitzpatrick: .v, fitzpatrickMethod: .selfReported, isotretinoin: .stopped(on: calendarDay("2026-01-02")),
                          retinoidStoppedOn: calendarDay("2026-02-01"),
                          recentProcedures: [RecentProcedure(kind: .filler, on: calendarDay("2025-12-24"))])
        #expect(try JSONDecoder().decode(Intake.self, from: JSONEncoder().encode(full)) == full)
    }

    /// docs/clinical-rules.md must list every rule and scale with its current version, so the
    /// table a clinician signs off cannot drift from the code.
    @Test func clinicalRulesDocumentListsEveryRuleAndScale() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/clinical-rules.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains("Rule set version: `\(RuleSet.default.version)`"))
        for rule in RuleSet.default.rules {
            #expect(text.contains("| `\(rule.id)` | \(rule.version) | \(rule.outcome.rawValue) |"), "missing or stale row: \(rule.id)")
        }
        for (id, version) in [(GoodmanBaronQualitative.id, GoodmanBaronQualitative.version),
                              (GoodmanBaronQuantitative.id, GoodmanBaronQuantitative.version), (ECCA.id, ECCA.version)] {
            #expect(text.contains("| `\(id)` | \(version) |"), "missing scale: \(id)")
        }
    }
}
