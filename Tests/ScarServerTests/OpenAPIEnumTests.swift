import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import Testing

/// Issue 11, item 13: wherever a field takes a closed list, `/openapi.json` lists it as an
/// `enum`, and each list is the ScarCore (or ScarStore) enum it stands for, so the document
/// cannot drift from what the server accepts and answers. Every `enum` in the document must
/// be in `DocumentedEnums.all`, so a new one is checked as soon as it is written.
///
/// `SCARTRACK_OPENAPI_ENUMS_DUMP=<file>` writes the expected lists (with their raw JSON paths)
/// to that file, for regenerating the document's enums from the Swift enums.
enum DocumentedEnums {
    struct Entry {
        var location: [String]
        var values: [String]
        var integer = false
        /// `x-enumDescriptions`, value → text, when the values need words.
        var descriptions: [String: String]? = nil
    }

    static let apiJSON = ["requestBody", "content", "application/json", "schema"]

    /// A property (or `[]` for an array's items) inside a named component schema.
    static func schema(_ name: String, _ steps: String...) -> [String] { ["components", "schemas", name] + walk(steps) }
    /// A property inside an operation's JSON request body.
    static func body(_ path: String, _ method: String, _ steps: String...) -> [String] { ["paths", path, method] + apiJSON + walk(steps) }
    /// An operation's query parameter (`?name` is resolved to the parameter's index).
    static func query(_ path: String, _ method: String, _ name: String) -> [String] { ["paths", path, method, "parameters", "?" + name, "schema"] }

    /// A property of the pre-session answers' result.
    static func preSessionResult(_ steps: String...) -> [String] {
        ["paths", "/api/v1/portal/appointments/{id}/pre-session-answers", "post", "responses", "201", "content", "application/json", "schema"]
            + walk(steps)
    }

    static func walk(_ steps: [String]) -> [String] { steps.flatMap { $0 == "[]" ? ["items"] : ["properties", $0] } }

    static func raw<T: RawRepresentable>(_ cases: [T]) -> [String] where T.RawValue == String { cases.map(\.rawValue) }

