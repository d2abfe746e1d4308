import Foundation

/// A versioned post-care sheet per modality (domain reference §9). Practice-level guidance from
/// clinic pages ([C2] means consistent across several clinics, not guideline-grade); each line
/// carries its sources. The version given is recorded with the session.
public struct PostCareTemplate: Sendable, Codable, Equatable {
    public struct Section: Sendable, Codable, Equatable {
        public var window: String
        public var instruction: String
        public var source: String

        public init(window: String, instruction: String, source: String) {
            self.window = window
            self.instruction = instruction
            self.source = source
        }
    }

    public var id: String
    public var version: String
    public var modality: Modality
    public var title: String
    public var sections: [Section]

    public var versionId: String { "\(id)@\(version)" }

    static let common: [Section] = [
        Section(window: "Day 0", instruction: "Expect sunburn-like redness, tightness, possible pinpoint bleeding or light swelling. Do not touch the face with unwashed hands.",
                source: "common clinic aftercare practice"),
        Section(window: "First 24 hours", instruction: "Gentle cleanser and lukewarm water only; a bland hydrator or hyaluronic acid serum; no actives. Avoid makeup for 24 hours.",
                source: "common clinic aftercare practice (clinics advise 24–48 hours without makeup; the default is 24 hours)"),
        Section(window: "24–48 hours", instruction: "Avoid sweating, exercise, sauna and swimming, and alcohol, smoking and blood-thinning supplements, for 24–48 hours.",
                source: "common clinic aftercare practice"),
        Section(window: "Days 5–7", instruction: "Do not pick or scratch flakes; let flaking resolve on its own.",
                source: "common clinic aftercare practice"),
        Section(window: "Sun protection", instruction: "Avoid the sun for at least a week. From 24 hours, use a broad-spectrum mineral sunscreen (zinc oxide or titanium dioxide), SPF 30 or higher.",
                source: "common clinic aftercare practice"),
        Section(window: "When actives may resume", instruction: "Retinoids, AHA/BHA, vitamin C, benzoyl peroxide and exfoliants: not before day 5 to 7, as your clinician advises. Vitamin C is avoided on freshly needled skin.",
                source: "common clinic aftercare practice (clinics advise day 5 to one week); vitamin C: Soltani-Arabshahi R, et al. JAMA Dermatol 2014; Friedmann DP, et al. Dermatol Surg 2024"),
        Section(window: "When to call the clinic", instruction: "Call the clinic if redness or swelling lasts more than 72 hours, or if you notice blisters, pus, a cold sore, spreading redness, a rash, lumps, or pain that gets worse.",
                source: "The clinic's threshold for redness or swelling, default 72 hours (redness usually settles in 2–3 days); the listed complications (infection, cold sore reactivation, allergic reaction, granulomatous reaction) are those reported after microneedling"),
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

    /// The stable id of a modality's sheet (`postcare-microneedling`); clinic versions keep it.
    public static func templateId(for modality: Modality) -> String { "postcare-\(modality.rawValue)" }

    /// The seven windows every sheet covers, in order (issue 5; domain reference §9).
    public static var windows: [String] { common.map(\.window) }

    public init(id: String, version: String, modality: Modality, title: String, sections: [Section]) {
        self.id = id
        self.version = version
        self.modality = modality
        self.title = title
        self.sections = sections
    }

    /// Checks a clinic's edit of a sheet: a title, and for each of the seven windows an
    /// instruction and the source it rests on (a clinic protocol is a valid source, but it
    /// must be named). Every problem is reported at once, by field (`sections[2].source`).
    public static func validate(modality: Modality, title: String?, instructions: [String?], sources: [String?],
                                version: Int) -> Result<PostCareTemplate, ValidationFailure> {
        var errors: [FieldError] = []
        let t = Text.trimmed(title)
        if t == nil || t!.count > 200 { errors.append(FieldError("title", "is required, at most 200 characters")) }
        var sections: [Section] = []
        for (i, window) in windows.enumerated() {
            let instruction = i < instructions.count ? Text.trimmed(instructions[i]) : nil
            let source = i < sources.count ? Text.trimmed(sources[i]) : nil
            if instruction == nil || instruction!.count > 2000 {
                errors.append(FieldError("sections[\(i)].instruction", "is required for “\(window)”, at most 2000 characters"))
            }
            if source == nil || source!.count > 500 {
                errors.append(FieldError("sections[\(i)].source", "is required for “\(window)” (name the reference or the clinic protocol), at most 500 characters"))
            }
            for (field, text) in [("instruction", instruction), ("source", source)] {
                if let text, text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }) {
                    errors.append(FieldError("sections[\(i)].\(field)", "must not contain control characters"))
                }
            }
            sections.append(Section(window: window, instruction: instruction ?? "", source: source ?? ""))
        }
        guard errors.isEmpty, let t else { return .failure(ValidationFailure(errors)) }
        return .success(PostCareTemplate(id: templateId(for: modality), version: String(version), modality: modality, title: t, sections: sections))
    }
}
