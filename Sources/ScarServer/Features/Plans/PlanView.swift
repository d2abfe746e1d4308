import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// Template data for the protocol-template and plan pages and the patient page's plan card.
enum PlanView {
    static func modalityLabel(_ m: Modality) -> String { ScreeningLabels.modality(m) }

    static func deviceLabel(_ d: ProtocolTemplateDefinition) -> String {
        d.deviceType.map { "\(modalityLabel(d.modality)) · \($0.label)" } ?? modalityLabel(d.modality)
    }

    static func intervalText(_ days: Int) -> String {
        days % 7 == 0 ? "\(days) days (\(days / 7) week\(days == 7 ? "" : "s"))" : "\(days) days"
    }

    /// A text input's data: value, label, error and hint, keyed the way the form templates read them.
    static func field(_ name: String, _ label: String, values: [String: String], errors: [FieldError], hint: String = "",
                      required: Bool = false, numeric: Bool = false) -> [String: Any] {
        let error = errors.first { $0.field == name }?.message
        return ["name": name, "id": name.replacingOccurrences(of: ".", with: "-"), "label": label, "value": values[name] ?? "",
                "hasError": error != nil, "error": error ?? "", "hint": hint, "hasHint": !hint.isEmpty, "required": required,
                "numeric": numeric]
    }

