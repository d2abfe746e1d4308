/// The example protocol templates a clinic starts with. Each is named "Example — adjust before
/// clinical use", and each default cites where it comes from in the domain reference. There
/// are no zone depths and no device depth limit: the reference gives no per-zone consensus
/// (§4.2) and the product hard-codes none (Decision 4), so the clinic enters its own.
public enum ExampleTemplates {
    public static let namePrefix = "Example — adjust before clinical use: "

    static let intervalRangeSource =
        "Intervals in the literature run from 1 week to 6 weeks (Harris, Naidoo & Murrell, Int J Womens Dermatol 2015; Juhasz & Cohen, CCID 2020), so the example allows 7–42 days and blocks no interval in that range; narrow it to the clinic's own minimum and maximum."
    static let depthsSource =
        "No per-zone defaults: published depth guides disagree, so ScarTrack ships none. Acne-scar studies cluster at 1.5 mm (median needle length in Harris, Naidoo & Murrell, Int J Womens Dermatol 2015; a 1.5 mm roller in Lotfi R, et al. J Egypt Women's Dermatol Soc 2013). Enter the clinic's own depth per zone."
    static let deviceLimitSource =
        "Enter the device's labelled maximum penetration depth (US FDA 21 CFR 878.4430 requires it on the label). No depth can be planned until it is set."
    static let postCareSource =
        "Common clinic aftercare practice, consistent across several clinics but not a guideline; vitamin C caution: Soltani-Arabshahi R, et al. JAMA Dermatol 2014; Friedmann DP, et al. Dermatol Surg 2024."

    public static let postCareText = """
        Day 0: expect sunburn-like redness, tightness, possible pinpoint bleeding or light swelling. Do not touch the face with unwashed hands.
        First 24 h: gentle cleanser and lukewarm water only; a bland hydrator or hyaluronic acid serum; no actives.
        Makeup: avoid for 24 h (clinics advise 24–48 h; the default is 24 h).
        Sunscreen: broad-spectrum mineral SPF 30+ from 24 h; avoid the sun for at least 1 week.
        Sweat, exercise, sauna, swimming: avoid for 24–48 h.
        Alcohol, smoking, blood-thinning supplements: avoid for 24–48 h.
        Actives (retinoids, AHA/BHA, vitamin C, benzoyl peroxide, exfoliants): resume after 5–7 days. No vitamin C serum on freshly needled skin.
        Never pick or scratch flakes; let them resolve.
        """

    public static let all: [ProtocolTemplateDefinition] = [
        ProtocolTemplateDefinition(
            name: namePrefix + "Microneedling (pen) for atrophic acne scars", isExample: true, modality: .microneedling,
            deviceType: .pen, adjuncts: [], sessionsMin: 3, sessionsMax: 6, sessionsDefault: 3,
            intervalDaysDefault: 28, intervalDaysMin: 7, intervalDaysMax: 42,
            postCare: postCareText,
            sources: [
                .sessions: "Default 3: Harris, Naidoo & Murrell, Int J Womens Dermatol 2015;1:77–81 (review), median 3 treatments. Range 3–6: common clinic practice (3–6 sessions).",
                .interval: "28 days: Harris, Naidoo & Murrell, Int J Womens Dermatol 2015 (review), median interval 4 weeks.",
                .intervalRange: intervalRangeSource, .depths: depthsSource, .deviceDepthLimit: deviceLimitSource,
                .postCare: postCareSource,
            ]),
        ProtocolTemplateDefinition(
            name: namePrefix + "Microneedling (pen) with subcision for rolling scars", isExample: true, modality: .microneedling,
            deviceType: .pen, adjuncts: [.subcision], sessionsMin: 3, sessionsMax: 6, sessionsDefault: 4,
            intervalDaysDefault: 28, intervalDaysMin: 7, intervalDaysMax: 42,
            postCare: postCareText,
            sources: [
                .sessions: "Default 4: Bhargava S, et al. J Clin Aesthet Dermatol 2019 (subcision and microneedling, 4 sessions 4 weeks apart, 45 patients). Range 3–6: common clinic practice.",
                .interval: "28 days: Bhargava S, et al. J Clin Aesthet Dermatol 2019, sessions 4 weeks apart.",
                .adjuncts: "Subcision for rolling scars (dermal tethering): Bhargava S, et al. J Clin Aesthet Dermatol 2019 (95.6% improved by at least one grade); Lotfi R, et al. 2013.",
                .intervalRange: intervalRangeSource, .depths: depthsSource, .deviceDepthLimit: deviceLimitSource,
                .postCare: postCareSource,
            ]),
        ProtocolTemplateDefinition(
            name: namePrefix + "RF microneedling for atrophic acne scars", isExample: true, modality: .rfMicroneedling,
            deviceType: nil, adjuncts: [], sessionsMin: 2, sessionsMax: 6, sessionsDefault: 3,
            intervalDaysDefault: 28, intervalDaysMin: 7, intervalDaysMax: 42,
            postCare: postCareText,
            sources: [
                .sessions: "Default 3: Eubanks SW, Solomon JA. Lasers Surg Med 2022 (fractional RF, 3 sessions 4 weeks apart); Dermatol Surg 2017;43 Suppl 1:S64–S69 (3 monthly sessions). Range 2–6: Elawar A, Dahan S. J Clin Aesthet Dermatol 2018 (2–6 monthly sessions).",
                .interval: "28 days: Eubanks SW, Solomon JA. Lasers Surg Med 2022 (4 weeks); RF microneedling intervals in the literature are 4–6 weeks.",
                .rf: "No defaults: record energy per pin (mJ/pin), pin count, pulse duration, insulation and electrode configuration for the clinic's device. The literature gives device examples only, e.g. an 80-pin tip up to 124 mJ/pin (Eubanks SW, Solomon JA. Lasers Surg Med 2022).",
                .intervalRange: intervalRangeSource, .depths: depthsSource, .deviceDepthLimit: deviceLimitSource,
                .postCare: postCareSource,
            ]),
    ]
}
