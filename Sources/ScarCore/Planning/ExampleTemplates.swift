/// The example protocol templates a clinic starts with. Each is named "Example — adjust before
/// clinical use", and each default cites where it comes from in the domain reference. There
/// are no zone depths and no device depth limit: the reference gives no per-zone consensus
/// (§4.2) and the product hard-codes none (Decision 4), so the clinic enters its own.
public enum ExampleTemplates {
    public static let namePrefix = "Example — adjust before clinical use: "

    static let intervalRangeSource =
        "Intervals in the literature run from 1 week to 6 weeks and the reference says not to hard-block other intervals, so the example allows 7–42 days; narrow it to the clinic's own minimum and maximum (domain reference §4.1, system rule)."
    static let depthsSource =
        "No per-zone defaults: the sources conflict and the product ships none (domain reference §4.2, Decision 4). Acne-scar studies cluster at 1.5 mm (Harris 2015 median needle length [C1]; Lotfi 2013 1.5 mm roller [C1]). Enter the clinic's own depth per zone."
    static let deviceLimitSource =
        "Enter the device's labelled maximum penetration depth (21 CFR 878.4430 requires it on the label; domain reference §4.4). No depth can be planned until it is set."
    static let postCareSource =
        "Clinic post-care pages (monarch; fifthelement; drpen; realself), consistent across several clinics but not guideline-grade [C2]; vitamin C caution: Soltani-Arabshahi 2014, Friedmann 2024 (domain reference §9, §4.8, Decision 5)."

    public static let postCareText = """
        Day 0: expect sunburn-like redness, tightness, possible pinpoint bleeding or light swelling. Do not touch the face with unwashed hands.
        First 24 h: gentle cleanser and lukewarm water only; a bland hydrator or hyaluronic acid serum; no actives.
        Makeup: avoid for 24 h (sources say 24–48 h; the reference's configurable default is 24 h).
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
                .sessions: "Default 3: Harris 2015 review (Int J Womens Dermatol 2015;1:77–81), median 3 treatments [C2]. Range 3–6: seed S5, with clinic pages (3–6 sessions) (domain reference §0 S5, §4.1).",
                .interval: "28 days: Harris 2015 review, median interval 4 weeks [C2]; seed S5, 4 weeks apart (domain reference §4.1).",
                .intervalRange: intervalRangeSource, .depths: depthsSource, .deviceDepthLimit: deviceLimitSource,
                .postCare: postCareSource,
            ]),
        ProtocolTemplateDefinition(
            name: namePrefix + "Microneedling (pen) with subcision for rolling scars", isExample: true, modality: .microneedling,
            deviceType: .pen, adjuncts: [.subcision], sessionsMin: 3, sessionsMax: 6, sessionsDefault: 4,
            intervalDaysDefault: 28, intervalDaysMin: 7, intervalDaysMax: 42,
            postCare: postCareText,
            sources: [
                .sessions: "Default 4: Bhargava 2019 (J Clin Aesthet Dermatol), subcision + MN, 4 sessions × 4 weeks, 45 patients [C2]. Range 3–6: seed S5 (domain reference §4.1, §4.6).",
                .interval: "28 days: Bhargava 2019, sessions 4 weeks apart [C2] (domain reference §4.1).",
                .adjuncts: "Subcision for rolling scars (dermal tethering): Bhargava 2019, 95.6% improved ≥1 grade; Lotfi 2013 (domain reference §1.3, §4.6).",
                .intervalRange: intervalRangeSource, .depths: depthsSource, .deviceDepthLimit: deviceLimitSource,
                .postCare: postCareSource,
            ]),
        ProtocolTemplateDefinition(
            name: namePrefix + "RF microneedling for atrophic acne scars", isExample: true, modality: .rfMicroneedling,
            deviceType: nil, adjuncts: [], sessionsMin: 2, sessionsMax: 6, sessionsDefault: 3,
            intervalDaysDefault: 28, intervalDaysMin: 7, intervalDaysMax: 42,
            postCare: postCareText,
            sources: [
                .sessions: "Default 3: Eubanks & Solomon 2021 (fractional RF), 3 × 4 weeks [C1]; Dermatol Surg 2017 (PMID 28009691), 3 × monthly [C1]. Range 2–6: Elawar & Dahan 2018, 2–6 × monthly [C2] (domain reference §4.1).",
                .interval: "28 days: Eubanks & Solomon 2021, 4 weeks [C1]; RF microneedling intervals in the literature are 4–6 weeks (domain reference §4.1).",
                .rf: "No defaults: record energy per pin (mJ/pin), pin count, pulse duration, insulation and electrode configuration for the clinic's device. The reference gives device examples only, e.g. an 80-pin tip up to 124 mJ/pin (Eubanks 2021) (domain reference §4.5).",
                .intervalRange: intervalRangeSource, .depths: depthsSource, .deviceDepthLimit: deviceLimitSource,
                .postCare: postCareSource,
            ]),
    ]
}
