import Foundation
import Testing
import ScarCore

@Suite("Screening: combinations and rule-set behaviour")
struct ScreeningCombinationTests {
    func screen(_ intake: Intake, _ modality: Modality = .microneedling, ruleSet: RuleSet = .default) -> ScreeningResult {
        Screening.evaluate(intake: intake, modality: modality, asOf: screeningDay, ruleSet: ruleSet)
    }

    @Test func mostSevereFindingWinsAndIsListedFirst() {
        let result = screen(cleanIntake {
            $0.anticoagulants = true
            $0.activeAcneInArea = true
            $0.pregnantOrBreastfeeding = true
            $0.fitzpatrick = .v
        })
        #expect(result.outcome == .contraindicated)
        #expect(result.findings.map(\.outcome) == [.contraindicated, .defer, .acknowledge, .eligible, .eligible])
        #expect(result.findings.first?.rule == "pregnancy-breastfeeding")
    }

    @Test func latestDeferDateWins() {
        let result = screen(cleanIntake {
            $0.retinoidStoppedOn = calendarDay("2026-02-20")  // until 2026-03-06
            $0.recentProcedures = [RecentProcedure(kind: .laser, on: calendarDay("2026-02-10"))]  // until 2026-03-10
        })
        #expect(result.outcome == .defer)
        #expect(result.deferUntil == calendarDay("2026-03-10"))
        #expect(Set(result.findings.compactMap(\.deferUntil)) == [calendarDay("2026-03-06"), calendarDay("2026-03-10")])
    }

    @Test func undatedDeferMakesTheOverallDateUnknown() {
        let result = screen(cleanIntake {
            $0.activeAcneInArea = true
            $0.recentProcedures = [RecentProcedure(kind: .laser, on: calendarDay("2026-02-10"))]
        })
        #expect(result.outcome == .defer)
        #expect(result.deferUntil == nil)
        #expect(result.findings.first { $0.rule == "recent-laser" }?.deferUntil == calendarDay("2026-03-10"))
    }

    @Test func datedDeferStillReportedAlongsideAContraindication() {
        let result = screen(cleanIntake {
            $0.metalAllergy = true
            $0.recentProcedures = [RecentProcedure(kind: .waxing, on: calendarDay("2026-02-27"))]
        })
        #expect(result.outcome == .contraindicated)
        #expect(result.deferUntil == calendarDay("2026-03-27"))
    }

    @Test func severalProceduresOfOneKindTakeTheLatestWindowEnd() {
        let result = screen(cleanIntake {
            $0.recentProcedures = [RecentProcedure(kind: .laser, on: calendarDay("2026-02-10")),
                                   RecentProcedure(kind: .laser, on: calendarDay("2026-02-20")),
                                   RecentProcedure(kind: .laser, on: calendarDay("2025-01-01"))]
        })
        #expect(result.findings.map(\.rule) == ["recent-laser"])
        #expect(result.deferUntil == calendarDay("2026-03-20"))
    }

