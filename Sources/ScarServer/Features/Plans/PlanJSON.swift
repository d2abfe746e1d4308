import Foundation
import ScarCore

/// The API's protocol template (see `ProtocolTemplate` in openapi.json). The editable fields
/// have the names a `POST`/`PUT` body uses; `id`, `versionId`, `version`, `createdAt` and
/// `createdBy` are read-only.
struct TemplateJSON: Encodable {
    var id: String
    var versionId: String
    var version: Int
    var createdAt: Date
    var createdBy: String
    var name: String
    var isExample: Bool
    var modality: String
    var deviceType: String?
    var adjuncts: [String]
    var sessionsMin: Int
    var sessionsMax: Int
    var sessionsDefault: Int
    var intervalDaysDefault: Int
    var intervalDaysMin: Int
    var intervalDaysMax: Int
    var deviceDepthLimitMm: Double?
    var depths: [String: Double]
    var rf: RF?
    var postCare: String?
    var sources: [String: String]

    struct RF: Encodable {
        var energyPerPinMJ: Double?
        var pinCount: Int?
        var pulseDurationMs: Double?
        var insulation: String?
        var electrode: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(energyPerPinMJ, forKey: .energyPerPinMJ)
            try c.encode(pinCount, forKey: .pinCount)
            try c.encode(pulseDurationMs, forKey: .pulseDurationMs)
            try c.encode(insulation, forKey: .insulation)
            try c.encode(electrode, forKey: .electrode)
        }
        enum CodingKeys: String, CodingKey { case energyPerPinMJ, pinCount, pulseDurationMs, insulation, electrode }
    }

    init(_ v: ProtocolTemplateVersion) {
        let d = v.definition
        id = v.templateId.lower
        versionId = v.id.lower
        version = v.version
        createdAt = v.createdAt
        createdBy = v.createdBy
        name = d.name
        isExample = d.isExample
        modality = d.modality.rawValue
        deviceType = d.deviceType?.rawValue
        adjuncts = d.adjuncts.map(\.rawValue)
        sessionsMin = d.sessionsMin
        sessionsMax = d.sessionsMax
        sessionsDefault = d.sessionsDefault
        intervalDaysDefault = d.intervalDaysDefault
        intervalDaysMin = d.intervalDaysMin
        intervalDaysMax = d.intervalDaysMax
        deviceDepthLimitMm = d.deviceDepthLimit?.millimetres
        depths = Dictionary(uniqueKeysWithValues: d.zoneDepths.map { ($0.key.rawValue, $0.value.millimetres) })
        rf = d.rf.map { RF(energyPerPinMJ: $0.energyPerPinMJ, pinCount: $0.pinCount, pulseDurationMs: $0.pulseDurationMs,
                           insulation: $0.insulation?.rawValue, electrode: $0.electrode?.rawValue) }
        postCare = d.postCare
        sources = Dictionary(uniqueKeysWithValues: d.sources.map { ($0.key.rawValue, $0.value) })
    }

    enum CodingKeys: String, CodingKey {
        case id, versionId, version, createdAt, createdBy, name, isExample, modality, deviceType, adjuncts, sessionsMin, sessionsMax,
             sessionsDefault, intervalDaysDefault, intervalDaysMin, intervalDaysMax, deviceDepthLimitMm, depths, rf, postCare, sources
    }

    /// Nulls are written out, so a client sees every field.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(versionId, forKey: .versionId)
        try c.encode(version, forKey: .version)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(name, forKey: .name)
        try c.encode(isExample, forKey: .isExample)
        try c.encode(modality, forKey: .modality)
        try c.encode(deviceType, forKey: .deviceType)
        try c.encode(adjuncts, forKey: .adjuncts)
        try c.encode(sessionsMin, forKey: .sessionsMin)
        try c.encode(sessionsMax, forKey: .sessionsMax)
        try c.encode(sessionsDefault, forKey: .sessionsDefault)
        try c.encode(intervalDaysDefault, forKey: .intervalDaysDefault)
        try c.encode(intervalDaysMin, forKey: .intervalDaysMin)
        try c.encode(intervalDaysMax, forKey: .intervalDaysMax)
        try c.encode(deviceDepthLimitMm, forKey: .deviceDepthLimitMm)
        try c.encode(depths, forKey: .depths)
        try c.encode(rf, forKey: .rf)
        try c.encode(postCare, forKey: .postCare)
        try c.encode(sources, forKey: .sources)
    }
}

struct TemplateDetailJSON: Encodable {
    var template: TemplateJSON
    var versions: [VersionSummary]