    static func errorList(_ errors: [FieldError]) -> [[String: Any]] {
        errors.map { ["field": $0.field.replacingOccurrences(of: ".", with: "-"), "label": fieldLabel($0.field), "message": $0.message] }
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

    // MARK: Templates

    static func templateRow(_ v: ProtocolTemplateVersion) -> [String: Any] {
        let d = v.definition
        return ["url": PlanWorkflow.templateURL(v.templateId), "name": d.name, "isExample": d.isExample, "version": v.version,
                "device": deviceLabel(d), "sessions": "\(d.sessionsMin)–\(d.sessionsMax) (default \(d.sessionsDefault))",
                "interval": intervalText(d.intervalDaysDefault),
                "adjuncts": d.adjuncts.isEmpty ? "—" : d.adjuncts.map(\.label).joined(separator: ", "),
                "id": v.templateId.lower]
    }

    static func templateDetail(_ v: ProtocolTemplateVersion) -> [String: Any] {
        let d = v.definition
        func src(_ key: TemplateSourceKey) -> [String: Any] {
            ["hasSource": d.sources[key] != nil, "source": d.sources[key] ?? ""]
        }
        var data = templateRow(v)
        data["createdAt"] = ViewDates.timestamp(v.createdAt)
        data["createdBy"] = v.createdBy
        data["intervalRange"] = "\(d.intervalDaysMin)–\(d.intervalDaysMax) days"
        data["deviceDepthLimit"] = d.deviceDepthLimit.map { "\($0) mm" } ?? "not set"
        data["hasDeviceDepthLimit"] = d.deviceDepthLimit != nil
        data["zones"] = FacialZone.allCases.map { z in
            ["label": z.label, "depth": d.zoneDepths[z].map { "\($0) mm" } ?? "—", "hasDepth": d.zoneDepths[z] != nil] as [String: Any]
        }
        data["hasZoneDepths"] = !d.zoneDepths.isEmpty
        data["isRF"] = d.modality == .rfMicroneedling
        let rf = d.rf ?? RFParameters()
        let energy: String = rf.energyPerPinMJ.map { ProtocolTemplateInput.number($0) + " mJ/pin" } ?? "—"
        let pins: String = rf.pinCount.map { String($0) } ?? "—"
        let pulse: String = rf.pulseDurationMs.map { ProtocolTemplateInput.number($0) + " ms" } ?? "—"
        let rows: [(String, String)] = [("Energy per pin", energy), ("Pin count", pins), ("Pulse duration", pulse),
                                        ("Insulation", rf.insulation?.label ?? "—"), ("Electrodes", rf.electrode?.label ?? "—")]
        data["rf"] = rows.map { ["label": $0.0, "value": $0.1] }
        data["postCare"] = d.postCare ?? ""
        data["hasPostCare"] = d.postCare != nil
        for key in TemplateSourceKey.allCases { data["src_\(key.rawValue)"] = src(key) }
        data["sources"] = TemplateSourceKey.allCases.compactMap { k in d.sources[k].map { ["label": k.label, "source": $0] } }
        return data
    }

    static func templateForm(input: ProtocolTemplateInput, errors: [FieldError], action: String, version: Int?, title: String,
                             banner: String?) -> [String: Any] {
        let v = input.values
        func f(_ name: String, _ label: String, hint: String = "", required: Bool = false, numeric: Bool = false) -> [String: Any] {
            field(name, label, values: v, errors: errors, hint: hint, required: required, numeric: numeric)
        }
        func options<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, _ label: (T) -> String, empty: String?) -> [[String: Any]]
            where T.RawValue == String {
            (empty.map { [["value": "", "label": $0, "selected": (v[name] ?? "").isEmpty]] } ?? [])
                + T.allCases.map { ["value": $0.rawValue, "label": label($0), "selected": v[name] == $0.rawValue] }
        }
        let errorFor: (String) -> String = { n in errors.first { $0.field == n }?.message ?? "" }
        var form: [String: Any] = [
            "formTitle": title, "action": action, "version": version.map(String.init) ?? "", "hasVersion": version != nil,
            "banner": banner ?? "", "hasBanner": banner != nil,
            "hasErrors": !errors.isEmpty, "errors": errorList(errors), "errorCount": errors.count,
            "name": f("name", "Name", required: true),
            "isExample": ["yes", "true", "on", "1"].contains((v["isExample"] ?? "").lowercased()),
            "modalityOptions": options("modality", Modality.self, modalityLabel, empty: nil),
            "modalityError": errorFor("modality"), "hasModalityError": !errorFor("modality").isEmpty,
            "deviceOptions": options("deviceType", MechanicalDeviceType.self, { $0.label }, empty: "— (RF microneedling has no device type)"),
            "deviceError": errorFor("deviceType"), "hasDeviceError": !errorFor("deviceType").isEmpty,
            "adjuncts": Adjunct.allCases.map { a in
                ["value": a.rawValue, "label": a.label, "checked": input.adjuncts.contains(a.rawValue), "source": a.source] as [String: Any]
            },
            "adjunctError": errorFor("adjuncts"), "hasAdjunctError": !errorFor("adjuncts").isEmpty,
            "insulationOptions": options("rf.insulation", RFInsulation.self, { $0.label }, empty: "—"),
            "electrodeOptions": options("rf.electrode", RFElectrode.self, { $0.label }, empty: "—"),
            "rfChoiceError": [errorFor("rf.insulation"), errorFor("rf.electrode")].filter { !$0.isEmpty }.joined(separator: "; "),
            "hasRFChoiceError": !(errorFor("rf.insulation") + errorFor("rf.electrode")).isEmpty,
        ]
        form.merge(templateFields(input, errors: errors)) { $1 }
        return form
    }

