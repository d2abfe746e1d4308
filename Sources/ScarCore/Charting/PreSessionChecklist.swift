import Foundation

/// The same-day answers to the screening items that change between visits (issue 5: active
/// acne or infection in the area, herpes, sunburn, new medications, pregnancy).
public struct DayAnswers: Sendable, Codable, Equatable {
    public var activeAcneInArea: Bool
    public var localInfectionInArea: Bool
    public var activeHerpesLabialis: Bool
    public var recentSunburn: Bool
    public var pregnantOrBreastfeeding: Bool
    /// New medications since the intake; they must be recorded in a new intake so screening reads them.
    public var newMedications: Bool
    /// Questions nobody asked today (a page's "not asked", the default): never read as "no". The
    /// checklist does not pass while one is left, exactly as when no answers were given at all.
    /// Not part of the API's JSON, which answers every question with true or false.
    public var notAsked: Set<String> = []

    private enum CodingKeys: String, CodingKey {
        case activeAcneInArea, localInfectionInArea, activeHerpesLabialis, recentSunburn, pregnantOrBreastfeeding, newMedications
    }

    /// One question's answer as the clinician gave it.
    public enum Answer: String, Sendable, Codable, CaseIterable {
        case yes, no
        case notAsked = "not-asked"

        public var label: String {
            switch self {
            case .yes: "Yes"
            case .no: "No"
            case .notAsked: "Not asked"
            }
        }
    }

    /// Today's answers from the three-way choices of a form: a question without "yes" or "no" is not asked.
    public init(answers: [String: Answer]) {
        func yes(_ f: String) -> Bool { answers[f] == .yes }
        self.init(activeAcneInArea: yes("activeAcneInArea"), localInfectionInArea: yes("localInfectionInArea"),
                  activeHerpesLabialis: yes("activeHerpesLabialis"), recentSunburn: yes("recentSunburn"),
                  pregnantOrBreastfeeding: yes("pregnantOrBreastfeeding"), newMedications: yes("newMedications"))
        notAsked = Set(Self.fields.filter { (answers[$0] ?? .notAsked) == .notAsked })
    }

    /// Each question's answer, "not asked" kept apart from "no".
    public func answer(_ field: String) -> Answer {
        if notAsked.contains(field) { return .notAsked }
        let value = switch field {
        case "activeAcneInArea": activeAcneInArea
        case "localInfectionInArea": localInfectionInArea
        case "activeHerpesLabialis": activeHerpesLabialis
        case "recentSunburn": recentSunburn
        case "pregnantOrBreastfeeding": pregnantOrBreastfeeding
        default: newMedications
        }
        return value ? .yes : .no
    }

    /// Every question with its answer, as the signed checklist keeps them.
    public var record: [String: String] { Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, answer($0).rawValue) }) }

    public init(activeAcneInArea: Bool = false, localInfectionInArea: Bool = false, activeHerpesLabialis: Bool = false,
                recentSunburn: Bool = false, pregnantOrBreastfeeding: Bool = false, newMedications: Bool = false) {
        self.activeAcneInArea = activeAcneInArea
        self.localInfectionInArea = localInfectionInArea
        self.activeHerpesLabialis = activeHerpesLabialis
        self.recentSunburn = recentSunburn
        self.pregnantOrBreastfeeding = pregnantOrBreastfeeding
        self.newMedications = newMedications
    }

    public static let fields = ["activeAcneInArea", "localInfectionInArea", "activeHerpesLabialis", "recentSunburn",
                                "pregnantOrBreastfeeding", "newMedications"]

    public static let labels: [String: String] = [
        "activeAcneInArea": "Active acne in the treatment area today",
        "localInfectionInArea": "Infection (warts, bacterial, viral, fungal) in the area today",
        "activeHerpesLabialis": "Active cold sore (herpes labialis) today",
        "recentSunburn": "Sunburn or recent sun exposure / tan",
        "pregnantOrBreastfeeding": "Pregnant or breastfeeding",
        "newMedications": "New medications since the intake",
    ]
}