    static let modality = raw(Modality.allCases)
    static let roleLabels = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0.rawValue, $0.label) })
    static let terms = AETerm.catalogue.map(\.code)
    static let termLabels = Dictionary(uniqueKeysWithValues: AETerm.catalogue.map { ($0.code, $0.label) })
    static let grades = CTCAEGrade.allCases.map { String($0.rawValue) }
    static let gradeLabels = Dictionary(uniqueKeysWithValues: CTCAEGrade.allCases.map { (String($0.rawValue), "\($0.label): \($0.definition)") })
    static let faceZones = raw(FaceZone.allCases)
    static let facialZones = raw(FacialZone.allCases)
    static let facialZoneLabels = Dictionary(uniqueKeysWithValues: FacialZone.allCases.map { ($0.rawValue, $0.label) })
    static let photoViews = raw(PhotoView.allCases)
    static let adjuncts = raw(Adjunct.allCases)
    static let outcomes = raw(ScreeningOutcome.allCases)
    static let confidence = raw(ConfidenceTag.allCases)

    static let all: [Entry] = [
        // FHIR Bulk Data kick-off: the Prefer header, the output formats and the Parameters body's names.
        Entry(location: schema("FHIRExportParameters", "resourceType"), values: ["Parameters"]),
        Entry(location: schema("FHIRExportParameters", "parameter", "[]", "name"), values: FHIRExportParameters.supported),
        Entry(location: ["components", "schemas", "FHIRExportParameters", "properties", "parameter", "items", "oneOf", "2", "properties", "valueString"],
              values: FHIRExportParameters.outputFormats),
        Entry(location: query("/fhir/$export", "get", "Prefer"), values: [FHIRExportParameters.prefer]),
        Entry(location: query("/fhir/$export", "post", "Prefer"), values: [FHIRExportParameters.prefer]),
        Entry(location: query("/fhir/$export", "get", "_outputFormat"), values: FHIRExportParameters.outputFormats),
        Entry(location: query("/fhir/Patient/$export", "get", "Prefer"), values: [FHIRExportParameters.prefer]),
        Entry(location: query("/fhir/Patient/$export", "post", "Prefer"), values: [FHIRExportParameters.prefer]),
        Entry(location: query("/fhir/Patient/$export", "get", "_outputFormat"), values: FHIRExportParameters.outputFormats),
        Entry(location: query("/fhir/Group/{id}/$export", "get", "Prefer"), values: [FHIRExportParameters.prefer]),
        Entry(location: query("/fhir/Group/{id}/$export", "post", "Prefer"), values: [FHIRExportParameters.prefer]),
        Entry(location: query("/fhir/Group/{id}/$export", "get", "_outputFormat"), values: FHIRExportParameters.outputFormats),
        // The portal's between-visit reports as JSON.
        Entry(location: body("/api/v1/portal/check-ins", "post", "redness"), values: raw(ReactionLevel.allCases)),
        Entry(location: body("/api/v1/portal/check-ins", "post", "swelling"), values: raw(ReactionLevel.allCases)),
        Entry(location: body("/api/v1/portal/check-ins", "post", "pain"), values: raw(ReactionLevel.allCases)),
        Entry(location: body("/api/v1/portal/check-ins", "post", "signs", "[]"), values: raw(WarningSign.allCases)),
        Entry(location: body("/api/v1/portal/check-ins", "post", "unexpected"), values: raw(TriStateAnswer.allCases)),
        Entry(location: body("/api/v1/portal/problem-reports", "post", "signs", "[]"), values: raw(WarningSign.allCases)),
        Entry(location: body("/api/v1/portal/appointments/{id}/pre-session-answers", "post", "answers") + ["additionalProperties"],
              values: raw(TriStateAnswer.allCases)),
        Entry(location: preSessionResult("outcome"), values: raw(PreSessionOutcome.allCases)),
        Entry(location: preSessionResult("findings", "[]", "outcome"), values: raw(PreSessionOutcome.allCases)),
        Entry(location: preSessionResult("findings", "[]", "answer"), values: raw(TriStateAnswer.allCases)),
        // What patients reported between visits, as the clinic's list shows it.
        Entry(location: schema("SuspectedAdverseEvent", "kind"), values: raw(CheckInRepository.Suspected.Source.allCases)),
        Entry(location: schema("SuspectedAdverseEvent", "state"), values: raw(CheckInRepository.SuspicionState.allCases)),
        // Adverse events: catalogue terms and CTCAE grades, with their words.
        Entry(location: schema("AdverseEventInput", "term"), values: terms, descriptions: termLabels),
        Entry(location: schema("AdverseEvent", "term"), values: terms, descriptions: termLabels),
        Entry(location: schema("AdverseEventInput", "grade"), values: grades, integer: true, descriptions: gradeLabels),
        Entry(location: schema("AdverseEvent", "grade"), values: grades, integer: true, descriptions: gradeLabels),
        Entry(location: schema("AdverseEventInput", "relatedness"), values: raw(Relatedness.allCases)),
        Entry(location: schema("AdverseEvent", "relatedness"), values: raw(Relatedness.allCases)),
        Entry(location: schema("AdverseEventInput", "outcome"), values: raw(AEOutcome.allCases)),
        Entry(location: schema("AdverseEvent", "outcome"), values: raw(AEOutcome.allCases)),
        Entry(location: query("/api/v1/adverse-events", "get", "open"), values: ["true", "false"]),
        // Today's questions as the signed checklist keeps them (yes / no / not asked).
        Entry(location: ["components", "schemas", "Session", "properties", "checklist", "properties", "dayAnswers", "additionalProperties"],
              values: raw(DayAnswers.Answer.allCases)),
        // Staff roles.
        Entry(location: schema("Staff", "role"), values: raw(Role.allCases), descriptions: roleLabels),
        // A clinic the operator adds always starts with one administrator.
        Entry(location: ["paths", "/api/v1/operator/clinics", "post", "responses", "201", "content", "application/json", "schema"]
                  + walk(["admin", "role"]), values: [Role.admin.rawValue]),
        // Modalities.
        Entry(location: body("/api/v1/patients/{id}/screening/acknowledgements", "post", "modality"), values: modality),
        Entry(location: body("/api/v1/schedule/devices", "post", "modality"), values: modality),
        Entry(location: schema("ChartInput", "modality"), values: modality),
        Entry(location: schema("BookableDevice", "modality"), values: modality),
        Entry(location: schema("SeriesRequest", "modality"), values: modality),
        Entry(location: schema("ProtocolTemplateInput", "modality"), values: modality),
        Entry(location: schema("ProtocolTemplate", "modality"), values: modality),
        Entry(location: schema("TreatmentPlan", "versions", "[]", "template", "modality"), values: modality),
        Entry(location: schema("Acknowledgement", "modality"), values: modality),
        Entry(location: schema("PostCare", "modality"), values: modality),
        Entry(location: schema("Screening", "screenings", "[]", "result", "modality"), values: modality),
        Entry(location: schema("RuleSet", "rules", "[]", "modalities", "[]"), values: modality),
        // Devices, lots, consent.
        Entry(location: schema("DeviceType"), values: raw(DeviceType.allCases)),
        Entry(location: schema("LotInput", "kind"), values: raw(ConsumableKind.allCases)),
        Entry(location: schema("Lot", "kind"), values: raw(ConsumableKind.allCases)),
        Entry(location: schema("ConsentKind"), values: raw(ConsentKind.allCases)),
        // The session chart.
        Entry(location: schema("ChartInput", "zones", "[]", "zone"), values: facialZones, descriptions: facialZoneLabels),
        Entry(location: schema("ChartInput", "zones", "[]", "pattern"), values: raw(PassPattern.allCases)),
        Entry(location: schema("ChartInput", "zones", "[]", "endpoint"), values: raw(Endpoint.allCases)),
        Entry(location: schema("ChartInput", "rf", "insulation"), values: raw(Insulation.allCases)),
        Entry(location: schema("ChartInput", "rf", "electrode"), values: raw(Electrode.allCases)),
        Entry(location: schema("Session", "status"), values: [SessionRecord.Status.draft, .signed].map(\.rawValue)),
        Entry(location: schema("ChartingSettingsInput", "beforePhotoViews", "[]"), values: photoViews),
        Entry(location: schema("ChartingSettings", "beforePhotoViews", "[]"), values: photoViews),
        // Health.
        Entry(location: schema("Health", "status"), values: ["ok", "degraded"]),
        Entry(location: schema("HealthLive", "status"), values: ["ok"]),
        Entry(location: schema("HealthReady", "status"), values: ["ready", "not-ready"]),
        Entry(location: schema("Health", "database", "engine"), values: [Engine.sqlite, .postgres].map(\.rawValue)),
        // Patients and intake.
        Entry(location: schema("PatientInput", "sex"), values: raw(Sex.allCases)),
        Entry(location: schema("PatientPatch", "sex"), values: raw(Sex.allCases)),
        Entry(location: schema("Patient", "sex"), values: raw(Sex.allCases)),
        Entry(location: schema("Outcome"), values: outcomes),
        Entry(location: schema("Intake", "fitzpatrickMethod"), values: raw(FitzpatrickMethod.allCases)),
        Entry(location: schema("Intake", "eczemaPsoriasisInArea"), values: raw(SkinConditionSeverity.allCases)),
        // Written as one branch per shape: stoppedOn is required exactly when stopped.
        Entry(location: schema("Intake", "isotretinoin") + ["anyOf", "0"] + walk(["status"]),
              values: [IsotretinoinStatus.never, .current].map(\.statusName)),
        Entry(location: schema("Intake", "isotretinoin") + ["anyOf", "1"] + walk(["status"]),
              values: [IsotretinoinStatus.stopped(on: CalendarDate("2020-01-01")!)].map(\.statusName)),
        Entry(location: schema("Intake", "recentProcedures", "[]", "kind"), values: raw(RecentProcedure.Kind.allCases)),
        Entry(location: schema("Screening", "screenings", "[]", "result", "findings", "[]", "confidence"), values: confidence),
        Entry(location: schema("RuleSet", "rules", "[]", "confidence"), values: confidence),
        Entry(location: schema("RuleSet", "rules", "[]", "criterion"), values: raw(ScreeningCriterion.allCases)),
        // Assessments and scales.
        Entry(location: schema("AssessmentZoneInput", "sizeClass"), values: raw(ScarSizeClass.allCases)),
        Entry(location: schema("AssessmentZoneInput", "depthClass"), values: raw(ScarDepthClass.allCases)),
        Entry(location: schema("Assessment", "zones", "[]", "zone"), values: facialZones, descriptions: facialZoneLabels),
        Entry(location: schema("Assessment", "zones", "[]", "sizeClass"), values: raw(ScarSizeClass.allCases)),
        Entry(location: schema("Assessment", "zones", "[]", "depthClass"), values: raw(ScarDepthClass.allCases)),
        Entry(location: schema("Assessment", "dominantScarType", "types", "[]"), values: raw(ScarType.allCases)),
        Entry(location: schema("Assessment", "scores", "gbQuantitative", "rows", "[]", "row"), values: raw(GoodmanBaronQuantitative.Row.allCases)),
        Entry(location: schema("Assessment", "scores", "ecca", "rows", "[]", "item"), values: raw(ECCA.Item.allCases)),
        Entry(location: schema("Assessment", "scores", "gbQualitative", "level"), values: GoodmanBaronQualitative.Grade.allCases.map(\.level)),
        Entry(location: body("/api/v1/studies", "post", "outcomeScale"), values: ScaleCommand.scales),
        // Photos.
        Entry(location: schema("PhotoUpload", "view"), values: photoViews),
        Entry(location: schema("PhotoUpload", "zone"), values: faceZones),
        Entry(location: schema("Photo", "view"), values: photoViews),
        Entry(location: schema("Photo", "zone"), values: faceZones),
        Entry(location: schema("Photo", "mediaType"), values: raw(ImageMediaType.allCases)),
        // Outcomes and studies.
        Entry(location: schema("OutcomeComparison", "reference"), values: [OutcomeComparison.Reference.baseline, .previous].map(\.rawValue)),
        Entry(location: body("/api/v1/studies/{id}/ratings", "post", "side"), values: raw(FaceSide.allCases)),
        Entry(location: schema("StudyParticipant", "armASide"), values: raw(FaceSide.allCases)),
        Entry(location: schema("StudyTimePoint", "wilcoxon", "method"), values: [PairedAnalysis.Method.exact, .approx].map(\.rawValue)),
        Entry(location: schema("ClinicAnalytics", "responders", "[]", "dimension"), values: raw(AnalyticsDimension.allCases)),
        // Schedule.
        Entry(location: schema("SeriesProposal", "appointments", "[]", "kind"), values: [ProposedAppointment.Kind.session, .followUp].map(\.rawValue)),
        Entry(location: schema("Appointment", "kind"), values: [ProposedAppointment.Kind.session, .followUp].map(\.rawValue)),
        Entry(location: schema("Appointment", "status"), values: raw(AppointmentStatus.allCases)),
        // The portal's follow-ups and change requests.
        Entry(location: schema("PortalCourse", "appointments", "[]", "status"), values: raw(AppointmentStatus.allCases)),
        Entry(location: schema("ChangeRequest", "kind"), values: raw(ChangeRequestRules.Kind.allCases)),
        Entry(location: schema("ChangeRequestInput", "kind"), values: raw(ChangeRequestRules.Kind.allCases)),
        Entry(location: schema("ChangeRequest", "status"), values: raw(ChangeRequestRules.Status.allCases)),
        Entry(location: schema("PortalFollowUpQuestions", "options", "[]"), values: FollowUpQuestions.options.map(\.value)),
        Entry(location: schema("PortalOutcomeAnswers", "answers") + ["additionalProperties"], values: FollowUpQuestions.options.map(\.value)),
        Entry(location: schema("PortalOutcome", "enteredVia"), values: ["clinic", "portal"]),
        // Protocol templates and plans.
        Entry(location: schema("ProtocolTemplateInput", "deviceType"), values: raw(MechanicalDeviceType.allCases)),
        Entry(location: schema("ProtocolTemplate", "deviceType"), values: raw(MechanicalDeviceType.allCases)),
        Entry(location: schema("ProtocolTemplateInput", "adjuncts", "[]"), values: adjuncts),
        Entry(location: schema("ProtocolTemplate", "adjuncts", "[]"), values: adjuncts),
        Entry(location: schema("PlanCreate", "adjuncts", "[]"), values: adjuncts),
        Entry(location: schema("PlanPatch", "adjuncts", "[]"), values: adjuncts),
        Entry(location: schema("TreatmentPlan", "versions", "[]", "adjuncts", "[]"), values: adjuncts),
        Entry(location: schema("ProtocolTemplateInput", "rf", "insulation"), values: raw(RFInsulation.allCases)),
        Entry(location: schema("ProtocolTemplate", "rf", "insulation"), values: raw(RFInsulation.allCases)),
        Entry(location: schema("ProtocolTemplateInput", "rf", "electrode"), values: raw(RFElectrode.allCases)),
        Entry(location: schema("ProtocolTemplate", "rf", "electrode"), values: raw(RFElectrode.allCases)),
        Entry(location: schema("TreatmentPlan", "versions", "[]", "status"), values: raw(PlanStatus.allCases)),
        Entry(location: schema("TreatmentPlan", "versions", "[]", "approval", "screeningOutcome"), values: outcomes),
        Entry(location: schema("TreatmentPlan", "hints", "[]", "kind"), values: [PlanHint.Kind.consider, .notIndicated, .guidance].map(\.rawValue)),
        Entry(location: schema("TreatmentPlan", "hints", "[]", "confidence"), values: confidence),
        // The patient portal: how an invitation reaches the patient; the code request's one answer.
        Entry(location: schema("PortalInvitationRequest", "channel"), values: raw(InvitePatient.Channel.allCases)),
        Entry(location: schema("PortalInvitation", "channel"), values: raw(InvitePatient.Channel.allCases)),
        Entry(location: schema("PortalCodeRequestAccepted", "status"), values: ["accepted"]),
    ] + fhirSearch + imports

    /// The CSV import API: its presets, date formats and flags, and the summary's kind.
    static let imports: [Entry] = ImportKind.allCases.flatMap { kind in
        let path = "/api/v1/imports/\(kind.rawValue)"
        return [Entry(location: query(path, "post", "dryRun"), values: ["true", "false"]),
                Entry(location: query(path, "post", "importDuplicates"), values: ["true", "false"]),
                Entry(location: query(path, "post", "mapping"), values: ImportMapping.presetNames(kind)),
                Entry(location: query(path, "post", "dateFormat"), values: raw(ImportDateFormat.allCases))]
    } + [Entry(location: schema("ImportSummary", "kind"), values: raw(ImportKind.allCases))]

    /// FHIR search: each type's `_sort` keys and `_revinclude` allowlist.
    static let fhirSearch: [Entry] = FHIRSearchAllowlists.types.flatMap { type in
        [Entry(location: query("/fhir/\(type)", "get", "_sort"), values: FHIRSearchAllowlists.sorts(type))]
            + (FHIRSearchAllowlists.revIncludes(type).isEmpty ? []
                : [Entry(location: query("/fhir/\(type)", "get", "_revinclude"), values: FHIRSearchAllowlists.revIncludes(type))])
    }

    /// Follows `location` from the document's root; returns the node and its raw JSON path
    /// (a `?name` step becomes the index of the parameter of that name).
    static func resolve(_ document: Any, _ location: [String]) -> (node: [String: Any], path: [String])? {
        var node: Any = document
        var path: [String] = []
        for step in location {
            if step.hasPrefix("?") {
                guard let list = node as? [[String: Any]], let i = list.firstIndex(where: { $0["name"] as? String == String(step.dropFirst()) }) else { return nil }
                node = list[i]
                path.append(String(i))
            } else if let list = node as? [Any], let i = Int(step) {
                guard list.indices.contains(i) else { return nil }
                node = list[i]
                path.append(step)
            } else {
                guard var object = node as? [String: Any] else { return nil }
                // A nullable object is written `anyOf: [{object}, {type: null}]`: step into the object.
                if object[step] == nil, let branches = object["anyOf"] as? [[String: Any]],
                   let i = branches.firstIndex(where: { $0[step] != nil }) {
                    object = branches[i]
                    path += ["anyOf", String(i)]
                }
                guard let next = object[step] else { return nil }
                node = next
                path.append(step)
            }
        }
        guard let object = node as? [String: Any] else { return nil }
        return (object, path)
    }

    /// Every place in the document that has an `enum`, as raw JSON paths.
    static func enumPaths(_ node: Any, _ path: [String] = []) -> [[String]] {
        if let object = node as? [String: Any] {
            var found: [[String]] = object["enum"] != nil ? [path] : []
            for key in object.keys.sorted() where !["enum", "example", "examples", "x-enumDescriptions", "default"].contains(key) {
                found += enumPaths(object[key]!, path + [key])
            }
            return found
        }
        if let list = node as? [Any] {
            return list.enumerated().flatMap { enumPaths($1, path + [String($0)]) }
        }
        return []
    }

    static func text(_ value: Any) -> String? {
        if value is NSNull { return nil }
        if let n = value as? NSNumber { return n.stringValue }
        return value as? String
    }
}