    /// The template form's number, depth, RF and text fields.
    static func templateFields(_ input: ProtocolTemplateInput, errors: [FieldError]) -> [String: Any] {
        func f(_ name: String, _ label: String, hint: String = "", required: Bool = false, numeric: Bool = false) -> [String: Any] {
            field(name, label, values: input.values, errors: errors, hint: hint, required: required, numeric: numeric)
        }
        return [
            "numbers": [
                f("sessionsMin", "Fewest sessions", required: true, numeric: true),
                f("sessionsMax", "Most sessions", required: true, numeric: true),
                f("sessionsDefault", "Default sessions", required: true, numeric: true),
                f("intervalDaysMin", "Clinic minimum interval (days)", required: true, numeric: true),
                f("intervalDaysMax", "Clinic maximum interval (days)", required: true, numeric: true),
                f("intervalDaysDefault", "Default interval (days)", required: true, numeric: true),
            ],
            "deviceDepthLimit": f("deviceDepthLimitMm", "Device depth limit (mm)",
                                  hint: "The device's labelled maximum penetration depth (21 CFR 878.4430). Depths are refused above it, and cannot be planned while it is empty.",
                                  numeric: true),
            "depths": FacialZone.allCases.map { f(ProtocolTemplateInput.depthField($0), $0.label, numeric: true) },
            "rfFields": [
                f("rf.energyPerPinMJ", "Energy per pin (mJ/pin)", numeric: true),
                f("rf.pinCount", "Pin count", numeric: true),
                f("rf.pulseDurationMs", "Pulse duration (ms)", numeric: true),
            ],
            "postCare": f("postCare", "Post-care instructions"),
            "sources": TemplateSourceKey.allCases.map { f(ProtocolTemplateInput.sourceField($0), $0.label) },
        ]
    }

    // MARK: Plans

    static func screeningStatus(_ s: CurrentScreening, modality: Modality) -> [String: Any] {
        guard s.intake != nil, let r = s.results.first(where: { $0.modality == modality }) else {
            return ["hasIntake": false, "modality": modalityLabel(modality)]
        }
        let acks = s.acknowledgements.filter { $0.modality == modality }
        let open = Set(r.openAcknowledgements(acks).map(\.rule))
        return [
            "hasIntake": true, "modality": modalityLabel(modality), "outcome": r.outcome.rawValue,
            "outcomeLabel": ScreeningLabels.outcome(r.outcome), "clears": r.clearsTreatment(acks),
            "ruleSetVersion": s.ruleSet.version,
            "findings": r.findings.map { f in
                ["title": f.title, "outcome": f.outcome.rawValue,
                 "outcomeLabel": f.outcome == .eligible ? "Guidance" : ScreeningLabels.outcome(f.outcome),
                 "source": f.source, "isOpen": open.contains(f.rule), "isAcknowledged": acks.contains { $0.rule == f.rule }] as [String: Any]
            },
            "hasFindings": !r.findings.isEmpty,
        ]
    }

    static func hints(_ hints: [PlanHint]) -> [[String: Any]] {
        hints.map { ["id": $0.id, "kind": $0.kind.rawValue, "title": $0.title, "text": $0.text, "source": $0.source,
                     "confidence": $0.confidence.readerLabel] }
    }

    static func assessmentSummary(_ a: ScarAssessment?) -> [String: Any] {
        guard let a else { return ["hasAssessment": false] }
        return ["hasAssessment": true, "url": PatientLinks.assessment(a.id), "assessedOn": a.details.assessedOn.description,
                "dominant": a.details.dominantScarType.summary, "grade": a.scores.gbQualitative.total]
    }

    static func issues(_ list: [PlanApprovalIssue]) -> [[String: Any]] {
        list.map { ["field": $0.field, "message": $0.message, "source": $0.source ?? "", "hasSource": $0.source != nil] }
    }

