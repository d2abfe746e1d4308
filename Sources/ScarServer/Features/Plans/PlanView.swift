import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// Builds the protocol-template and plan pages' view models (`PlanPages`) and the patient page's plan card.
enum PlanView {
    static func modalityLabel(_ m: Modality) -> String { ScreeningLabels.modality(m) }

    static func deviceLabel(_ d: ProtocolTemplateDefinition) -> String {
        d.deviceType.map { "\(modalityLabel(d.modality)) · \($0.label)" } ?? modalityLabel(d.modality)
    }

    static func intervalText(_ days: Int) -> String {
        days % 7 == 0 ? "\(days) days (\(days / 7) week\(days == 7 ? "" : "s"))" : "\(days) days"
    }

    /// A text input as the `plan-field` partial reads it.
    static func field(_ name: String, _ label: String, values: [String: String], errors: [FieldError], hint: String = "",
                      required: Bool = false, numeric: Bool = false) -> PlanPages.Field {
        PlanPages.Field(name: name, id: name.replacingOccurrences(of: ".", with: "-"), label: label, value: values[name] ?? "",
                        error: errors.first { $0.field == name }?.message, hint: hint, required: required, numeric: numeric)
    }

    static func errorList(_ errors: [FieldError]) -> [PlanPages.ErrorItem] {
        errors.map { .init(field: $0.field.replacingOccurrences(of: ".", with: "-"), label: fieldLabel($0.field), message: $0.message) }
    }

    /// The message for `name`, if the form was refused for it.
    static func message(_ errors: [FieldError], _ name: String) -> String? {
        errors.first { $0.field == name }?.message
    }

    /// Words for a field name in the error summary ("Left cheek depth" for `depths.left-cheek`).
    static func fieldLabel(_ field: String) -> String {
        if field.hasPrefix("depths."), let zone = FacialZone(rawValue: String(field.dropFirst(7))) { return "\(zone.label) depth" }
        if field.hasPrefix("sources."), let key = TemplateSourceKey(rawValue: String(field.dropFirst(8))) { return "Source for \(key.label.lowercased())" }
        let labels = ["sessions": "Sessions", "intervalDays": "Interval", "rationale": "Rationale", "adjuncts": "Adjuncts", "name": "Name",
                      "deviceType": "Device type", "modality": "Modality", "deviceDepthLimitMm": "Device depth limit",
                      "sessionsMin": "Fewest sessions", "sessionsMax": "Most sessions", "sessionsDefault": "Default sessions",
                      "intervalDaysMin": "Minimum interval", "intervalDaysMax": "Maximum interval", "intervalDaysDefault": "Default interval",
                      "postCare": "Post-care"]
        return labels[field] ?? field
    }

    static func adjuncts(checked: [String]) -> [PlanPages.Adjunct] {
        Adjunct.allCases.map { .init(value: $0.rawValue, label: $0.label, checked: checked.contains($0.rawValue), source: $0.source) }
    }

    // MARK: Templates

    static func templateRow(_ v: ProtocolTemplateVersion) -> ProtocolTemplateRow {
        let d = v.definition
        return ProtocolTemplateRow(url: PlanWorkflow.templateURL(v.templateId), name: d.name, isExample: d.isExample, version: v.version,
                                   device: deviceLabel(d), sessions: "\(d.sessionsMin)–\(d.sessionsMax) (default \(d.sessionsDefault))",
                                   interval: intervalText(d.intervalDaysDefault),
                                   adjuncts: d.adjuncts.isEmpty ? "—" : d.adjuncts.map(\.label).joined(separator: ", "), id: v.templateId.lower)
    }

