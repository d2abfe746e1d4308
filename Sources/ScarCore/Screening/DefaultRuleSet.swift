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
    /// Sources as a reader cites them. The contraindication lists come from clinic pages, which a
    /// clinician reads as practice, not evidence; the review is cited by journal and year.
    private static let jdd = "Microneedling for treatment of acne scars: considerations on the successful management of this aesthetic procedure. J Drugs Dermatol 2024"
    private static let clinicLists = "common clinic contraindication lists"
    private static let cohen = "Cohen BE, Elbuluk N. Microneedling in skin of color: A review of uses and efficacy. J Am Acad Dermatol 2016;74(2):348–55"
    private static let skinOfColorChapter = "Applications and Safety in Skin of Color (textbook chapter)"

    private static let defaultRules: [ScreeningRule] = [
        ScreeningRule(
            id: "active-acne-in-area", version: "1", title: "Active acne in the treatment area",
            criterion: .activeAcneInArea, modalities: both, outcome: .defer,
            rationale: "Active acne breakout in the treatment area: defer until inflammation is controlled (no number of days is given).",
            source: jdd + " (\"active acne\"); " + clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "local-infection-in-area", version: "1", title: "Warts or other local infection in the area",
            criterion: .localInfectionInArea, modalities: both, outcome: .contraindicated,
            rationale: "Warts or other local infection (bacterial, viral, fungal) in the treatment area: a contraindication in the area, or a reason to defer until resolved; the default takes the stricter: contraindicated in the area.",
            source: jdd + " (\"local infection\"); " + clinicLists + " (including HPV warts)",
            confidence: .c2),
        ScreeningRule(
            id: "active-herpes-labialis", version: "1", title: "Active herpes labialis",
            criterion: .activeHerpesLabialis, modalities: both, outcome: .contraindicated,
            rationale: "Active herpes labialis is a local infection: a contraindication in the area, or a reason to defer until resolved; the default takes the stricter: contraindicated in the area.",
            source: jdd + " (\"local infection\"); " + clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "herpes-simplex-history", version: "1", title: "History of HSV (cold sores)",
            criterion: .herpesHistory, modalities: both, outcome: .acknowledge,
            rationale: "History of HSV (cold sores): a relative contraindication (the clinician acknowledges it). Oral antiviral prophylaxis for one week may be needed when the history is positive (the duration comes from one source).",
            source: jdd + "; " + clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "eczema-psoriasis-in-area", version: "1", title: "Moderate–severe eczema or psoriasis in the area",
            criterion: .eczemaPsoriasisModerateOrSevere, modalities: both, outcome: .defer,
            rationale: "Moderate–severe eczema or psoriasis (also rosacea, dermatitis) in the treatment area: a relative contraindication or a reason to defer until controlled; the default takes the stricter: defer (no number of days is given).",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "anticoagulants", version: "1", title: "Current anticoagulants",
            criterion: .anticoagulants, modalities: both, outcome: .acknowledge,
            rationale: "Current anticoagulants (warfarin, heparin; some lists add low-dose aspirin): a relative contraindication: a clinician decision. ScarTrack does not advise stopping prescribed anticoagulants.",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "bleeding-disorder", version: "1", title: "Bleeding or clotting disorder",
            criterion: .bleedingDisorder, modalities: both, outcome: .contraindicated,
            rationale: "Bleeding or clotting disorder (e.g. hemophilia): an absolute or a relative contraindication depending on the source; the default takes the stricter: contraindicated.",
            source: clinicLists + " (\"hemorrhagic disorder\")",
            confidence: .c2),
        ScreeningRule(
            id: "immunosuppression", version: "1", title: "Weak immune system",
            criterion: .immunosuppressed, modalities: both, outcome: .contraindicated,
            rationale: "Weak immune system (incl. radiotherapy, high-dose corticosteroids): a relative or an absolute contraindication during therapy; the default takes the stricter: contraindicated.",
            source: jdd + " (\"immunosuppression\"); " + clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "chemotherapy", version: "1", title: "Chemotherapy",
            criterion: .chemotherapy, modalities: both, outcome: .contraindicated,
            rationale: "Chemotherapy weakens the immune system: a relative or an absolute contraindication during therapy; the default takes the stricter: contraindicated.",
            source: jdd + " (\"immunosuppression\"); " + clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "keloid-history", version: "1", title: "Keloid or hypertrophic scar history",
            criterion: .keloidHistory, modalities: both, outcome: .acknowledge,
            rationale: "Keloid or hypertrophic scar history or tendency: a relative contraindication (some lists make it absolute).",
            source: jdd + " (\"keloid predisposition\"); " + clinicLists + "; " + skinOfColorChapter + " (relative in skin of color)",
            confidence: .c2),
        ScreeningRule(
            id: "pregnancy-breastfeeding", version: "1", title: "Pregnancy or breastfeeding",
            criterion: .pregnantOrBreastfeeding, modalities: both, outcome: .contraindicated,
            rationale: "Pregnancy or breastfeeding: contraindicated until after (practice consensus; there are no safety data).",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "isotretinoin", version: "1", title: "Isotretinoin, current or within 6 months",
            criterion: .isotretinoinCurrentOrRecent, modalities: both, outcome: .acknowledge,
            parameters: RuleParameters(windowMonths: 6),
            rationale: "Isotretinoin, current or stopped within 6 months: a relative warning that needs clinician acknowledgement, never an automatic block (the 2017 consensus found insufficient evidence to delay superficial procedures; microneedling is not named in either abstract).",
            source: "Spring LK, et al. Isotretinoin and Timing of Procedural Interventions. JAMA Dermatol 2017;153(8):802–9; Waldman A, et al. ASDS Guidelines Task Force. Dermatol Surg 2017;43(10):1249–62",
            confidence: .c2),
        ScreeningRule(
            id: "uncontrolled-diabetes", version: "1", title: "Uncontrolled diabetes",
            criterion: .uncontrolledDiabetes, modalities: both, outcome: .acknowledge,
            rationale: "Uncontrolled diabetes: a relative contraindication (the clinician acknowledges it).",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "autoimmune-disease", version: "1", title: "Collagen vascular or autoimmune disease",
            criterion: .autoimmuneDisease, modalities: both, outcome: .acknowledge,
            rationale: "Collagen vascular or autoimmune disease (lupus, scleroderma): a relative contraindication; RF device guidance adds caution.",
            source: clinicLists + " (including RF device guidance)",
            confidence: .c2),
        ScreeningRule(
            id: "skin-cancer-in-area", version: "1", title: "Skin cancer or suspicious lesion in the area",
            criterion: .skinCancerInArea, modalities: both, outcome: .contraindicated,
            rationale: "Skin cancer, suspicious or raised lesions, actinic keratoses or moles in the treatment area: contraindicated in the treatment area.",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "systemic-infection", version: "1", title: "Systemic infection",
            criterion: .systemicInfection, modalities: both, outcome: .acknowledge,
            rationale: "Systemic infection (hepatitis, HIV): a relative contraindication (the clinician acknowledges it).",
            source: clinicLists,
            confidence: .c1),
        ScreeningRule(
            id: "metal-allergy", version: "1", title: "Metal allergy",
            criterion: .metalAllergy, modalities: both, outcome: .contraindicated,
            rationale: "Metal allergy (stainless steel needles; nickel): contraindicated. No source addresses a gold allergy (gold-plated RF tips); record it as a metal allergy with the metal specified.",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "anesthetic-allergy", version: "1", title: "Topical or local anesthetic allergy",
            criterion: .anestheticAllergy, modalities: both, outcome: .acknowledge,
            rationale: "Topical or local anesthetic allergy: the sources make it absolute for that agent and say to choose an alternative, so it blocks the agent, not the procedure; the clinician acknowledges it and records the alternative.",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "rf-implanted-electronic-device", version: "1", title: "Pacemaker or implanted electronic device (RF)",
            criterion: .pacemakerOrImplantedDevice, modalities: rfOnly, outcome: .contraindicated,
            rationale: "Pacemaker or implanted electronic device: contraindicated for RF microneedling only.",
            source: clinicLists + " (RF device guidance: \"absolute\")",
            confidence: .c2),
        ScreeningRule(
            id: "rf-metal-implants-in-area", version: "1", title: "Metal implants in the treatment area (RF)",
            criterion: .metalImplantsInArea, modalities: rfOnly, outcome: .contraindicated,
            rationale: "Metal implants in the treatment area: a relative or an absolute contraindication for RF microneedling only; the default takes the stricter: contraindicated.",
            source: clinicLists + " (RF device guidance)",
            confidence: .c1),
        ScreeningRule(
            id: "recent-sun-exposure", version: "1", title: "Recent sun exposure, sunburn or tan",
            criterion: .recentSunburn, modalities: both, outcome: .defer,
            rationale: "Recent sun exposure, sunburn or tan: defer. One clinic page gives 3 days before and after, another says \"recent\"; the intake records no date to count them from.",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "topical-retinoid", version: "1", title: "Topical retinoid stopped less than 2 weeks ago",
            criterion: .retinoidRecentlyStopped, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowDays: 14),
            rationale: "Topical retinoids: defer: stop 2 weeks before (one clinic page).",
            source: clinicLists + "; common clinic aftercare practice",
            confidence: .c1),
        ScreeningRule(
            id: "recent-chemical-peel", version: "1", title: "Recent chemical peel",
            criterion: .recentChemicalPeel, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowDays: 30),
            rationale: "Recent chemical peel: defer. Clinic pages give 2 weeks, 2–4 weeks, and 30 days for a deep peel; the intake does not record peel depth, so the default takes the longest, 30 days.",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "recent-laser", version: "1", title: "Recent laser treatment",
            criterion: .recentLaser, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowDays: 28),
            rationale: "Recent laser: defer. Clinic pages give 2 weeks and 2–4 weeks; the default takes the longer, 4 weeks (28 days).",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "recent-waxing", version: "1", title: "Recent waxing",
            criterion: .recentWaxing, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowDays: 28),
            rationale: "Recent waxing: defer. Clinic pages give 2 weeks and 2–4 weeks; the default takes the longer, 4 weeks (28 days).",
            source: clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "recent-filler", version: "1", title: "Recent filler",
            criterion: .recentFiller, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowMonths: 12),
            rationale: "Recent filler: defer; clinic pages disagree: 7–14 days on one, 12 months on another. The default takes the longer, 12 months; a clinic is expected to set its own value.",
            source: clinicLists + " (they disagree on the interval)",
            confidence: .c2),
        ScreeningRule(
            id: "recent-neuromodulator", version: "1", title: "Recent neuromodulator (botulinum toxin)",
            criterion: .recentNeuromodulator, modalities: both, outcome: .defer,
            parameters: RuleParameters(windowMonths: 3),
            rationale: "Recent neuromodulator (Botox): defer; clinic pages disagree: 7–14 days on one, 3 months on another. The default takes the longer, 3 months; a clinic is expected to set its own value.",
            source: clinicLists + " (they disagree on the interval)",
            confidence: .c2),
        ScreeningRule(
            id: "fitzpatrick-pih-risk", version: "1", title: "Fitzpatrick IV–VI: PIH risk",
            criterion: .fitzpatrickIVtoVI, modalities: both, outcome: .eligible,
            rationale: "Guidance, not a contraindication: Fitzpatrick IV–VI is a precaution, not a contraindication, and is never blocked. Mind the risk of post-inflammatory hyperpigmentation (PIH) and adjust settings. Microneedling may offer a more advantageous safety profile in IV–VI than conventional resurfacing (Cohen & Elbuluk 2016), but PIH does occur.",
            source: cohen + "; " + clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "fitzpatrick-photoprotection-counselling", version: "1", title: "Fitzpatrick IV–VI: photoprotection counselling",
            criterion: .fitzpatrickIVtoVI, modalities: both, outcome: .eligible,
            rationale: "Guidance: for Fitzpatrick IV–VI, counsel strict photoprotection before and after treatment.",
            source: cohen + "; " + skinOfColorChapter + "; " + clinicLists,
            confidence: .c2),
        ScreeningRule(
            id: "fitzpatrick-not-recorded", version: "1", title: "Fitzpatrick type not recorded",
            criterion: .fitzpatrickNotRecorded, modalities: both, outcome: .eligible,
            rationale: "Guidance: record the Fitzpatrick type at intake, and the IV–VI guidance cannot be shown without it.",
            source: "Fitzpatrick TB. The validity and practicality of sun-reactive skin types I through VI. Arch Dermatol 1988;124:869–71",
            confidence: .c2),
        ScreeningRule(
            id: "fitzpatrick-self-reported", version: "1", title: "Fitzpatrick type self-reported",
            criterion: .fitzpatrickSelfReported, modalities: both, outcome: .eligible,
            rationale: "Guidance: the Fitzpatrick type was self-reported, and self-report reliability is limited (Eilers 2013); a clinician assessment can confirm it.",
            source: "Eilers S, et al. 2013 (reliability of self-reported skin type), as cited by the open-source SkinScores Fitzpatrick tool",
            confidence: .c1),
    ]
}
