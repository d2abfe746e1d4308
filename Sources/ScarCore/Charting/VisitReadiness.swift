import Foundation

/// Whether a treatment visit on the clinic's day is ready to start, read before the patient is
/// in the chair: the same records the pre-session checklist checks at signing (screening,
/// acknowledgements, consent, before-photos, plan), plus the chart's own state. Today's safety
/// questions are asked in the room, so screening here reads the stored intake only; the checklist
/// at signing still re-screens with the day's answers and is the gate.
public enum VisitReadiness {
    public enum State: String, Sendable, Codable, Equatable {
        /// Nothing left to do for this item.
        case done
        /// Something to do before the session can be signed.
        case todo
        /// The stored screening defers or contraindicates the treatment: talk to the clinician first.
        case stop
    }

    public struct Item: Sendable, Codable, Equatable {
        public var id: String
        public var label: String
        public var state: State
        public var detail: String
    }

    /// The chart of the visit: not started, a draft, or signed.
    public enum Chart: Sendable, Equatable { case none, draft, signed }

    public struct Input: Sendable {
        public var modality: Modality
        public var asOf: CalendarDate
        public var intake: Intake?
        public var ruleSet: RuleSet
        public var acknowledgements: [ScreeningAcknowledgement]
        public var consentValid: Bool
        public var photosToday: [PhotoView]
        public var photoRequirement: BeforePhotoRequirement
        /// nil: no plan to follow was found.
        public var planApproved: Bool?
        public var chart: Chart
        /// The patient's answers to the questions before this session, if they gave any.
        public var preSession: PreSessionQuestionnaire.Result?

        public init(modality: Modality, asOf: CalendarDate, intake: Intake?, ruleSet: RuleSet, acknowledgements: [ScreeningAcknowledgement],
                    consentValid: Bool, photosToday: [PhotoView], photoRequirement: BeforePhotoRequirement, planApproved: Bool?, chart: Chart,
                    preSession: PreSessionQuestionnaire.Result? = nil) {
            self.preSession = preSession
            self.modality = modality
            self.asOf = asOf
            self.intake = intake
            self.ruleSet = ruleSet
            self.acknowledgements = acknowledgements
            self.consentValid = consentValid
            self.photosToday = photosToday
            self.photoRequirement = photoRequirement
            self.planApproved = planApproved
            self.chart = chart
        }
    }

    public struct Result: Sendable, Equatable {
        public var items: [Item]
        public var stopped: Bool { items.contains { $0.state == .stop } }
        public var open: [Item] { items.filter { $0.state != .done } }
        /// One line for the day list: "Ready", "Signed", "Stop: …" or "2 to do: consent, before-photos".
        public var summary: String {
            if let stop = items.first(where: { $0.state == .stop }) { return "Stop: \(stop.detail)" }
            if items.first(where: { $0.id == "chart" })?.state == .done { return "Signed" }
            let todo = open.filter { $0.id != "chart" }
            if todo.isEmpty { return "Ready" }
            return "\(todo.count) to do: " + todo.map { $0.label.lowercased() }.joined(separator: ", ")
        }
    }

    static func name(_ modality: Modality) -> String {
        switch modality {
        case .microneedling: "microneedling"
        case .rfMicroneedling: "RF microneedling"
        }
    }

    /// The patient's pre-session answers: a deferring answer stops the visit until a clinician
    /// has spoken to the patient; one to review is to do; none is done.
    static func preSessionItem(_ answers: PreSessionQuestionnaire.Result) -> Item {
        let flagged = answers.flagged.map { "\($0.question.label): \($0.answer.label.lowercased())" }
        switch answers.outcome {
        case .proceed:
            return Item(id: "pre-session", label: "Patient's answers", state: .done, detail: "The patient's answers before the session raise nothing.")
        case .clinicReview:
            return Item(id: "pre-session", label: "Patient's answers", state: .todo, detail: "To review: " + flagged.joined(separator: "; "))
        case .defer:
            return Item(id: "pre-session", label: "Patient's answers", state: .stop,
                        detail: "the patient's answers defer the session (" + flagged.joined(separator: "; ") + ")")
        }
    }

    public static func evaluate(_ input: Input) -> Result {
        var items: [Item] = []
        if let intake = input.intake {
            let screening = Screening.evaluate(intake: intake, modality: input.modality, asOf: input.asOf, ruleSet: input.ruleSet)
            let stops = screening.findings.filter { $0.outcome == .defer || $0.outcome == .contraindicated }
            items.append(stops.isEmpty
                ? Item(id: "screening", label: "Screening", state: .done, detail: "No deferral or contraindication on the latest intake.")
                : Item(id: "screening", label: "Screening", state: .stop,
                       detail: stops.map { "\($0.outcome == .defer ? "defer" : "contraindicated"): \($0.title)" }.joined(separator: "; ")))
            let open = screening.openAcknowledgements(input.acknowledgements)
            items.append(open.isEmpty
                ? Item(id: "acknowledgements", label: "Acknowledgements", state: .done, detail: "Every finding that needs one is acknowledged.")
                : Item(id: "acknowledgements", label: "Acknowledgements", state: .todo,
                       detail: "To acknowledge: " + open.map(\.title).joined(separator: "; ")))
        } else {
            items.append(Item(id: "screening", label: "Screening", state: .todo, detail: "No intake recorded yet."))
        }
        if let answers = input.preSession { items.append(preSessionItem(answers)) }
        items.append(input.consentValid
            ? Item(id: "consent", label: "Consent", state: .done, detail: "A signed consent for \(name(input.modality)) is on file.")
            : Item(id: "consent", label: "Consent", state: .todo, detail: "No valid signed consent for \(name(input.modality))."))
        let missing = input.photoRequirement.views.filter { !input.photosToday.contains($0) }
        let photosDone = missing.isEmpty && input.photosToday.count >= input.photoRequirement.count
        items.append(Item(id: "before-photos", label: "Before-photos", state: photosDone ? .done : .todo,
                          detail: "\(input.photosToday.count) of \(input.photoRequirement.count) taken today"
                              + (missing.isEmpty ? "." : "; missing " + missing.map(\.label).joined(separator: ", ") + ".")))
        switch input.planApproved {
        case .some(true): items.append(Item(id: "plan", label: "Plan", state: .done, detail: "The plan is approved."))
        case .some(false): items.append(Item(id: "plan", label: "Plan", state: .todo, detail: "The plan is not approved yet."))
        case .none: items.append(Item(id: "plan", label: "Plan", state: .todo, detail: "No treatment plan for \(name(input.modality))."))
        }
        switch input.chart {
        case .none: items.append(Item(id: "chart", label: "Chart", state: .todo, detail: "Not started."))
        case .draft: items.append(Item(id: "chart", label: "Chart", state: .todo, detail: "Draft, not signed."))
        case .signed: items.append(Item(id: "chart", label: "Chart", state: .done, detail: "Signed."))
        }
        return Result(items: items)
    }
}