@Suite("OpenAPI: closed lists are enums that match ScarCore")
struct OpenAPIEnumTests {
    @Test func everyClosedListIsDocumentedAsTheSwiftEnumAndEveryDocumentedEnumIsChecked() async throws {
        try await Harness.run { h in
            let reply = try await h.request(.get, "/openapi.json")
            let document = try JSONSerialization.jsonObject(with: Data(reply.body.utf8))
            var checked: Set<[String]> = []
            var dump: [[String: Any]] = []
            for entry in DocumentedEnums.all {
                let name = entry.location.joined(separator: " › ")
                guard let (node, path) = DocumentedEnums.resolve(document, entry.location) else {
                    Issue.record("\(name) is not in the document")
                    continue
                }
                #expect(!checked.contains(path), "\(name) is listed twice")
                checked.insert(path)
                var expected: [String: Any] = ["path": path, "enum": entry.integer ? entry.values.map { Int($0)! as Any } : entry.values]
                if let d = entry.descriptions { expected["descriptions"] = entry.values.map { d[$0] ?? "" } }
                dump.append(expected)
                let documented = (node["enum"] as? [Any] ?? []).compactMap(DocumentedEnums.text)
                #expect(documented == entry.values, "\(name): the document lists \(documented), the server knows \(entry.values)")
                if entry.integer {
                    let type = node["type"] as? String ?? (node["type"] as? [String])?.first { $0 != "null" }
                    #expect(type == "integer", "\(name) must be typed integer")
                }
                if let descriptions = entry.descriptions {
                    let written = node["x-enumDescriptions"] as? [String: String] ?? [:]
                    #expect(written == descriptions, "\(name): x-enumDescriptions \(written), expected \(descriptions)")
                }
            }
            if let file = ProcessInfo.processInfo.environment["SCARTRACK_OPENAPI_ENUMS_DUMP"] {
                try JSONSerialization.data(withJSONObject: dump, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: file))
            }
            // Every enum the document has is one of those checked above.
            for path in DocumentedEnums.enumPaths(document) where !checked.contains(path) {
                Issue.record("\(path.joined(separator: " › ")) has an enum no test checks: add it to DocumentedEnums.all")
            }
        }
    }
}