    @Test func procedureDatedAfterAsOfDefersFromItsOwnDate() {
        let result = screen(cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .laser, on: calendarDay("2026-03-05"))] })
        #expect(result.deferUntil == calendarDay("2026-04-02"))
    }

    @Test func isotretinoinNeedsAcknowledgementNeverBlocks() {
        for status: IsotretinoinStatus in [.current, .stopped(on: calendarDay("2026-02-28")), .stopped(on: screeningDay)] {
            for modality in Modality.allCases {
                let result = screen(cleanIntake { $0.isotretinoin = status }, modality)
                #expect(result.outcome == .acknowledge)
                #expect(result.deferUntil == nil)
                #expect(result.findings.map(\.outcome) == [.acknowledge])
            }
        }
    }

    @Test func rfOnlyRulesNeverApplyToMechanicalMicroneedling() {
        let intake = cleanIntake { $0.pacemakerOrImplantedDevice = true; $0.metalImplantsInArea = true }
        #expect(screen(intake, .microneedling).findings.isEmpty)
        let rf = screen(intake, .rfMicroneedling)
        #expect(rf.outcome == .contraindicated)
        #expect(rf.findings.map(\.rule) == ["rf-implanted-electronic-device", "rf-metal-implants-in-area"])
        for rule in RuleSet.default.rules where rule.id.hasPrefix("rf-") {
            #expect(rule.modalities == [.rfMicroneedling])
        }
    }

    @Test func fitzpatrickGuidanceNeverRaisesTheOutcome() {
        let result = screen(cleanIntake { $0.fitzpatrick = .vi; $0.fitzpatrickMethod = .selfReported; $0.keloidHistory = true })
        #expect(result.outcome == .acknowledge)
        #expect(result.findings.filter { $0.outcome == .eligible }.map(\.rule)
                == ["fitzpatrick-pih-risk", "fitzpatrick-photoprotection-counselling", "fitzpatrick-self-reported"])
    }

    @Test func everyFindingSaysItSupportsTheClinicalDecisionAndCitesItsSource() {
        var everything = cleanIntake {
            $0.activeAcneInArea = true; $0.localInfectionInArea = true; $0.activeHerpesLabialis = true
            $0.herpesHistory = true; $0.eczemaPsoriasisInArea = .severe; $0.anticoagulants = true
            $0.bleedingDisorder = true; $0.immunosuppressed = true; $0.chemotherapy = true
            $0.pregnantOrBreastfeeding = true; $0.keloidHistory = true; $0.isotretinoin = .current
            $0.pacemakerOrImplantedDevice = true; $0.metalImplantsInArea = true; $0.metalAllergy = true
            $0.anestheticAllergy = true; $0.recentSunburn = true; $0.retinoidStoppedOn = calendarDay("2026-02-28")
            $0.uncontrolledDiabetes = true; $0.autoimmuneDisease = true; $0.skinCancerInArea = true
            $0.systemicInfection = true; $0.fitzpatrick = .v; $0.fitzpatrickMethod = .selfReported
            $0.recentProcedures = RecentProcedure.Kind.allCases.map { RecentProcedure(kind: $0, on: calendarDay("2026-02-28")) }
        }
        let all = screen(everything, .rfMicroneedling)
        everything.fitzpatrick = nil
        let missingType = screen(everything, .rfMicroneedling)
        let fired = Set(all.findings.map(\.rule) + missingType.findings.map(\.rule))
        #expect(fired == Set(RuleSet.default.rules.map(\.id)))
        for finding in all.findings + missingType.findings {
            #expect(finding.reason.contains("supports the clinical decision"))
            #expect(!finding.source.isEmpty)
            #expect(finding.source == RuleSet.default.rule(id: finding.rule)?.source)
            #expect(finding.outcome == .defer || finding.deferUntil == nil)
        }
    }

    @Test func anticoagulantReasonNeverAdvisesStoppingTheMedicine() {
        let finding = screen(cleanIntake { $0.anticoagulants = true }).findings[0]
        #expect(finding.reason.contains("does not advise stopping"))
    }

    @Test func detailsRecordedAtIntakeAppearInTheReason() {
        let result = screen(cleanIntake {
            $0.metalAllergy = true; $0.metalAllergyDetail = "nickel"
            $0.herpesHistory = true; $0.antiviralProphylaxisPlanned = true
        })
        #expect(result.findings.first { $0.rule == "metal-allergy" }?.reason.contains("Metal: nickel.") == true)
        #expect(result.findings.first { $0.rule == "herpes-simplex-history" }?.reason.contains("planned: yes") == true)
    }

    @Test func clinicCanChangeAWindowAnOutcomeOrRemoveTheNumber() throws {
        var rules = RuleSet.default
        rules.version = "clinic-7"
        let laser = try #require(rules.rules.firstIndex { $0.id == "recent-laser" })
        let intake = cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .laser, on: calendarDay("2026-02-10"))] }

        rules.rules[laser].parameters = RuleParameters(windowDays: 14)
        var result = screen(intake, ruleSet: rules)
        #expect(result.findings.isEmpty)
        #expect(result.ruleSetVersion == "clinic-7")

        rules.rules[laser].parameters = .none
        result = screen(intake, ruleSet: rules)
        #expect(result.outcome == .defer)
        #expect(result.deferUntil == nil)

        rules.rules[laser].outcome = .acknowledge
        rules.rules[laser].parameters = RuleParameters(windowMonths: 1)
        result = screen(intake, ruleSet: rules)
        #expect(result.outcome == .acknowledge)
        #expect(result.deferUntil == nil)
    }

    @Test func clinicCanAddAModalitySpecificVariantOfARule() {
        var rules = RuleSet.default
        rules.rules.append(ScreeningRule(
            id: "autoimmune-disease-rf", version: "1", title: "Autoimmune disease (RF, clinic rule)",
            criterion: .autoimmuneDisease, modalities: [.rfMicroneedling], outcome: .contraindicated,
            rationale: "Clinic policy.", source: "Clinic medical director, 2026", confidence: .nc))
        let intake = cleanIntake { $0.autoimmuneDisease = true }
        #expect(screen(intake, .microneedling, ruleSet: rules).outcome == .acknowledge)
        #expect(screen(intake, .rfMicroneedling, ruleSet: rules).outcome == .contraindicated)
    }

    @Test func resultsRoundTripThroughCodableForStorage() throws {
        let result = screen(cleanIntake { $0.recentSunburn = true; $0.isotretinoin = .stopped(on: calendarDay("2026-01-01")) })
        let data = try JSONEncoder().encode(result)
        #expect(try JSONDecoder().decode(ScreeningResult.self, from: data) == result)
    }
}