    static func templateDetail(_ v: ProtocolTemplateVersion) -> ProtocolTemplatePage.Detail {
        let d = v.definition
        let row = templateRow(v)
        let rf = d.rf ?? RFParameters()
        let energy: String = rf.energyPerPinMJ.map { ProtocolTemplateInput.number($0) + " mJ/pin" } ?? "—"
        let pins: String = rf.pinCount.map { String($0) } ?? "—"
        let pulse: String = rf.pulseDurationMs.map { ProtocolTemplateInput.number($0) + " ms" } ?? "—"
        let rows: [(String, String)] = [("Energy per pin", energy), ("Pin count", pins), ("Pulse duration", pulse),
                                        ("Insulation", rf.insulation?.label ?? "—"), ("Electrodes", rf.electrode?.label ?? "—")]
        return .init(
            name: d.name, isExample: d.isExample, version: v.version, device: row.device, sessions: row.sessions, interval: row.interval,
            adjuncts: row.adjuncts, createdAt: ViewDates.timestamp(v.createdAt), createdBy: v.createdBy,
            intervalRange: "\(d.intervalDaysMin)–\(d.intervalDaysMax) days", deviceDepthLimit: d.deviceDepthLimit.map { "\($0) mm" } ?? "not set",
            zones: FacialZone.allCases.map { z in .init(label: z.label, depth: d.zoneDepths[z].map { "\($0) mm" } ?? "—") },
            isRF: d.modality == .rfMicroneedling, rf: rows.map { .init(label: $0.0, value: $0.1) }, postCare: d.postCare,
            sessionsSource: d.sources[.sessions], intervalSource: d.sources[.interval], intervalRangeSource: d.sources[.intervalRange],
            adjunctsSource: d.sources[.adjuncts], deviceDepthLimitSource: d.sources[.deviceDepthLimit], depthsSource: d.sources[.depths],
            rfSource: d.sources[.rf], postCareSource: d.sources[.postCare])
    }

