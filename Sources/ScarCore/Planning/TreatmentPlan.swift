import Foundation

/// What a practitioner plans for one patient, adjusted from a template version.
public struct PlanContent: Sendable, Hashable, Codable {
    public var sessions: Int
    public var intervalDays: Int
    /// Target device setting per zone; zones left out have no planned depth.
    public var zoneDepths: [FacialZone: NeedleDepth]
    public var adjuncts: [Adjunct]
    public var rationale: String?

    public init(sessions: Int, intervalDays: Int, zoneDepths: [FacialZone: NeedleDepth] = [:], adjuncts: [Adjunct] = [],
                rationale: String? = nil) {
        self.sessions = sessions
        self.intervalDays = intervalDays
        self.zoneDepths = zoneDepths
        self.adjuncts = Adjunct.allCases.filter(adjuncts.contains)
        self.rationale = rationale
    }

    /// A new plan starts from the template's defaults (its zone depths and adjuncts included).
    public init(defaultsOf t: ProtocolTemplateDefinition) {
        self.init(sessions: t.sessionsDefault, intervalDays: t.intervalDaysDefault, zoneDepths: t.zoneDepths, adjuncts: t.adjuncts)
    }

    private enum CodingKeys: String, CodingKey { case sessions, intervalDays, zoneDepths, adjuncts, rationale }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let depths = try c.decodeIfPresent([String: NeedleDepth].self, forKey: .zoneDepths) ?? [:]
        self.init(sessions: try c.decode(Int.self, forKey: .sessions), intervalDays: try c.decode(Int.self, forKey: .intervalDays),
                  zoneDepths: Dictionary(uniqueKeysWithValues: depths.compactMap { k, v in FacialZone(rawValue: k).map { ($0, v) } }),
                  adjuncts: try c.decodeIfPresent([Adjunct].self, forKey: .adjuncts) ?? [],
                  rationale: try c.decodeIfPresent(String.self, forKey: .rationale))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sessions, forKey: .sessions)
        try c.encode(intervalDays, forKey: .intervalDays)
        try c.encode(Dictionary(uniqueKeysWithValues: zoneDepths.map { ($0.key.rawValue, $0.value) }), forKey: .zoneDepths)
        try c.encode(adjuncts, forKey: .adjuncts)
        try c.encode(rationale, forKey: .rationale)
    }
}

public enum PlanStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Being prepared; edits change this version in place.
    case draft
    /// Approved by a practitioner; never changed again. An edit creates a new version.
    case approved
    /// An approved version replaced by a later approved version; still readable.
    case superseded

    public var label: String {
        switch self {
        case .draft: "Draft"
        case .approved: "Approved"
        case .superseded: "Superseded"
        }
    }
}

/// The raw input of a plan (form or API) as text keyed by field name: `sessions`,
/// `intervalDays`, `depths.<zone>`, `rationale`, and the `adjuncts` list.
public struct PlanInput: Sendable, Equatable {
    public var values: [String: String]
    public var adjuncts: [String]

    public init(_ values: [String: String] = [:], adjuncts: [String] = []) {
        self.values = values
        self.adjuncts = adjuncts
    }