    struct VersionSummary: Encodable {
        var versionId: String
        var version: Int
        var name: String
        var createdAt: Date
        var createdBy: String
    }

    init(current: ProtocolTemplateVersion, versions: [ProtocolTemplateVersion]) {
        template = TemplateJSON(current)
        self.versions = versions.map {
            VersionSummary(versionId: $0.id.lower, version: $0.version, name: $0.definition.name,
                           createdAt: $0.createdAt, createdBy: $0.createdBy)
        }
    }
}

/// The API's treatment plan (see `TreatmentPlan` in openapi.json). `id` is the stable plan id;
/// each version's `id` is the plan version id that sessions reference.
struct PlanJSON: Encodable {
    var id: String
    var patientId: String
    var version: Int
    var createdAt: Date
    var currentVersionId: String
    var inForceVersionId: String?
    var versions: [VersionJSON]
    var hints: [PlanHint]?
    var approvalCheck: CheckJSON?

    struct TemplateRef: Encodable {
        var id: String
        var versionId: String
        var version: Int
        var name: String
        var isExample: Bool
        var modality: String
        var deviceType: String?
    }

    struct Approval: Encodable {
        var approvedAt: Date
        var approvedBy: String
        var intakeId: String?
        var ruleSetVersion: String
        var screeningOutcome: String
    }

    struct VersionJSON: Encodable {
        var id: String
        var number: Int
        var status: String
        var supersedes: String?
        var template: TemplateRef
        var assessmentId: String?
        var sessions: Int
        var intervalDays: Int
        var depths: [String: Double]
        var adjuncts: [String]
        var rationale: String?
        var createdAt: Date
        var createdBy: String
        var updatedAt: Date
        var approval: Approval?

        enum CodingKeys: String, CodingKey {
            case id, number, status, supersedes, template, assessmentId, sessions, intervalDays, depths, adjuncts, rationale, createdAt,
                 createdBy, updatedAt, approval
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(number, forKey: .number)
            try c.encode(status, forKey: .status)
            try c.encode(supersedes, forKey: .supersedes)
            try c.encode(template, forKey: .template)
            try c.encode(assessmentId, forKey: .assessmentId)
            try c.encode(sessions, forKey: .sessions)
            try c.encode(intervalDays, forKey: .intervalDays)
            try c.encode(depths, forKey: .depths)
            try c.encode(adjuncts, forKey: .adjuncts)
            try c.encode(rationale, forKey: .rationale)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(createdBy, forKey: .createdBy)
            try c.encode(updatedAt, forKey: .updatedAt)
            try c.encode(approval, forKey: .approval)
        }

        init(_ v: PlanVersion) {
            let t = v.template
            id = v.id.lower
            number = v.number
            status = v.status.rawValue
            supersedes = v.supersedes?.lower
            template = TemplateRef(id: t.templateId.lower, versionId: t.id.lower, version: t.version,
                                   name: t.definition.name, isExample: t.definition.isExample, modality: t.definition.modality.rawValue,
                                   deviceType: t.definition.deviceType?.rawValue)
            assessmentId = v.assessmentId?.lower
            sessions = v.content.sessions
            intervalDays = v.content.intervalDays
            depths = Dictionary(uniqueKeysWithValues: v.content.zoneDepths.map { ($0.key.rawValue, $0.value.millimetres) })
            adjuncts = v.content.adjuncts.map(\.rawValue)
            rationale = v.content.rationale
            createdAt = v.createdAt
            createdBy = v.createdBy
            updatedAt = v.updatedAt
            approval = v.approval.map {
                Approval(approvedAt: $0.approvedAt, approvedBy: $0.approvedBy, intakeId: $0.intakeId?.lower,
                         ruleSetVersion: $0.ruleSetVersion, screeningOutcome: $0.screeningOutcome.rawValue)
            }
        }
    }

    struct CheckJSON: Encodable {
        var canApprove: Bool
        var blockers: [PlanApprovalIssue]
        var cautions: [PlanApprovalIssue]
    }

    init(_ p: TreatmentPlan, hints: [PlanHint]? = nil, check: PlanApproval.Check? = nil) {
        id = p.id.lower
        patientId = p.patientId.lower
        version = p.version
        createdAt = p.createdAt
        currentVersionId = p.current.id.lower
        inForceVersionId = p.inForce?.id.lower
        versions = p.versions.map(VersionJSON.init)
        self.hints = hints
        approvalCheck = check.map { CheckJSON(canApprove: $0.canApprove, blockers: $0.blockers, cautions: $0.cautions) }
    }
}
