import Foundation

/// A versioned post-care sheet per modality (domain reference §9). Practice-level guidance from
/// clinic pages ([C2] means consistent across several clinics, not guideline-grade); each line
/// carries its sources. The version given is recorded with the session.
public struct PostCareTemplate: Sendable, Codable, Equatable {
    public struct Section: Sendable, Codable, Equatable {
        public var window: String
        public var instruction: String
        public var source: String
    }

    public var id: String
    public var version: String
    public var modality: Modality
    public var title: String
    public var sections: [Section]

    public var versionId: String { "\(id)@\(version)" }

    static let common: [Section] = [
        Section(window: "Day 0", instruction: "Expect sunburn-like redness, tightness, possible pinpoint bleeding or light swelling. Do not touch the face with unwashed hands.",
                source: "seed S9; monarch; fifthelement; realself (§9)"),
        Section(window: "First 24 hours", instruction: "Gentle cleanser and lukewarm water only; a bland hydrator or hyaluronic acid serum; no actives. Avoid makeup for 24 hours.",
                source: "monarch; fifthelement; drpen (§9; makeup default 24 h)"),
        Section(window: "24–48 hours", instruction: "Avoid sweating, exercise, sauna and swimming, and alcohol, smoking and blood-thinning supplements, for 24–48 hours.",
                source: "fifthelement; drpen; monarch (§9)"),
        Section(window: "Days 5–7", instruction: "Do not pick or scratch flakes; let flaking resolve on its own.",
                source: "monarch; fifthelement; drpen (§9)"),
        Section(window: "Sun protection", instruction: "Avoid the sun for at least a week. From 24 hours, use a broad-spectrum mineral sunscreen (zinc oxide or titanium dioxide), SPF 30 or higher.",
                source: "fifthelement; realself; monarch (§9)"),
        Section(window: "When actives may resume", instruction: "Retinoids, AHA/BHA, vitamin C, benzoyl peroxide and exfoliants: not before day 5 to 7, as your clinician advises. Vitamin C is avoided on freshly needled skin.",
                source: "monarch (day 5); fifthelement (5–7 days); drpen (≥ 1 week) (§9); §4.8"),
        Section(window: "When to call the clinic", instruction: "Call the clinic if redness or swelling lasts more than 72 hours, or if you notice blisters, pus, a cold sore, spreading redness, a rash, lumps, or pain that gets worse.",
                source: "Decision 6 (72 h threshold); §7.1 catalogue (infection, HSV reactivation, hypersensitivity, granulomatous reaction)"),
    ]

    public static let builtIn: [PostCareTemplate] = [
        PostCareTemplate(id: "postcare-microneedling", version: "1", modality: .microneedling, title: "After your microneedling session",
                         sections: common),
        PostCareTemplate(id: "postcare-rf-microneedling", version: "1", modality: .rfMicroneedling, title: "After your RF microneedling session",
                         sections: common),
    ]

    public static func current(for modality: Modality) -> PostCareTemplate {
        builtIn.last { $0.modality == modality }!
    }

    public static func find(versionId: String) -> PostCareTemplate? {
        builtIn.first { $0.versionId == versionId }
    }
}