    public subscript(_ field: String) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }

    public static func depthField(_ zone: FacialZone) -> String { "depths.\(zone.rawValue)" }
    public static var fieldNames: [String] { ["sessions", "intervalDays", "rationale"] + FacialZone.allCases.map(depthField) }
    public static let maxRationaleLength = 4000

    /// The input that shows stored content (edits and merge patches start from it).
    public init(_ c: PlanContent) {
        var v = ["sessions": String(c.sessions), "intervalDays": String(c.intervalDays)]
        for (zone, depth) in c.zoneDepths { v[Self.depthField(zone)] = depth.description }
        if let r = c.rationale { v["rationale"] = r }
        self.init(v, adjuncts: c.adjuncts.map(\.rawValue))
    }

    /// Checks every field against the template version the plan follows and reports all
    /// problems at once: sessions within the template's range, the interval within the
    /// clinic's minimum and maximum, depths in 0.05 mm steps and never above the device limit.
    public func validate(against t: ProtocolTemplateDefinition) -> Result<PlanContent, ValidationFailure> {
        var errors: [FieldError] = []

        func whole(_ field: String, range: ClosedRange<Int>, what: String) -> Int? {
            guard let raw = Text.trimmed(values[field]) else {
                errors.append(FieldError(field, "is required"))
                return nil
            }
            guard raw.count <= 6, raw.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.decimalDigits.contains($0) }), let n = Int(raw) else {
                errors.append(FieldError(field, "must be a whole number, got \(raw)"))
                return nil
            }
            guard range.contains(n) else {
                errors.append(FieldError(field, "must be within \(what) (\(range.lowerBound)–\(range.upperBound)), got \(n)"))
                return nil
            }
            return n
        }

        let sessions = whole("sessions", range: t.sessionsMin...t.sessionsMax, what: "the template's range of sessions")
        let interval = whole("intervalDays", range: t.intervalDaysMin...t.intervalDaysMax, what: "the clinic's minimum and maximum interval in days")

        var depths: [FacialZone: NeedleDepth] = [:]
        for zone in FacialZone.allCases {
            let field = Self.depthField(zone)
            guard let raw = Text.trimmed(values[field]) else { continue }
            switch NeedleDepth.parse(raw) {
            case .failure(let e):
                errors.append(FieldError(field, e.message))
            case .success(let d):
                guard let limit = t.deviceDepthLimit else {
                    errors.append(FieldError(field, "cannot be planned: the template has no device depth limit (an admin enters the device's labelled maximum penetration depth first)"))
                    continue
                }
                if d > limit {
                    errors.append(FieldError(field, "is above the device depth limit of \(limit) mm and is refused"))
                } else {
                    depths[zone] = d
                }
            }
        }

        var adjuncts: [Adjunct] = []
        for raw in self.adjuncts.compactMap({ Text.trimmed($0) }) {
            if let a = Adjunct(rawValue: raw) { adjuncts.append(a) } else {
                errors.append(FieldError("adjuncts", "must be from \(Adjunct.allCases.map(\.rawValue).joined(separator: ", ")), got \(raw)"))
            }
        }

        let rationale = Text.trimmed(values["rationale"])
        if let rationale {
            if rationale.count > Self.maxRationaleLength {
                errors.append(FieldError("rationale", "must be at most \(Self.maxRationaleLength) characters"))
            }
            if rationale.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }) {
                errors.append(FieldError("rationale", "must not contain control characters"))
            }
        }

        guard errors.isEmpty, let sessions, let interval else { return .failure(ValidationFailure(errors)) }
        return .success(PlanContent(sessions: sessions, intervalDays: interval, zoneDepths: depths, adjuncts: adjuncts, rationale: rationale))
    }
}

/// Who approved a plan version, when, and against which screening.
public struct PlanApprovalRecord: Sendable, Hashable, Codable {
    public var approvedAt: Date
    public var approvedById: UUID?
    public var approvedBy: String
    /// The intake whose screening cleared the plan, and the rule set it was screened with.
    public var intakeId: UUID?
    public var ruleSetVersion: String
    public var screeningOutcome: ScreeningOutcome

    public init(approvedAt: Date, approvedById: UUID?, approvedBy: String, intakeId: UUID?, ruleSetVersion: String,
                screeningOutcome: ScreeningOutcome) {
        self.approvedAt = approvedAt
        self.approvedById = approvedById
        self.approvedBy = approvedBy
        self.intakeId = intakeId
        self.ruleSetVersion = ruleSetVersion
        self.screeningOutcome = screeningOutcome
    }
}

/// One version of a treatment plan. `planId` is stable across versions; sessions reference
/// `id` (the plan version they followed).
public struct PlanVersion: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var planId: UUID
    public var number: Int
    /// The approved version this one replaces, for versions made after an approval.
    public var supersedes: UUID?
    public var status: PlanStatus
    public var template: ProtocolTemplateVersion
    /// The scar assessment the plan was made from (the latest when it was saved).
    public var assessmentId: UUID?
    public var content: PlanContent
    public var createdAt: Date
    public var createdBy: String
    public var updatedAt: Date
    public var approval: PlanApprovalRecord?

    public init(id: UUID, planId: UUID, number: Int, supersedes: UUID?, status: PlanStatus, template: ProtocolTemplateVersion,
                assessmentId: UUID?, content: PlanContent, createdAt: Date, createdBy: String, updatedAt: Date,
                approval: PlanApprovalRecord?) {
        self.id = id
        self.planId = planId
        self.number = number
        self.supersedes = supersedes
        self.status = status
        self.template = template
        self.assessmentId = assessmentId
        self.content = content
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.approval = approval
    }

    public var modality: Modality { template.definition.modality }
}

/// A patient's treatment plan: every version, newest first. `version` is the optimistic
/// concurrency token (ETag) of the whole plan; it changes with every save and approval.
public struct TreatmentPlan: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var clinicId: UUID
    public var patientId: UUID
    public var version: Int
    public var createdAt: Date
    /// Newest first; never empty.
    public var versions: [PlanVersion]

    public init(id: UUID, clinicId: UUID, patientId: UUID, version: Int, createdAt: Date, versions: [PlanVersion]) {
        self.id = id
        self.clinicId = clinicId
        self.patientId = patientId
        self.version = version
        self.createdAt = createdAt
        self.versions = versions
    }

    public var current: PlanVersion { versions[0] }
    /// The version sessions follow now: the latest approved one, if any.
    public var inForce: PlanVersion? { versions.first { $0.status == .approved } }
}