    static func templateForm(input: ProtocolTemplateInput, errors: [FieldError], action: String, version: Int?, title: String,
                             banner: String?) -> ProtocolTemplateFormPage {
        let v = input.values
        func f(_ name: String, _ label: String, hint: String = "", required: Bool = false, numeric: Bool = false) -> PlanPages.Field {
            field(name, label, values: v, errors: errors, hint: hint, required: required, numeric: numeric)
        }
        func options<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, _ label: (T) -> String, empty: String?) -> [PlanPages.Option]
            where T.RawValue == String {
            (empty.map { [PlanPages.Option(value: "", label: $0, selected: (v[name] ?? "").isEmpty)] } ?? [])
                + T.allCases.map { .init(value: $0.rawValue, label: label($0), selected: v[name] == $0.rawValue) }
        }
        let rfChoice = [message(errors, "rf.insulation"), message(errors, "rf.electrode")].compactMap { $0 }
        return ProtocolTemplateFormPage(
            formTitle: title, action: action, version: version, banner: banner, errors: errorList(errors), errorCount: errors.count,
            name: f("name", "Name", required: true), isExample: ["yes", "true", "on", "1"].contains((v["isExample"] ?? "").lowercased()),
            modalityOptions: options("modality", Modality.self, modalityLabel, empty: nil), modalityError: message(errors, "modality"),
            deviceOptions: options("deviceType", MechanicalDeviceType.self, { $0.label }, empty: "— (RF microneedling has no device type)"),
            deviceError: message(errors, "deviceType"), adjuncts: adjuncts(checked: input.adjuncts), adjunctError: message(errors, "adjuncts"),
            insulationOptions: options("rf.insulation", RFInsulation.self, { $0.label }, empty: "—"),
            electrodeOptions: options("rf.electrode", RFElectrode.self, { $0.label }, empty: "—"),
            rfChoiceError: rfChoice.isEmpty ? nil : rfChoice.joined(separator: "; "),
            numbers: [
                f("sessionsMin", "Fewest sessions", required: true, numeric: true),
                f("sessionsMax", "Most sessions", required: true, numeric: true),
                f("sessionsDefault", "Default sessions", required: true, numeric: true),
                f("intervalDaysMin", "Clinic minimum interval (days)", required: true, numeric: true),
                f("intervalDaysMax", "Clinic maximum interval (days)", required: true, numeric: true),
                f("intervalDaysDefault", "Default interval (days)", required: true, numeric: true),
            ],
            deviceDepthLimit: f("deviceDepthLimitMm", "Device depth limit (mm)",
                                hint: "The device's labelled maximum penetration depth (21 CFR 878.4430). Depths are refused above it, and cannot be planned while it is empty.",
                                numeric: true),
            depths: FacialZone.allCases.map { f(ProtocolTemplateInput.depthField($0), $0.label, numeric: true) },
            rfFields: [
                f("rf.energyPerPinMJ", "Energy per pin (mJ/pin)", numeric: true),
                f("rf.pinCount", "Pin count", numeric: true),
                f("rf.pulseDurationMs", "Pulse duration (ms)", numeric: true),
            ],
            postCare: f("postCare", "Post-care instructions"),
            sources: TemplateSourceKey.allCases.map { f(ProtocolTemplateInput.sourceField($0), $0.label) })
    }

    // MARK: Plans

    static func screeningStatus(_ s: CurrentScreening, modality: Modality) -> PlanPages.Screening {
        guard s.intake != nil, let r = s.results.first(where: { $0.modality == modality }) else {
            return .init(modality: modalityLabel(modality), intake: nil)
        }
        let acks = s.acknowledgements.filter { $0.modality == modality }
        let open = Set(r.openAcknowledgements(acks).map(\.rule))
        return .init(modality: modalityLabel(modality), intake: .init(
            outcome: r.outcome.rawValue, outcomeLabel: ScreeningLabels.outcome(r.outcome), clears: r.clearsTreatment(acks),
            ruleSetVersion: s.ruleSet.version,
            findings: r.findings.map { f in
                .init(title: f.title, outcome: f.outcome.rawValue, outcomeLabel: f.outcome == .eligible ? "Guidance" : ScreeningLabels.outcome(f.outcome),
                      source: f.source, isOpen: open.contains(f.rule), isAcknowledged: acks.contains { $0.rule == f.rule })
            }))
    }

    static func hints(_ hints: [PlanHint]) -> [PlanPages.Hint] {
        hints.map { .init(id: $0.id, kind: $0.kind.rawValue, title: $0.title, text: $0.text, source: $0.source, confidence: $0.confidence.readerLabel) }
    }

    static func assessmentSummary(_ a: ScarAssessment?) -> PlanPages.Assessment? {
        a.map { .init(url: PatientLinks.assessment($0.id), assessedOn: $0.details.assessedOn.description, dominant: $0.details.dominantScarType.summary,
                      grade: $0.scores.gbQualitative.total) }
    }

    static func issues(_ list: [PlanApprovalIssue]) -> [PlanPages.Issue] {
        list.map { .init(field: $0.field, message: $0.message, source: $0.source) }
    }

    static func planForm(patient: Patient, template: ProtocolTemplateVersion, templates: [ProtocolTemplateVersion], input: PlanInput,
                         errors: [FieldError], inputs: PlanningInputs, action: String, version: Int?, editing: TreatmentPlan?,
                         banner: String?) -> PlanFormPage {
        let d = template.definition, v = input.values
        let limitHint = d.deviceDepthLimit.map { "Device limit \($0) mm; 0.05 mm steps." }
            ?? "No device depth limit is set on this template, so depths cannot be planned yet."
        return PlanFormPage(
            patientName: patient.fullName, patientURL: PatientLinks.url(patient.id), action: action, version: version,
            isNew: editing == nil, banner: banner, newVersionNote: editing.map { $0.current.status != .draft } ?? false,
            nextNumber: (editing?.current.number ?? 0) + 1,
            templateId: template.templateId.lower, templateName: d.name, templateVersion: template.version,
            templateURL: PlanWorkflow.templateURL(template.templateId), templateIsExample: d.isExample, templateDevice: deviceLabel(d),
            templateChoices: templates.map { t in .init(id: t.templateId.lower, name: t.definition.name, selected: t.templateId == template.templateId) },
            newURL: PatientLinks.url(patient.id) + "/plans/new", errors: errorList(errors), errorCount: errors.count,
            depthHint: limitHint, depthSource: d.sources[.depths], adjunctError: message(errors, "adjuncts"),
            hints: hints(inputs.hints), screening: screeningStatus(inputs.screening, modality: d.modality), assessment: assessmentSummary(inputs.assessment),
            sessions: field("sessions", "Sessions", values: v, errors: errors,
                            hint: "Template range \(d.sessionsMin)–\(d.sessionsMax), default \(d.sessionsDefault). " + (d.sources[.sessions] ?? ""),
                            required: true, numeric: true),
            intervalDays: field("intervalDays", "Interval (days)", values: v, errors: errors,
                                hint: "Clinic minimum and maximum \(d.intervalDaysMin)–\(d.intervalDaysMax) days, default \(d.intervalDaysDefault). "
                                    + (d.sources[.interval] ?? ""), required: true, numeric: true),
            depths: FacialZone.allCases.map { field(PlanInput.depthField($0), $0.label, values: v, errors: errors, numeric: true) },
            adjuncts: adjuncts(checked: input.adjuncts),
            rationale: field("rationale", "Rationale", values: v, errors: errors,
                             hint: "Why this plan for this patient; required (at least \(PlanApproval.minimumRationaleLength) characters) before approval."))
    }

    static func versionDetail(_ v: PlanVersion) -> PlanPages.Version {
        let d = v.template.definition
        return .init(
            id: v.id.lower, number: v.number, status: v.status.rawValue, statusLabel: v.status.label,
            templateName: d.name, templateVersion: v.template.version, templateURL: PlanWorkflow.templateURL(v.template.templateId),
            templateIsExample: d.isExample, device: deviceLabel(d), sessions: v.content.sessions, interval: intervalText(v.content.intervalDays),
            sessionsSource: d.sources[.sessions], intervalSource: d.sources[.interval],
            adjuncts: v.content.adjuncts.isEmpty ? "None" : v.content.adjuncts.map(\.label).joined(separator: ", "),
            depths: FacialZone.allCases.compactMap { z in v.content.zoneDepths[z].map { .init(zone: z.label, depth: "\($0) mm") } },
            deviceDepthLimit: d.deviceDepthLimit.map { "\($0) mm" } ?? "not set", rationale: v.content.rationale,
            createdBy: v.createdBy, createdAt: ViewDates.timestamp(v.createdAt), updatedAt: ViewDates.timestamp(v.updatedAt),
            supersedes: v.supersedes != nil,
            approval: v.approval.map { a in
                .init(approvedBy: a.approvedBy, approvedAt: ViewDates.timestamp(a.approvedAt),
                      approvalScreening: "screening \(ScreeningLabels.outcome(a.screeningOutcome).lowercased()), rule set \(a.ruleSetVersion)")
            },
            postCare: d.postCare)
    }

    static func planPage(_ plan: TreatmentPlan, patient: Patient, inputs: PlanningInputs, canPlan: Bool, banner: String?,
                         refusal: [PlanApprovalIssue]?) -> PlanPage {
        let current = plan.current
        let check = current.status == .draft ? inputs.check(current) : nil
        let blockers = refusal ?? check?.blockers ?? []
        return PlanPage(
            patientName: patient.fullName, patientURL: PatientLinks.url(patient.id), planId: plan.id.lower, planVersion: plan.version,
            editURL: PlanWorkflow.url(plan.id) + "/edit", approveURL: PlanWorkflow.url(plan.id) + "/approve",
            current: versionDetail(current), isDraft: current.status == .draft,
            canPlan: canPlan, canApprove: canPlan && current.status == .draft && blockers.isEmpty, showApproval: current.status == .draft,
            blockers: issues(blockers), cautions: issues(check?.cautions ?? []), banner: banner,
            hints: hints(inputs.hints), screening: screeningStatus(inputs.screening, modality: current.modality),
            assessment: assessmentSummary(inputs.assessment),
            history: plan.versions.map(versionDetail), versionCount: plan.versions.count,
            inForce: plan.inForce.map { "version \($0.number)" } ?? "none yet", canBook: plan.inForce != nil,
            bookURL: PatientLinks.url(patient.id) + "/book?plan=" + plan.id.lower)
    }

    /// The patient page's Treatment plan card.
    static let patientPageCard = PatientPageCard(key: "treatmentPlans", order: 70) { page, context in
        patientCard(page.records.plans, patientId: page.patient.id, context: context)
    }

    static func patientCard(_ plans: [TreatmentPlan], patientId: UUID, context: AppContext) -> PlanPatientCard {
        let user = context.signedInUser
        return PlanPatientCard(
            newURL: PatientLinks.url(patientId) + "/plans/new", canPlan: AccessPolicy.clinicians.allows(user.role),
            plans: plans.map { p in
                let v = p.current
                return .init(url: PlanWorkflow.url(p.id), name: v.template.definition.name, status: v.status.rawValue,
                             statusLabel: v.status.label, number: v.number, sessions: v.content.sessions,
                             interval: intervalText(v.content.intervalDays), device: deviceLabel(v.template.definition),
                             inForce: p.inForce.map { "version \($0.number) approved by \($0.approval?.approvedBy ?? "")" } ?? "not approved yet")
            })
    }
}

/// The patient page's Treatment plan card: the patient's plans with the version in force.
struct PlanPatientCard {
    struct Plan {
        var url: String
        var name: String
        var status: String
        var statusLabel: String
        var number: Int
        var sessions: Int
        var interval: String
        var device: String
        var inForce: String
    }

    var newURL: String
    var canPlan: Bool
    var plans: [Plan]
}
