/// A hint shown while planning, read from the patient's scar profile and intake. Hints inform;
/// they never change the plan or block it. Each cites the reference's source.
public struct PlanHint: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Consider adding a procedure.
        case consider
        /// The planned treatment is not the indicated one for this profile.
        case notIndicated = "not-indicated"
        /// Guidance to follow while treating.
        case guidance
    }

    public var id: String
    public var kind: Kind
    public var title: String
    public var text: String
    public var source: String
    public var confidence: ConfidenceTag

    public init(id: String, kind: Kind, title: String, text: String, source: String, confidence: ConfidenceTag) {
        self.id = id
        self.kind = kind
        self.title = title
        self.text = text
        self.source = source
        self.confidence = confidence
    }
}

/// The hints table (domain reference §1.3 and §8). One hint per row; a tie for the dominant
/// scar type gives the hints of every type in the tie.
public enum PlanHints {
    public static let subcision = PlanHint(
        id: "rolling-consider-subcision", kind: .consider, title: "Rolling scars dominate: consider subcision",
        text: "Rolling scars respond best to microneedling, and subcision releases their dermal tethering; the two are often combined.",
        source: "Bhargava S, et al. J Clin Aesthet Dermatol 2019 (subcision and microneedling, 45 patients, 95.6% improved by at least one grade); Lotfi R, et al. 2013; von Dalwig-Nolda D, Ablon G. J Clin Aesthet Dermatol 2020",
        confidence: .c2)

    public static let tcaCross = PlanHint(
        id: "ice-pick-consider-tca-cross", kind: .consider, title: "Ice pick scars dominate: consider TCA CROSS or punch techniques",
        text: "Ice pick scars show only slight improvement with microneedling. TCA CROSS (65–100% TCA focal application) or punch excision is the usual complement.",
        source: "Lotfi R, et al. 2013 (\"ice-pick scars showed only slight improvement\"); Bhargava S, et al. J Clin Aesthet Dermatol 2019; Lee JB, et al. (CROSS technique); Bhardwaj D, Khunger N. J Cutan Aesthet Surg 2010",
        confidence: .c2)

    public static let raisedNotIndicated = PlanHint(
        id: "raised-not-indicated", kind: .notIndicated, title: "Hypertrophic or keloidal scars dominate: microneedling is not the indicated treatment",
        text: "Hypertrophic and keloid scars are not an indication for acne-scar microneedling, and keloid tendency is a listed contraindication. Usual options: silicone, intralesional steroids, cryotherapy, surgery.",
        source: "Fabbrocini G, et al. Acne Scars: Pathogenesis, Classification and Treatment. Dermatol Res Pract 2010; common clinic contraindication lists (keloid tendency)",
        confidence: .c2)

    public static let pihGuidance = PlanHint(
        id: "fitzpatrick-pih-guidance", kind: .guidance, title: "Fitzpatrick IV–VI: post-inflammatory hyperpigmentation (PIH) guidance",
        text: "Microneedling may have a more favourable safety profile than conventional resurfacing in IV–VI, but PIH does occur. Diligent UV protection, needle length for regional skin thickness, no excessive pressure over bony areas; counsel on photoprotection. Do not block.",
        source: "Cohen BE, Elbuluk N. J Am Acad Dermatol 2016;74:348–55; Singh A, Yadav S. Indian Dermatol Online J 2016; Applications and Safety in Skin of Color (textbook chapter)",
        confidence: .c2)

    public static let noAssessment = PlanHint(
        id: "no-assessment", kind: .guidance, title: "No scar assessment yet",
        text: "Record a scar assessment so the plan can be read against the patient's dominant scar type.",
        source: "Jacob CI, Dover JS, Kaminer MS. J Am Acad Dermatol 2001 (scar types); Lotfi R, et al. 2013 and Bhargava S, et al. 2019 (response to microneedling)",
        confidence: .c2)

    /// Hints for a scar profile (the latest assessment, if any) and intake (if any).
    public static func hints(assessment: ScarAssessmentDetails?, intake: Intake?) -> [PlanHint] {
        var hints: [PlanHint] = []
        if let assessment {
            let dominant = Set(assessment.dominantScarType.types)
            if dominant.contains(.rolling) { hints.append(subcision) }
            if dominant.contains(.icePick) { hints.append(tcaCross) }
            if dominant.contains(.hypertrophic) || dominant.contains(.keloidal) { hints.append(raisedNotIndicated) }
        } else {
            hints.append(noAssessment)
        }
        if let type = intake?.fitzpatrick, type >= .iv { hints.append(pihGuidance) }
        return hints
    }
}