    static func planForm(patient: Patient, template: ProtocolTemplateVersion, templates: [ProtocolTemplateVersion], input: PlanInput,
                         errors: [FieldError], inputs: PlanningInputs, action: String, version: Int?, editing: TreatmentPlan?,
                         banner: String?) -> [String: Any] {
        let d = template.definition
        let limitHint = d.deviceDepthLimit.map { "Device limit \($0) mm; 0.05 mm steps." }
            ?? "No device depth limit is set on this template, so depths cannot be planned yet."
        let errorFor: (String) -> String = { n in errors.first { $0.field == n }?.message ?? "" }
        var form: [String: Any] = [
            "patientName": patient.fullName, "patientURL": PatientLinks.url(patient.id), "action": action,
            "version": version.map(String.init) ?? "", "hasVersion": version != nil,
            "isNew": editing == nil, "banner": banner ?? "", "hasBanner": banner != nil,
            "newVersionNote": editing.map { $0.current.status != .draft } ?? false,
            "nextNumber": (editing?.current.number ?? 0) + 1,
            "templateId": template.templateId.lower, "templateName": d.name, "templateVersion": template.version,
            "templateURL": PlanWorkflow.templateURL(template.templateId), "templateIsExample": d.isExample,
            "templateDevice": deviceLabel(d),
            "templateChoices": templates.map { t in
                ["id": t.templateId.lower, "name": t.definition.name, "selected": t.templateId == template.templateId] as [String: Any]
            },
            "newURL": PatientLinks.url(patient.id) + "/plans/new",
            "hasErrors": !errors.isEmpty, "errors": errorList(errors), "errorCount": errors.count,
            "depthHint": limitHint, "depthSource": d.sources[.depths] ?? "", "hasDepthSource": d.sources[.depths] != nil,
            "adjunctError": errorFor("adjuncts"), "hasAdjunctError": !errorFor("adjuncts").isEmpty,
            "hints": hints(inputs.hints), "hasHints": !inputs.hints.isEmpty,
            "screening": screeningStatus(inputs.screening, modality: d.modality),
            "assessment": assessmentSummary(inputs.assessment),
        ]
        form.merge(planFields(d, input: input, errors: errors)) { $1 }
        return form
    }

    /// The plan form's fields, each hinted with the template's range and source.
    static func planFields(_ d: ProtocolTemplateDefinition, input: PlanInput, errors: [FieldError]) -> [String: Any] {
        let v = input.values
        return [
            "sessions": field("sessions", "Sessions", values: v, errors: errors,
                              hint: "Template range \(d.sessionsMin)–\(d.sessionsMax), default \(d.sessionsDefault). " + (d.sources[.sessions] ?? ""),
                              required: true, numeric: true),
            "intervalDays": field("intervalDays", "Interval (days)", values: v, errors: errors,
                                  hint: "Clinic minimum and maximum \(d.intervalDaysMin)–\(d.intervalDaysMax) days, default \(d.intervalDaysDefault). "
                                      + (d.sources[.interval] ?? ""), required: true, numeric: true),
            "depths": FacialZone.allCases.map { field(PlanInput.depthField($0), $0.label, values: v, errors: errors, numeric: true) },
            "adjuncts": Adjunct.allCases.map { a in
                ["value": a.rawValue, "label": a.label, "checked": input.adjuncts.contains(a.rawValue), "source": a.source] as [String: Any]
            },
            "rationale": field("rationale", "Rationale", values: v, errors: errors,
                               hint: "Why this plan for this patient; required (at least \(PlanApproval.minimumRationaleLength) characters) before approval."),
        ]
    }

