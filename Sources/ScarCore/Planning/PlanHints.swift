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
        source: "Bhargava 2019 (subcision + MN, 45 patients, 95.6% improved ≥1 grade); Lotfi 2013; von Dalwig-Nolda 2020 (domain reference §1.3, §4.6)",
        confidence: .c2)

    public static let tcaCross = PlanHint(
        id: "ice-pick-consider-tca-cross", kind: .consider, title: "Ice pick scars dominate: consider TCA CROSS or punch techniques",
        text: "Ice pick scars show only slight improvement with microneedling. TCA CROSS (65–100% TCA focal application) or punch excision is the usual complement.",
        source: "Lotfi 2013 (\"ice-pick scars showed only slight improvement\"); Bhargava 2019; Lee et al. CROSS; Bhardwaj & Khunger 2010 (domain reference §1.3)",
        confidence: .c2)

    public static let raisedNotIndicated = PlanHint(
        id: "raised-not-indicated", kind: .notIndicated, title: "Hypertrophic or keloidal scars dominate: microneedling is not the indicated treatment",
        text: "Hypertrophic and keloid scars are not an indication for acne-scar microneedling, and keloid tendency is a listed contraindication. Usual options: silicone, intralesional steroids, cryotherapy, surgery.",
        source: "Fabbrocini 2010 review; domain reference §1.3 and §6",
        confidence: .c2)

    public static let pihGuidance = PlanHint(
        id: "fitzpatrick-pih-guidance", kind: .guidance, title: "Fitzpatrick IV–VI: post-inflammatory hyperpigmentation (PIH) guidance",
        text: "Microneedling may have a more favourable safety profile than conventional resurfacing in IV–VI, but PIH does occur. Diligent UV protection, needle length for regional skin thickness, no excessive pressure over bony areas; counsel on photoprotection. Do not block.",
        source: "Cohen & Elbuluk, J Am Acad Dermatol 2016;74:348–55; Singh & Yadav 2016; plasticsurgerykey (skin of color); coloradoaesthetics (domain reference §8)",
        confidence: .c2)

    public static let noAssessment = PlanHint(
        id: "no-assessment", kind: .guidance, title: "No scar assessment yet",
        text: "Record a scar assessment so the plan can be read against the patient's dominant scar type.",
        source: "Scar types and their response to microneedling (domain reference §1.3)",
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
