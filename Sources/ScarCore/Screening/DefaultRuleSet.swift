/// The shipped rule set, transcribed from the domain reference (§6 contraindications, §6.1
/// isotretinoin, §8 Fitzpatrick). Class A → `contraindicated`, R → `acknowledge`,
/// D → `defer`. Where the reference lists two classes ("A/R", "R/D", "A in area / D") or
/// conflicting durations, the default takes the more cautious one and says so in the
/// rationale: a clinic relaxes a rule by configuration, which is safer than having to notice
/// a missing one. No number here is ours; every window is quoted from the reference.
extension RuleSet {
    public static let `default` = RuleSet(version: "2026.1", rules: defaultRules)

    private static let both: [Modality] = [.microneedling, .rfMicroneedling]
    private static let rfOnly: [Modality] = [.rfMicroneedling]
    private static let s6 = " (domain reference §6)"

    private static let defaultRules: [ScreeningRule] = [
        ScreeningRule(
            id: "active-acne-in-area", version: "1", title: "Active acne in the treatment area",
            criterion: .activeAcneInArea, modalities: both, outcome: .defer,
            rationale: "Active acne breakout in the treatment area: reference class D, defer until inflammation is controlled (no number of days is given).",
            source: "seed; J Drugs Dermatol 2024 (\"active acne\"); balancedayspa; coloradoaesthetics (\"inflamed acne\")" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "local-infection-in-area", version: "1", title: "Warts or other local infection in the area",
            criterion: .localInfectionInArea, modalities: both, outcome: .contraindicated,
            rationale: "Warts or other local infection (bacterial, viral, fungal) in the treatment area: reference class \"A in area / D\" until resolved; the default takes A (contraindicated in the area).",
            source: "seed; J Drugs Dermatol 2024 (\"local infection\"); coloradoaesthetics; balancedayspa (HPV warts)" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "active-herpes-labialis", version: "1", title: "Active herpes labialis",
            criterion: .activeHerpesLabialis, modalities: both, outcome: .contraindicated,
            rationale: "Active herpes labialis is a local infection: reference class \"A in area / D\" until resolved; the default takes A (contraindicated in the area).",
            source: "seed; J Drugs Dermatol 2024 (\"local infection\"); coloradoaesthetics; balancedayspa" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "herpes-simplex-history", version: "1", title: "History of HSV (cold sores)",
            criterion: .herpesHistory, modalities: both, outcome: .acknowledge,
            rationale: "History of HSV (cold sores): reference class R. The reference notes that oral antiviral prophylaxis for one week may be needed when the history is positive (duration [C1]).",
            source: "J Drugs Dermatol 2024; mailash" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "eczema-psoriasis-in-area", version: "1", title: "Moderate–severe eczema or psoriasis in the area",
            criterion: .eczemaPsoriasisModerateOrSevere, modalities: both, outcome: .defer,
            rationale: "Moderate–severe eczema or psoriasis (also rosacea, dermatitis) in the treatment area: reference class \"R/D\" until controlled; the default takes D (no number of days is given).",
            source: "seed; coloradoaesthetics; balancedayspa" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "anticoagulants", version: "1", title: "Current anticoagulants",
            criterion: .anticoagulants, modalities: both, outcome: .acknowledge,
            rationale: "Current anticoagulants (warfarin, heparin; some lists add low-dose aspirin): reference class R, a clinician decision. ScarTrack does not advise stopping prescribed anticoagulants.",
            source: "seed; balancedayspa; coloradoaesthetics" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "bleeding-disorder", version: "1", title: "Bleeding or clotting disorder",
            criterion: .bleedingDisorder, modalities: both, outcome: .contraindicated,
            rationale: "Bleeding or clotting disorder (e.g. hemophilia): reference class \"A/R\"; the default takes A.",
            source: "balancedayspa; aestheticshq (\"hemorrhagic disorder\"); coloradoaesthetics" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "immunosuppression", version: "1", title: "Weak immune system",
            criterion: .immunosuppressed, modalities: both, outcome: .contraindicated,
            rationale: "Weak immune system (incl. radiotherapy, high-dose corticosteroids): reference class \"R/A\" during therapy; the default takes A.",
            source: "seed; balancedayspa; J Drugs Dermatol 2024 (\"immunosuppression\")" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "chemotherapy", version: "1", title: "Chemotherapy",
            criterion: .chemotherapy, modalities: both, outcome: .contraindicated,
            rationale: "Chemotherapy weakens the immune system: reference class \"R/A\" during therapy; the default takes A.",
            source: "seed; balancedayspa; J Drugs Dermatol 2024 (\"immunosuppression\")" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "keloid-history", version: "1", title: "Keloid or hypertrophic scar history",
            criterion: .keloidHistory, modalities: both, outcome: .acknowledge,
            rationale: "Keloid or hypertrophic scar history or tendency: reference class R (some lists: A).",
            source: "J Drugs Dermatol 2024 (\"keloid predisposition\"); balancedayspa; renewedspirit; plasticsurgerykey (relative in skin of color)" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "pregnancy-breastfeeding", version: "1", title: "Pregnancy or breastfeeding",
            criterion: .pregnantOrBreastfeeding, modalities: both, outcome: .contraindicated,
            rationale: "Pregnancy or breastfeeding: reference class A (practice consensus; no safety data) until after.",
            source: "coloradoaesthetics; balancedayspa; aestheticshq" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "isotretinoin", version: "1", title: "Isotretinoin, current or within 6 months",
            criterion: .isotretinoinCurrentOrRecent, modalities: both, outcome: .acknowledge,
            parameters: RuleParameters(windowMonths: 6),
            rationale: "Isotretinoin, current or stopped within 6 months: a relative warning that needs clinician acknowledgement, never an automatic block (Decision 3; the 2017 consensus found insufficient evidence to delay superficial procedures; microneedling is not named in either abstract).",
            source: "Spring LK, et al. Isotretinoin and Timing of Procedural Interventions. JAMA Dermatol 2017;153(8):802–9; Waldman A, et al. ASDS Guidelines Task Force. Dermatol Surg 2017;43(10):1249–62 (domain reference §6.1)",
            confidence: .c2),
        ScreeningRule(
            id: "uncontrolled-diabetes", version: "1", title: "Uncontrolled diabetes",
            criterion: .uncontrolledDiabetes, modalities: both, outcome: .acknowledge,
            rationale: "Uncontrolled diabetes: reference class R.",
            source: "balancedayspa; renewedspirit; mailash" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "autoimmune-disease", version: "1", title: "Collagen vascular or autoimmune disease",
            criterion: .autoimmuneDisease, modalities: both, outcome: .acknowledge,
            rationale: "Collagen vascular or autoimmune disease (lupus, scleroderma): reference class R; the reference adds caution for RF.",
            source: "balancedayspa; belislaser (RF); coloradoaesthetics" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "skin-cancer-in-area", version: "1", title: "Skin cancer or suspicious lesion in the area",
            criterion: .skinCancerInArea, modalities: both, outcome: .contraindicated,
            rationale: "Skin cancer, suspicious or raised lesions, actinic keratoses or moles in the treatment area: reference class A in area.",
            source: "coloradoaesthetics; balancedayspa; aestheticshq" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "systemic-infection", version: "1", title: "Systemic infection",
            criterion: .systemicInfection, modalities: both, outcome: .acknowledge,
            rationale: "Systemic infection (hepatitis, HIV): reference class R.",
            source: "balancedayspa" + s6,
            confidence: .c1),
        ScreeningRule(
            id: "metal-allergy", version: "1", title: "Metal allergy",
            criterion: .metalAllergy, modalities: both, outcome: .contraindicated,
            rationale: "Metal allergy (stainless steel needles; nickel): reference class A. A gold allergy (gold-plated RF tips) is not in any retrieved source [NC]; it is captured here as a metal allergy with the metal specified.",
            source: "balancedayspa; aestheticshq; droracle" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "anesthetic-allergy", version: "1", title: "Topical or local anesthetic allergy",
            criterion: .anestheticAllergy, modalities: both, outcome: .acknowledge,
            rationale: "Topical or local anesthetic allergy: the reference classes it A for that agent and says to choose an alternative, so it blocks the agent, not the procedure; the clinician acknowledges it and records the alternative.",
            source: "balancedayspa; aestheticshq" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "rf-implanted-electronic-device", version: "1", title: "Pacemaker or implanted electronic device (RF)",
            criterion: .pacemakerOrImplantedDevice, modalities: rfOnly, outcome: .contraindicated,
            rationale: "Pacemaker or implanted electronic device: reference class A for RF microneedling only.",
            source: "belislaser (\"absolute\"); coloradoaesthetics; au.feau" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "rf-metal-implants-in-area", version: "1", title: "Metal implants in the treatment area (RF)",
            criterion: .metalImplantsInArea, modalities: rfOnly, outcome: .contraindicated,
            rationale: "Metal implants in the treatment area: reference class \"R/A\" for RF microneedling only; the default takes A.",
            source: "belislaser" + s6,
            confidence: .c1),
        ScreeningRule(
            id: "recent-sun-exposure", version: "1", title: "Recent sun exposure, sunburn or tan",
            criterion: .recentSunburn, modalities: both, outcome: .defer,
            rationale: "Recent sun exposure, sunburn or tan: reference class D. Sources give 3 days before/after (saltsalon, duration [C1]) or \"recent\" (coloradoaesthetics); the intake records no date to count them from.",
            source: "saltsalon; coloradoaesthetics" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "topical-retinoid", version: "1", title: "Topical retinoid stopped less than 2 weeks ago",
            criterion: .retinoidRecentlyStopped, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowDays: 14),
            rationale: "Topical retinoids: reference class D, stop 2 weeks before (saltsalon, [C1]).",
            source: "saltsalon; post-care pages" + s6,
            confidence: .c1),
        ScreeningRule(
            id: "recent-chemical-peel", version: "1", title: "Recent chemical peel",
            criterion: .recentChemicalPeel, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowDays: 30),
            rationale: "Recent chemical peel: reference class D. Sources give 2 weeks (saltsalon), 2–4 weeks (coloradoaesthetics) and 30 days for a deep peel (purelyboutique); the intake does not record peel depth, so the default takes the longest, 30 days.",
            source: "multiple clinic pages: saltsalon; coloradoaesthetics; purelyboutique" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "recent-laser", version: "1", title: "Recent laser treatment",
            criterion: .recentLaser, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowDays: 28),
            rationale: "Recent laser: reference class D. Sources give 2 weeks (saltsalon) and 2–4 weeks (coloradoaesthetics); the default takes the longer, 4 weeks (28 days).",
            source: "multiple clinic pages: saltsalon; coloradoaesthetics" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "recent-waxing", version: "1", title: "Recent waxing",
            criterion: .recentWaxing, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowDays: 28),
            rationale: "Recent waxing: reference class D. Sources give 2 weeks (saltsalon) and 2–4 weeks (coloradoaesthetics); the default takes the longer, 4 weeks (28 days).",
            source: "multiple clinic pages: saltsalon; coloradoaesthetics" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "recent-filler", version: "1", title: "Recent filler",
            criterion: .recentFiller, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowMonths: 12),
            rationale: "Recent filler: reference class D; sources conflict: 7–14 days (coloradoaesthetics) vs 12 months (balancedayspa). The default takes the longer, 12 months; a clinic is expected to set its own value.",
            source: "clinic pages (conflicting): coloradoaesthetics; balancedayspa" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "recent-neuromodulator", version: "1", title: "Recent neuromodulator (botulinum toxin)",
            criterion: .recentNeuromodulator, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowMonths: 3),
            rationale: "Recent neuromodulator (Botox): reference class D; sources conflict: 7–14 days (coloradoaesthetics) vs 3 months (balancedayspa). The default takes the longer, 3 months; a clinic is expected to set its own value.",
            source: "clinic pages (conflicting): coloradoaesthetics; balancedayspa" + s6,
            confidence: .c2),
        ScreeningRule(
            id: "fitzpatrick-pih-risk", version: "1", title: "Fitzpatrick IV–VI: PIH risk",
            criterion: .fitzpatrickIVtoVI, modalities: both, outcome: .eligible,
            rationale: "Guidance, not a contraindication: the reference lists Fitzpatrick IV–VI as a precaution, not a contraindication, and says not to block. Show post-inflammatory hyperpigmentation (PIH) risk; the reference says to adjust settings. Microneedling may offer a more advantageous safety profile in IV–VI than conventional resurfacing (Cohen & Elbuluk 2016), but PIH does occur.",
            source: "coloradoaesthetics; Cohen BE, Elbuluk N. Microneedling in skin of color: A review of uses and efficacy. J Am Acad Dermatol 2016;74(2):348–55 (domain reference §6, §8)",
            confidence: .c2),
        ScreeningRule(
            id: "fitzpatrick-photoprotection-counselling", version: "1", title: "Fitzpatrick IV–VI: photoprotection counselling",
            criterion: .fitzpatrickIVtoVI, modalities: both, outcome: .eligible,
            rationale: "Guidance: for Fitzpatrick IV–VI the reference requires a photoprotection counselling checkbox and strict photoprotection.",
            source: "coloradoaesthetics; Cohen BE, Elbuluk N. J Am Acad Dermatol 2016;74(2):348–55; plasticsurgerykey (Applications and Safety in Skin of Color) (domain reference §6, §8)",
            confidence: .c2),
        ScreeningRule(
            id: "fitzpatrick-not-recorded", version: "1", title: "Fitzpatrick type not recorded",
            criterion: .fitzpatrickNotRecorded, modalities: both, outcome: .eligible,
            rationale: "Guidance: the reference makes the Fitzpatrick type required at intake, and the IV–VI guidance cannot be shown without it.",
            source: "Fitzpatrick TB. The validity and practicality of sun-reactive skin types I through VI. Arch Dermatol 1988;124:869–71 (domain reference §8)",
            confidence: .c2),
        ScreeningRule(
            id: "fitzpatrick-self-reported", version: "1", title: "Fitzpatrick type self-reported",
            criterion: .fitzpatrickSelfReported, modalities: both, outcome: .eligible,
            rationale: "Guidance: the Fitzpatrick type was self-reported, and self-report reliability is limited (Eilers 2013); a clinician assessment can confirm it.",
            source: "Eilers 2013, cited in GitHub ramiefathy/SkinScores src/tools/fitzpatrickSkinType.ts (domain reference §8)",
            confidence: .c1),
    ]
}
