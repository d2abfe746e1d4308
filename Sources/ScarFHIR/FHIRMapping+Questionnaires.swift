import Foundation
import ScarCore
import ScarStore

extension FHIRCodes {
    /// Answers of the intake's choice questions (Fitzpatrick types use their own system).
    public var intakeAnswer: String { base + "/CodeSystem/intake-answer" }
    /// The four ACNE-Q answer options.
    public var acneQAnswer: String { base + "/CodeSystem/acne-q-answer" }
    /// A Questionnaire's canonical URL.
    public func questionnaire(_ id: String) -> String { base + "/Questionnaire/\(id)" }
}

/// The intake form and the patient-reported outcome instruments as Questionnaires (clinic-level),
/// and each recorded intake and outcome as a QuestionnaireResponse of the patient.
extension FHIRMapping {
    /// The intake form's Questionnaire id: the same form in every clinic.
    public static let intakeQuestionnaireId = "intake"
    /// The linkId of the 0–10 satisfaction rating recorded with an outcome.
    public static let satisfactionLinkId = "overall-satisfaction"

    /// An outcome instrument's Questionnaire id: `pro-` and a 64-bit FNV-1a hash of instrument and
    /// version (both free text typed by the clinic), so every pair gets its own valid FHIR id.
    public static func outcomeQuestionnaireId(instrument: String, version: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(instrument.utf8) + [0] + Array(version.utf8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return "pro-" + String(hash, radix: 16).leftPadded(to: 16)
    }

    /// `url|version`: what a QuestionnaireResponse of this instrument names.
    public func outcomeCanonical(instrument: String, version: String) -> String {
        codes.questionnaire(Self.outcomeQuestionnaireId(instrument: instrument, version: version)) + "|" + version
    }

    func option(_ system: String, _ code: String, _ display: String) -> FHIRQuestionnaire.AnswerOption {
        .init(valueCoding: Coding(system: system, code: code, display: display))
    }

    func acneQCoding(_ words: String) -> Coding? {
        FollowUpQuestions.options.first { $0.value == words }
            .map { Coding(system: codes.acneQAnswer, code: $0.value.replacingOccurrences(of: " ", with: "-"), display: $0.label) }
    }

    static func groupLinkId(_ title: String) -> String {
        title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }

    static let intakeChoices: (method: [(String, String)], severity: [(String, String)], isotretinoin: [(String, String)]) = (
        [("self-reported", "Self-reported"), ("clinician-assessed", "Clinician-assessed")],
        SkinConditionSeverity.allCases.map { ($0.rawValue, $0.rawValue.capitalized) },
        [("never", "Never"), ("current", "Currently taking"), ("stopped", "Stopped")]
    )

    /// The intake form as a Questionnaire: the intake's fields with their linkIds (the intake's
    /// own field names), types and answer options.
    public func intakeQuestionnaire(created: Date) -> FHIRQuestionnaire {
        typealias Item = FHIRQuestionnaire.Item
        let choice = { (id: String, text: String, options: [(String, String)]) in
            Item(linkId: id, text: text, type: "choice", answerOption: options.map { option(codes.intakeAnswer, $0.0, $0.1) })
        }
        var items = [
            Item(linkId: "fitzpatrick", text: "Fitzpatrick type", type: "choice",
                 answerOption: FitzpatrickType.allCases.map { option(codes.fitzpatrickType, $0.roman, "Type \($0.roman)") }),
            choice("fitzpatrickMethod", "Fitzpatrick type assessed by", Self.intakeChoices.method),
            choice("eczemaPsoriasisInArea", "Eczema or psoriasis in the area", Self.intakeChoices.severity),
        ]
        items += IntakeQuestions.groups.map { group in
            Item(linkId: Self.groupLinkId(group.title), text: group.title, type: "group",
                 item: group.flags.map { Item(linkId: $0.name, text: $0.label, type: "boolean") })
        }
        items += [
            choice("isotretinoin", "Isotretinoin", Self.intakeChoices.isotretinoin),
            Item(linkId: "isotretinoinStoppedOn", text: "Isotretinoin stopped on", type: "date"),
            Item(linkId: "retinoidStoppedOn", text: "Topical retinoid stopped on", type: "date"),
            Item(linkId: "recentProcedures", text: "Recent procedures in the area", type: "group", repeats: true, item: [
                choice("recentProcedures.kind", "Procedure",
                       RecentProcedure.Kind.allCases.map { ($0.rawValue, $0.rawValue.replacingOccurrences(of: "-", with: " ").capitalized) }),
                Item(linkId: "recentProcedures.on", text: "On", type: "date"),
            ]),
            Item(linkId: "metalAllergyDetail", text: "Which metal", type: "string"),
            Item(linkId: "anestheticAllergyDetail", text: "Which anesthetic", type: "string"),
        ]
        return FHIRQuestionnaire(
            id: Self.intakeQuestionnaireId, meta: Self.meta(1, created), url: codes.questionnaire(Self.intakeQuestionnaireId), version: nil,
            name: "ScarTrackIntake", title: "Medical history intake", status: "active", subjectType: ["Patient"], publisher: "ScarTrack",
            description: "The medical history and contraindication checklist asked before a microneedling course.", item: items)
    }

    /// A recorded intake (id = the intake's id); nil when its stored answers no longer decode.
    public func intakeResponse(_ i: FHIRIntake, patientId: UUID) -> FHIRQuestionnaireResponse? {
        guard let a = i.answers else { return nil }
        typealias Item = FHIRQuestionnaireResponse.Item
        typealias Answer = FHIRQuestionnaireResponse.Answer
        let coded = { (id: String, text: String, code: String, choices: [(String, String)]) -> Item in
            Item(linkId: id, text: text, answer: [Answer(valueCoding: Coding(system: codes.intakeAnswer, code: code,
                                                                            display: choices.first { $0.0 == code }?.1))])
        }
        var items: [Item] = []
        if let f = a.fitzpatrick {
            items.append(Item(linkId: "fitzpatrick", text: "Fitzpatrick type",
                              answer: [Answer(valueCoding: Coding(system: codes.fitzpatrickType, code: f.roman, display: "Type \(f.roman)"))]))
        }
        if let m = a.fitzpatrickMethod { items.append(coded("fitzpatrickMethod", "Fitzpatrick type assessed by", m.rawValue, Self.intakeChoices.method)) }
        items.append(coded("eczemaPsoriasisInArea", "Eczema or psoriasis in the area", a.eczemaPsoriasisInArea.rawValue, Self.intakeChoices.severity))
        items += IntakeQuestions.groups.map { group in
            Item(linkId: Self.groupLinkId(group.title), text: group.title, item: group.flags.map {
                Item(linkId: $0.name, text: $0.label, answer: [Answer(valueBoolean: IntakeQuestions.flag($0.name, of: a) ?? false)])
            })
        }
        items.append(coded("isotretinoin", "Isotretinoin", a.isotretinoin.statusName, Self.intakeChoices.isotretinoin))
        if case .stopped(let on) = a.isotretinoin {
            items.append(Item(linkId: "isotretinoinStoppedOn", text: "Isotretinoin stopped on", answer: [Answer(valueDate: on.description)]))
        }
        if let r = a.retinoidStoppedOn { items.append(Item(linkId: "retinoidStoppedOn", text: "Topical retinoid stopped on", answer: [Answer(valueDate: r.description)])) }
        items += a.recentProcedures.map { p in
            Item(linkId: "recentProcedures", text: "Recent procedures in the area", item: [
                Item(linkId: "recentProcedures.kind", text: "Procedure",
                     answer: [Answer(valueCoding: Coding(system: codes.intakeAnswer, code: p.kind.rawValue,
                                                         display: p.kind.rawValue.replacingOccurrences(of: "-", with: " ").capitalized))]),
                Item(linkId: "recentProcedures.on", text: "On", answer: [Answer(valueDate: p.on.description)]),
            ])
        }
        if let d = a.metalAllergyDetail { items.append(Item(linkId: "metalAllergyDetail", text: "Which metal", answer: [Answer(valueString: d)])) }
        if let d = a.anestheticAllergyDetail { items.append(Item(linkId: "anestheticAllergyDetail", text: "Which anesthetic", answer: [Answer(valueString: d)])) }
        let byPatient = i.enteredVia == "portal"
        return FHIRQuestionnaireResponse(
            id: i.id.lower, meta: Self.meta(1, i.recordedAt), questionnaire: codes.questionnaire(Self.intakeQuestionnaireId), status: "completed",
            subject: Reference("Patient", patientId.lower), authored: FHIRTime.instant(i.recordedAt),
            author: byPatient ? Reference("Patient", patientId.lower) : i.recordedBy.map { Reference("Practitioner", $0.lower) },
            source: Reference("Patient", patientId.lower), item: items)
    }

    /// One Questionnaire per outcome instrument and version: every pair the clinic recorded
    /// answers for, and the ACNE-Q setup of its portal. ACNE-Q items are the clinic's own (their
    /// wording is licensed and typed by the clinic), answered with the four ACNE-Q options; other
    /// instruments list the item ids recorded, whose wording ScarTrack does not hold.
    public func outcomeQuestionnaires(setup: FollowUpQuestions.Setup, forms: [FHIRReportedOutcomeForm], created: Date) -> [FHIRQuestionnaire] {
        var all = forms
        if setup.isOn, !forms.contains(where: { $0.instrument == FollowUpQuestions.instrument && $0.version == setup.version }) {
            all.append(FHIRReportedOutcomeForm(instrument: FollowUpQuestions.instrument, version: setup.version, itemIds: [],
                                               hasSatisfaction: false, lastRecordedAt: created))
        }
        return all.map { form in
            let acneQ = form.instrument == FollowUpQuestions.instrument
            let configured = acneQ && setup.isOn && setup.version == form.version ? setup.items : []
            let ids = configured.map(\.id) + form.itemIds.filter { id in !configured.contains { $0.id == id } }
            var items = ids.map { id in
                FHIRQuestionnaire.Item(linkId: id, text: configured.first { $0.id == id }?.text, type: acneQ ? "open-choice" : "string",
                                       answerOption: acneQ ? FollowUpQuestions.options.compactMap { acneQCoding($0.value) }.map { .init(valueCoding: $0) } : nil)
            }
            if form.hasSatisfaction { items.append(.init(linkId: Self.satisfactionLinkId, text: "Overall satisfaction, 0 to 10", type: "integer")) }
            if items.isEmpty {
                items = [.init(linkId: "about", text: "No items of this instrument have been recorded.", type: "display")]
            }
            let id = Self.outcomeQuestionnaireId(instrument: form.instrument, version: form.version)
            let about = acneQ
                ? "\(FollowUpQuestions.instrument) (\(FollowUpQuestions.source)). Its item wording is licensed: the items are those the clinic typed "
                    + "from its own licensed copy, each answered with one of four options: not at all, a little, quite a bit, very much."
                : "\(form.instrument) as recorded by the clinic: the items are the ids recorded with the answers; ScarTrack does not hold their wording."
            return FHIRQuestionnaire(
                id: id, meta: Self.meta(1, max(form.lastRecordedAt, created)), url: codes.questionnaire(id), version: form.version, name: nil,
                title: "\(form.instrument), version \(form.version)", status: "active", subjectType: ["Patient"], publisher: nil,
                description: about, item: items)
        }
    }

    /// A patient-reported outcome (id = its record's id), answering its instrument's Questionnaire.
    public func outcomeResponse(_ o: FHIRReportedOutcome, patientId: UUID) -> FHIRQuestionnaireResponse {
        let pro = o.record.outcome
        let acneQ = pro.instrument == FollowUpQuestions.instrument
        var items = pro.responses.keys.sorted().map { key in
            let value = pro.responses[key] ?? ""
            let answer = acneQ ? acneQCoding(value).map { FHIRQuestionnaireResponse.Answer(valueCoding: $0) } : nil
            return FHIRQuestionnaireResponse.Item(linkId: key, text: nil, answer: [answer ?? .init(valueString: value)])
        }
        if let s = pro.satisfaction {
            items.append(.init(linkId: Self.satisfactionLinkId, text: "Overall satisfaction, 0 to 10", answer: [.init(valueInteger: s)]))
        }
        return FHIRQuestionnaireResponse(
            id: o.record.id.lower, meta: Self.meta(1, o.record.recordedAt),
            questionnaire: outcomeCanonical(instrument: pro.instrument, version: pro.instrumentVersion), status: "completed",
            subject: Reference("Patient", patientId.lower), authored: FHIRTime.instant(o.record.recordedAt),
            author: o.record.byPatient ? Reference("Patient", patientId.lower) : o.recordedBy.map { Reference("Practitioner", $0.lower) },
            source: Reference("Patient", patientId.lower), item: items.nonEmpty)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