extension Intake {
    /// The intake with today's answers laid over it: a "yes" today is a yes; a "no" today
    /// clears only the items that change from day to day; a question not asked changes nothing.
    public func updated(with day: DayAnswers) -> Intake {
        var i = self
        // A question not asked today leaves the intake's answer as it was.
        func today(_ field: String, _ current: Bool, _ answer: Bool) -> Bool { day.notAsked.contains(field) ? current : answer }
        i.activeAcneInArea = today("activeAcneInArea", i.activeAcneInArea, day.activeAcneInArea)
        i.localInfectionInArea = today("localInfectionInArea", i.localInfectionInArea, day.localInfectionInArea)
        i.activeHerpesLabialis = today("activeHerpesLabialis", i.activeHerpesLabialis, day.activeHerpesLabialis)
        i.recentSunburn = today("recentSunburn", i.recentSunburn, day.recentSunburn)
        i.pregnantOrBreastfeeding = today("pregnantOrBreastfeeding", i.pregnantOrBreastfeeding, day.pregnantOrBreastfeeding)
        return i
    }
}

/// Which before-photos the clinic requires on the day of a session. The default asks for the
/// five standardized views of reference §5.2 (Nair et al., J Cutan Aesthet Surg 2016).
public struct BeforePhotoRequirement: Sendable, Codable, Equatable {
    public var count: Int
    public var views: [PhotoView]

    public init(count: Int, views: [PhotoView]) {
        self.count = count
        self.views = views
    }

    public static let `default` = BeforePhotoRequirement(count: 5, views: [.frontal, .obliqueLeft, .obliqueRight, .lateralLeft, .lateralRight])
    public static let source = "Standardized views: frontal, oblique (both sides), lateral (both sides) — Nair et al., J Cutan Aesthet Surg 2016;9:115–21."
}

/// The pre-session checklist: a pure function over plain values, so each later feature only
/// supplies its value (the treatment-plan status is an input, `planApproved`).
public enum PreSessionChecklist {
    public struct Input: Sendable {
        public var modality: Modality
        public var asOf: CalendarDate
        /// The patient's latest intake; nil when none was recorded.
        public var intake: Intake?
        public var dayAnswers: DayAnswers?
        public var ruleSet: RuleSet
        public var acknowledgements: [ScreeningAcknowledgement]
        /// Whether a consent for the modality is signed and not withdrawn.
        public var consentValid: Bool
        public var consentDetail: String?
        /// Views of the photos taken today.
        public var photosToday: [PhotoView]
        public var photoRequirement: BeforePhotoRequirement
        /// nil: no plan is linked (the plans feature supplies it later); true/false: its status.
        public var planApproved: Bool?
        /// Which plan version was found and why it does or does not count (shown as the item's reason).
        public var planDetail: String?

        public init(modality: Modality, asOf: CalendarDate, intake: Intake?, dayAnswers: DayAnswers?, ruleSet: RuleSet = .default,
                    acknowledgements: [ScreeningAcknowledgement], consentValid: Bool, consentDetail: String? = nil,
                    photosToday: [PhotoView], photoRequirement: BeforePhotoRequirement = .default, planApproved: Bool?,
                    planDetail: String? = nil) {
            self.planDetail = planDetail
            self.modality = modality
            self.asOf = asOf
            self.intake = intake
            self.dayAnswers = dayAnswers
            self.ruleSet = ruleSet
            self.acknowledgements = acknowledgements
            self.consentValid = consentValid
            self.consentDetail = consentDetail
            self.photosToday = photosToday
            self.photoRequirement = photoRequirement
            self.planApproved = planApproved
        }
    }

