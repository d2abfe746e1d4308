import Foundation
import Testing
import ScarCore

/// One scenario per default rule (and per side of every window), run through `Screening.evaluate`.
@Suite("Screening: one scenario per rule")
struct ScreeningRuleTests {
    static let scenarios: [ScreeningScenario] = [
        .init(name: "clean intake is eligible with no findings", intake: cleanIntake(), outcome: .eligible, rules: []),
        .init(name: "deferredWhileActiveAcne", intake: cleanIntake { $0.activeAcneInArea = true },
              outcome: .defer, rules: ["active-acne-in-area"]),
        .init(name: "local infection in the area is contraindicated", intake: cleanIntake { $0.localInfectionInArea = true },
              outcome: .contraindicated, rules: ["local-infection-in-area"]),
        .init(name: "active herpes labialis is contraindicated", intake: cleanIntake { $0.activeHerpesLabialis = true },
              outcome: .contraindicated, rules: ["active-herpes-labialis"]),
        .init(name: "herpes history needs acknowledgement", intake: cleanIntake { $0.herpesHistory = true },
              outcome: .acknowledge, rules: ["herpes-simplex-history"]),
        .init(name: "mild eczema raises nothing", intake: cleanIntake { $0.eczemaPsoriasisInArea = .mild },
              outcome: .eligible, rules: []),
        .init(name: "moderate eczema or psoriasis defers", intake: cleanIntake { $0.eczemaPsoriasisInArea = .moderate },
              outcome: .defer, rules: ["eczema-psoriasis-in-area"]),
        .init(name: "severe eczema or psoriasis defers", intake: cleanIntake { $0.eczemaPsoriasisInArea = .severe },
              outcome: .defer, rules: ["eczema-psoriasis-in-area"]),
        .init(name: "anticoagulants need acknowledgement", intake: cleanIntake { $0.anticoagulants = true },
              outcome: .acknowledge, rules: ["anticoagulants"]),
        .init(name: "bleeding disorder is contraindicated", intake: cleanIntake { $0.bleedingDisorder = true },
              outcome: .contraindicated, rules: ["bleeding-disorder"]),
        .init(name: "immunosuppression is contraindicated", intake: cleanIntake { $0.immunosuppressed = true },
              outcome: .contraindicated, rules: ["immunosuppression"]),
        .init(name: "chemotherapy is contraindicated", intake: cleanIntake { $0.chemotherapy = true },
              outcome: .contraindicated, rules: ["chemotherapy"]),
        .init(name: "pregnancy or breastfeeding is contraindicated", intake: cleanIntake { $0.pregnantOrBreastfeeding = true },
              outcome: .contraindicated, rules: ["pregnancy-breastfeeding"]),
        .init(name: "keloid history needs acknowledgement", intake: cleanIntake { $0.keloidHistory = true },
              outcome: .acknowledge, rules: ["keloid-history"]),
        .init(name: "current isotretinoin needs acknowledgement", intake: cleanIntake { $0.isotretinoin = .current },
              outcome: .acknowledge, rules: ["isotretinoin"]),
        .init(name: "isotretinoin stopped the day before the 6-month mark needs acknowledgement",
              intake: cleanIntake { $0.isotretinoin = .stopped(on: calendarDay("2025-09-02")) },
              outcome: .acknowledge, rules: ["isotretinoin"]),
        .init(name: "isotretinoin stopped 6 months ago to the day raises nothing",
              intake: cleanIntake { $0.isotretinoin = .stopped(on: calendarDay("2025-09-01")) }, outcome: .eligible, rules: []),
        .init(name: "isotretinoin never taken raises nothing", intake: cleanIntake { $0.isotretinoin = .never },
              outcome: .eligible, rules: []),
        .init(name: "uncontrolled diabetes needs acknowledgement", intake: cleanIntake { $0.uncontrolledDiabetes = true },
              outcome: .acknowledge, rules: ["uncontrolled-diabetes"]),
        .init(name: "autoimmune disease needs acknowledgement", intake: cleanIntake { $0.autoimmuneDisease = true },
              outcome: .acknowledge, rules: ["autoimmune-disease"]),
        .init(name: "autoimmune disease needs acknowledgement for RF too", modality: .rfMicroneedling,
              intake: cleanIntake { $0.autoimmuneDisease = true }, outcome: .acknowledge, rules: ["autoimmune-disease"]),
        .init(name: "skin cancer in the area is contraindicated", intake: cleanIntake { $0.skinCancerInArea = true },
              outcome: .contraindicated, rules: ["skin-cancer-in-area"]),
        .init(name: "systemic infection needs acknowledgement", intake: cleanIntake { $0.systemicInfection = true },
              outcome: .acknowledge, rules: ["systemic-infection"]),
        .init(name: "metal allergy is contraindicated", intake: cleanIntake { $0.metalAllergy = true },
              outcome: .contraindicated, rules: ["metal-allergy"]),
        .init(name: "anesthetic allergy needs acknowledgement, not a block", intake: cleanIntake { $0.anestheticAllergy = true },
              outcome: .acknowledge, rules: ["anesthetic-allergy"]),
        .init(name: "pacemaker is contraindicated for RF microneedling", modality: .rfMicroneedling,
              intake: cleanIntake { $0.pacemakerOrImplantedDevice = true },
              outcome: .contraindicated, rules: ["rf-implanted-electronic-device"]),
        .init(name: "pacemakerDoesNotAffectMechanicalMicroneedling", modality: .microneedling,
              intake: cleanIntake { $0.pacemakerOrImplantedDevice = true }, outcome: .eligible, rules: []),
        .init(name: "metal implants in the area are contraindicated for RF", modality: .rfMicroneedling,
              intake: cleanIntake { $0.metalImplantsInArea = true },
              outcome: .contraindicated, rules: ["rf-metal-implants-in-area"]),
        .init(name: "metalImplantsDoNotAffectMechanicalMicroneedling", modality: .microneedling,
              intake: cleanIntake { $0.metalImplantsInArea = true }, outcome: .eligible, rules: []),
        .init(name: "recent sunburn defers with no computable date", intake: cleanIntake { $0.recentSunburn = true },
              outcome: .defer, rules: ["recent-sun-exposure"]),
        .init(name: "retinoid stopped 9 days ago defers until 14 days after the stop",
              intake: cleanIntake { $0.retinoidStoppedOn = calendarDay("2026-02-20") },
              outcome: .defer, rules: ["topical-retinoid"], deferUntil: calendarDay("2026-03-06")),
        .init(name: "retinoid stopped 14 days ago raises nothing", intake: cleanIntake { $0.retinoidStoppedOn = calendarDay("2026-02-15") },
              outcome: .eligible, rules: []),
        .init(name: "chemical peel defers 30 days",
              intake: cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .chemicalPeel, on: calendarDay("2026-02-10"))] },
              outcome: .defer, rules: ["recent-chemical-peel"], deferUntil: calendarDay("2026-03-12")),
        .init(name: "chemical peel 30 days ago raises nothing",
              intake: cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .chemicalPeel, on: calendarDay("2026-01-30"))] },
              outcome: .eligible, rules: []),
        .init(name: "laser defers 28 days",
              intake: cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .laser, on: calendarDay("2026-02-10"))] },
              outcome: .defer, rules: ["recent-laser"], deferUntil: calendarDay("2026-03-10")),
        .init(name: "waxing defers 28 days",
              intake: cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .waxing, on: calendarDay("2026-02-27"))] },
              outcome: .defer, rules: ["recent-waxing"], deferUntil: calendarDay("2026-03-27")),
        .init(name: "filler defers 12 months",
              intake: cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .filler, on: calendarDay("2025-06-01"))] },
              outcome: .defer, rules: ["recent-filler"], deferUntil: calendarDay("2026-06-01")),
        .init(name: "neuromodulator defers 3 months",
              intake: cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .neuromodulator, on: calendarDay("2026-01-15"))] },
              outcome: .defer, rules: ["recent-neuromodulator"], deferUntil: calendarDay("2026-04-15")),
        .init(name: "neuromodulator 3 months ago raises nothing",
              intake: cleanIntake { $0.recentProcedures = [RecentProcedure(kind: .neuromodulator, on: calendarDay("2025-12-01"))] },
              outcome: .eligible, rules: []),
        .init(name: "fitzpatrick III raises nothing", intake: cleanIntake { $0.fitzpatrick = .iii },
              outcome: .eligible, rules: []),
        .init(name: "fitzpatrickIVGetsGuidanceWithoutBlocking", intake: cleanIntake { $0.fitzpatrick = .iv },
              outcome: .eligible, rules: ["fitzpatrick-pih-risk", "fitzpatrick-photoprotection-counselling"]),
        .init(name: "fitzpatrickVIGetsGuidanceWithoutBlocking on RF", modality: .rfMicroneedling,
              intake: cleanIntake { $0.fitzpatrick = .vi },
              outcome: .eligible, rules: ["fitzpatrick-pih-risk", "fitzpatrick-photoprotection-counselling"]),
        .init(name: "missing Fitzpatrick type is a non-blocking reminder", intake: Intake(),
              outcome: .eligible, rules: ["fitzpatrick-not-recorded"]),
        .init(name: "self-reported Fitzpatrick type is a non-blocking note",
              intake: cleanIntake { $0.fitzpatrickMethod = .selfReported }, outcome: .eligible, rules: ["fitzpatrick-self-reported"]),
    ]

    @Test(arguments: scenarios)
    func screeningScenario(_ s: ScreeningScenario) {
        let result = Screening.evaluate(intake: s.intake, modality: s.modality, asOf: screeningDay)
        #expect(result.outcome == s.outcome)
        #expect(result.findings.map(\.rule) == s.rules)
        #expect(result.deferUntil == s.deferUntil)
        #expect(result.modality == s.modality)
        #expect(result.ruleSetVersion == RuleSet.default.version)
    }

    @Test func everyDefaultRuleIsCoveredByAScenario() {
        let covered = Set(Self.scenarios.flatMap(\.rules))
        let missing = RuleSet.default.rules.map(\.id).filter { !covered.contains($0) }
        #expect(missing.isEmpty, "rules without a scenario: \(missing)")
    }
}