    static func versionDetail(_ v: PlanVersion) -> [String: Any] {
        let d = v.template.definition
        return [
            "id": v.id.lower, "number": v.number, "status": v.status.rawValue, "statusLabel": v.status.label,
            "templateName": d.name, "templateVersion": v.template.version, "templateURL": PlanWorkflow.templateURL(v.template.templateId),
            "templateIsExample": d.isExample, "device": deviceLabel(d),
            "sessions": v.content.sessions, "interval": intervalText(v.content.intervalDays),
            "sessionsSource": d.sources[.sessions] ?? "", "intervalSource": d.sources[.interval] ?? "",
            "hasSessionsSource": d.sources[.sessions] != nil, "hasIntervalSource": d.sources[.interval] != nil,
            "adjuncts": v.content.adjuncts.isEmpty ? "None" : v.content.adjuncts.map(\.label).joined(separator: ", "),
            "depths": FacialZone.allCases.compactMap { z in v.content.zoneDepths[z].map { ["zone": z.label, "depth": "\($0) mm"] } },
            "hasDepths": !v.content.zoneDepths.isEmpty,
            "deviceDepthLimit": d.deviceDepthLimit.map { "\($0) mm" } ?? "not set",
            "rationale": v.content.rationale ?? "", "hasRationale": v.content.rationale != nil,
            "createdBy": v.createdBy, "createdAt": ViewDates.timestamp(v.createdAt), "updatedAt": ViewDates.timestamp(v.updatedAt),
            "supersedes": v.supersedes != nil,
            "isApproved": v.approval != nil, "approvedBy": v.approval?.approvedBy ?? "",
            "approvedAt": v.approval.map { ViewDates.timestamp($0.approvedAt) } ?? "",
            "approvalScreening": v.approval.map { "screening \(ScreeningLabels.outcome($0.screeningOutcome).lowercased()), rule set \($0.ruleSetVersion)" } ?? "",
            "postCare": d.postCare ?? "", "hasPostCare": d.postCare != nil,
        ]
    }

    static func planPage(_ plan: TreatmentPlan, patient: Patient, inputs: PlanningInputs, canPlan: Bool, banner: String?,
                         refusal: [PlanApprovalIssue]?) -> [String: Any] {
        let current = plan.current
        let check = current.status == .draft ? inputs.check(current) : nil
        let blockers = refusal ?? check?.blockers ?? []
        return [
            "patientName": patient.fullName, "patientURL": PatientLinks.url(patient.id),
            "planId": plan.id.lower, "planVersion": plan.version,
            "editURL": PlanWorkflow.url(plan.id) + "/edit", "approveURL": PlanWorkflow.url(plan.id) + "/approve",
            "current": versionDetail(current), "isDraft": current.status == .draft,
            "canPlan": canPlan, "canApprove": canPlan && current.status == .draft && blockers.isEmpty,
            "showApproval": current.status == .draft,
            "blockers": issues(blockers), "hasBlockers": !blockers.isEmpty,
            "cautions": issues(check?.cautions ?? []), "hasCautions": !(check?.cautions ?? []).isEmpty,
            "banner": banner ?? "", "hasBanner": banner != nil,
            "hints": hints(inputs.hints), "hasHints": !inputs.hints.isEmpty,
            "screening": screeningStatus(inputs.screening, modality: current.modality),
            "assessment": assessmentSummary(inputs.assessment),
            "history": plan.versions.map(versionDetail), "versionCount": plan.versions.count,
            "inForce": plan.inForce.map { "version \($0.number)" } ?? "none yet",
            "canBook": plan.inForce != nil,
            "bookURL": PatientLinks.url(patient.id) + "/book?plan=" + plan.id.lower,
        ]
    }

    /// The "Treatment plan" card on the patient page.
    /// The patient page's Treatment plan card.
    static let patientPageCard = PatientPageCard(key: "treatmentPlans", order: 70) { page, context in
        patientCard(page.records.plans, patientId: page.patient.id, context: context)
    }

    static func patientCard(_ plans: [TreatmentPlan], patientId: UUID, context: AppContext) -> [String: Any] {
        let user = context.signedInUser
        return [
            "newURL": PatientLinks.url(patientId) + "/plans/new", "canPlan": PlanWorkflow.planners.allows(user.role),
            "hasPlans": !plans.isEmpty,
            "plans": plans.map { p in
                let v = p.current
                return ["url": PlanWorkflow.url(p.id), "name": v.template.definition.name, "status": v.status.rawValue,
                        "statusLabel": v.status.label, "number": v.number, "sessions": v.content.sessions,
                        "interval": intervalText(v.content.intervalDays), "device": deviceLabel(v.template.definition),
                        "inForce": p.inForce.map { "version \($0.number) approved by \($0.approval?.approvedBy ?? "")" } ?? "not approved yet"] as [String: Any]
            },
        ]
    }
}