    public struct Item: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var passed: Bool
        public var reason: String
        public var source: String?
    }

    public struct Result: Sendable, Codable, Equatable {
        public var items: [Item]
        public var screening: ScreeningResult?
        /// Today's answers as given (question → yes / no / not-asked), kept with the signed checklist.
        public var dayAnswers: [String: String]?
        public var passed: Bool { items.allSatisfy(\.passed) }
        public var failures: [Item] { items.filter { !$0.passed } }
    }

    public static func evaluate(_ input: Input) -> Result {
        var items: [Item] = []
        var screening: ScreeningResult?

        // 1. Same-day re-screening.
        if let intake = input.intake, let day = input.dayAnswers {
            let result = Screening.evaluate(intake: intake.updated(with: day), modality: input.modality, asOf: input.asOf, ruleSet: input.ruleSet)
            screening = result
            let stops = result.findings.filter { $0.outcome == .defer || $0.outcome == .contraindicated }
            if !day.notAsked.isEmpty {
                let questions = DayAnswers.fields.filter(day.notAsked.contains).map { DayAnswers.labels[$0] ?? $0 }
                items.append(Item(id: "rescreening", title: "Same-day re-screening", passed: false,
                                  reason: "Answer today's questions: not asked yet: " + questions.joined(separator: "; ") + ".", source: nil))
            }
            if stops.isEmpty, day.notAsked.isEmpty {
                items.append(Item(id: "rescreening", title: "Same-day re-screening", passed: true,
                                  reason: "No deferral or contraindication today (rule set \(result.ruleSetVersion)).", source: nil))
            } else {
                for f in stops {
                    items.append(Item(id: "rescreening", title: "Same-day re-screening: \(f.title)", passed: false,
                                      reason: "\(f.outcome == .defer ? "Defer" : "Contraindicated"): \(f.reason)", source: f.source))
                }
            }
            if day.newMedications {
                items.append(Item(id: "new-medications", title: "New medications", passed: false,
                                  reason: "New medications were reported today. Record them in a new intake so screening can evaluate them.",
                                  source: nil))
            }
            // 2. Open acknowledge findings.
            let open = result.openAcknowledgements(input.acknowledgements)
            items.append(Item(id: "acknowledgements", title: "Findings needing acknowledgement", passed: open.isEmpty,
                              reason: open.isEmpty ? "Every acknowledge finding is acknowledged."
                                  : "Not yet acknowledged: " + open.map(\.title).joined(separator: "; ") + ".",
                              source: open.first?.source))
        } else if input.intake == nil {
            items.append(Item(id: "rescreening", title: "Same-day re-screening", passed: false,
                              reason: "No intake is recorded for this patient; record one first.", source: nil))
        } else {
            items.append(Item(id: "rescreening", title: "Same-day re-screening", passed: false,
                              reason: "Answer today's questions (acne or infection in the area, herpes, sunburn, new medications, pregnancy).",
                              source: nil))
        }

        // 3. Consent.
        items.append(Item(id: "consent", title: "Consent for \(input.modality.rawValue)", passed: input.consentValid,
                          reason: input.consentDetail ?? (input.consentValid ? "A signed consent is on file."
                                                          : "No valid signed consent for \(input.modality.rawValue)."), source: nil))

        // 4. Before-photos.
        let missingViews = input.photoRequirement.views.filter { !input.photosToday.contains($0) }
        let enough = input.photosToday.count >= input.photoRequirement.count
        let photosOK = enough && missingViews.isEmpty
        var photoReason = "\(input.photosToday.count) photo(s) today; \(input.photoRequirement.count) required."
        if !missingViews.isEmpty { photoReason += " Missing views: " + missingViews.map(\.label).joined(separator: ", ") + "." }
        items.append(Item(id: "before-photos", title: "Before-photos taken today", passed: photosOK, reason: photoReason,
                          source: BeforePhotoRequirement.source))

        // 5. Plan approval (an input value from the plans feature).
        switch input.planApproved {
        case .none:
            items.append(Item(id: "plan", title: "Treatment plan approved", passed: true,
                              reason: "No treatment plan is linked to this session; not checked.", source: nil))
        case .some(true):
            items.append(Item(id: "plan", title: "Treatment plan approved", passed: true,
                              reason: input.planDetail ?? "The linked plan version is approved.", source: nil))
        case .some(false):
            items.append(Item(id: "plan", title: "Treatment plan approved", passed: false,
                              reason: input.planDetail ?? "The linked plan version is not approved.", source: nil))
        }
        return Result(items: items, screening: screening, dayAnswers: input.dayAnswers?.record)
    }
}
