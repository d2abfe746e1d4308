import Foundation

/// Any resource ScarTrack serves, with what search and `$everything` need to know of it.
public enum FHIRResource: Encodable, Sendable {
    case patient(FHIRPatient), organization(FHIROrganization), practitioner(FHIRPractitioner), location(FHIRLocation)
    case condition(FHIRCondition), observation(FHIRObservation), procedure(FHIRProcedure), device(FHIRDevice)
    case consent(FHIRConsent), adverseEvent(FHIRAdverseEvent), appointment(FHIRAppointment), carePlan(FHIRCarePlan)
    case provenance(FHIRProvenance)
    case questionnaire(FHIRQuestionnaire), questionnaireResponse(FHIRQuestionnaireResponse)
    case media(FHIRMedia), researchStudy(FHIRResearchStudy), researchSubject(FHIRResearchSubject)

    public var resourceType: String {
        switch self {
        case .patient(let r): r.resourceType
        case .organization(let r): r.resourceType
        case .practitioner(let r): r.resourceType
        case .location(let r): r.resourceType
        case .condition(let r): r.resourceType
        case .observation(let r): r.resourceType
        case .procedure(let r): r.resourceType
        case .device(let r): r.resourceType
        case .consent(let r): r.resourceType
        case .adverseEvent(let r): r.resourceType
        case .appointment(let r): r.resourceType
        case .carePlan(let r): r.resourceType
        case .provenance(let r): r.resourceType
        case .questionnaire(let r): r.resourceType
        case .questionnaireResponse(let r): r.resourceType
        case .media(let r): r.resourceType
        case .researchStudy(let r): r.resourceType
        case .researchSubject(let r): r.resourceType
        }
    }

    public var id: String {
        switch self {
        case .patient(let r): r.id
        case .organization(let r): r.id
        case .practitioner(let r): r.id
        case .location(let r): r.id
        case .condition(let r): r.id
        case .observation(let r): r.id
        case .procedure(let r): r.id
        case .device(let r): r.id
        case .consent(let r): r.id
        case .adverseEvent(let r): r.id
        case .appointment(let r): r.id
        case .carePlan(let r): r.id
        case .provenance(let r): r.id
        case .questionnaire(let r): r.id
        case .questionnaireResponse(let r): r.id
        case .media(let r): r.id
        case .researchStudy(let r): r.id
        case .researchSubject(let r): r.id
        }
    }

    public var meta: Meta {
        switch self {
        case .patient(let r): r.meta
        case .organization(let r): r.meta
        case .practitioner(let r): r.meta
        case .location(let r): r.meta
        case .condition(let r): r.meta
        case .observation(let r): r.meta
        case .procedure(let r): r.meta
        case .device(let r): r.meta
        case .consent(let r): r.meta
        case .adverseEvent(let r): r.meta
        case .appointment(let r): r.meta
        case .carePlan(let r): r.meta
        case .provenance(let r): r.meta
        case .questionnaire(let r): r.meta
        case .questionnaireResponse(let r): r.meta
        case .media(let r): r.meta
        case .researchStudy(let r): r.meta
        case .researchSubject(let r): r.meta
        }
    }

    /// The day (or instant) the `date` search parameter compares, as FHIR text.
    public var searchDate: String? {
        switch self {
        case .observation(let r): r.effectiveDateTime
        case .procedure(let r): r.performedDateTime
        case .condition(let r): r.recordedDate
        case .adverseEvent(let r): r.date
        case .consent(let r): r.dateTime
        case .appointment(let r): r.start
        case .carePlan(let r): r.period?.start
        case .provenance(let r): r.recorded
        case .questionnaireResponse(let r): r.authored
        case .media(let r): r.createdDateTime
        default: nil
        }
    }

    /// The value the `status` search parameter compares.
    public var searchStatus: String? {
        switch self {
        case .observation(let r): r.status
        case .procedure(let r): r.status
        case .consent(let r): r.status
        case .appointment(let r): r.status
        case .carePlan(let r): r.status
        case .device(let r): r.status
        case .location(let r): r.status
        case .questionnaire(let r): r.status
        case .questionnaireResponse(let r): r.status
        case .media(let r): r.status
        case .researchStudy(let r): r.status
        case .researchSubject(let r): r.status
        case .condition(let r): r.clinicalStatus.coding?.first?.code
        default: nil
        }
    }

    /// The canonical URL the `questionnaire` search parameter compares (`url|version`).
    public var searchQuestionnaire: String? {
        if case .questionnaireResponse(let r) = self { return r.questionnaire }
        return nil
    }

    /// The codes the `code` search parameter matches (`code` or `system|code`).
    public var searchCodes: [Coding] {
        switch self {
        case .observation(let r): r.code.coding ?? []
        case .procedure(let r): r.code.coding ?? []
        case .condition(let r): r.code.coding ?? []
        case .adverseEvent(let r): r.event.coding ?? []
        case .device(let r): r.type.coding ?? []
        default: []
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .patient(let r): try r.encode(to: encoder)
        case .organization(let r): try r.encode(to: encoder)
        case .practitioner(let r): try r.encode(to: encoder)
        case .location(let r): try r.encode(to: encoder)
        case .condition(let r): try r.encode(to: encoder)
        case .observation(let r): try r.encode(to: encoder)
        case .procedure(let r): try r.encode(to: encoder)
        case .device(let r): try r.encode(to: encoder)
        case .consent(let r): try r.encode(to: encoder)
        case .adverseEvent(let r): try r.encode(to: encoder)
        case .appointment(let r): try r.encode(to: encoder)
        case .carePlan(let r): try r.encode(to: encoder)
        case .provenance(let r): try r.encode(to: encoder)
        case .questionnaire(let r): try r.encode(to: encoder)
        case .questionnaireResponse(let r): try r.encode(to: encoder)
        case .media(let r): try r.encode(to: encoder)
        case .researchStudy(let r): try r.encode(to: encoder)
        case .researchSubject(let r): try r.encode(to: encoder)
        }
    }
}

public struct FHIRBundle: Encodable, Sendable {
    public let resourceType = "Bundle"
    public var id: String
    public var meta: BundleMeta
    public var type = "searchset"
    public var total: Int
    public var link: [Link]
    public var entry: [Entry]?

    public struct BundleMeta: Encodable, Sendable {
        public var lastUpdated: String
    }

    public struct Link: Encodable, Sendable {
        public var relation: String
        public var url: String
        public init(relation: String, url: String) {
            self.relation = relation
            self.url = url
        }
    }

    public struct Entry: Encodable, Sendable {
        public var fullUrl: String
        /// A served resource, or one served apart from the `FHIRResource` set (a Group).
        public var resource: any Encodable & Sendable
        public var search: Search
        public init(fullUrl: String, resource: FHIRResource, search: Search) {
            self.fullUrl = fullUrl
            self.resource = resource
            self.search = search
        }

        public init(fullUrl: String, other resource: some Encodable & Sendable, search: Search) {
            self.fullUrl = fullUrl
            self.resource = resource
            self.search = search
        }

        enum CodingKeys: String, CodingKey { case fullUrl, resource, search }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(fullUrl, forKey: .fullUrl)
            try c.encode(resource, forKey: .resource)
            try c.encode(search, forKey: .search)
        }
    }

    public struct Search: Encodable, Sendable {
        public var mode: String
        public init(mode: String) { self.mode = mode }
    }

    public init(id: String, lastUpdated: Date, total: Int, link: [Link], entry: [Entry]) {
        self.id = id
        self.meta = BundleMeta(lastUpdated: FHIRTime.instant(lastUpdated))
        self.total = total
        self.link = link
        self.entry = entry.nonEmpty
    }
}

public struct OperationOutcome: Encodable, Sendable {
    public let resourceType = "OperationOutcome"
    public var issue: [Issue]

    public struct Issue: Encodable, Sendable {
        public var severity: String
        public var code: String
        public var diagnostics: String?
        /// The parameter or element at fault, when one is named (R4 `issue.expression`).
        public var expression: [String]?
    }

    /// One error issue; `code` from the R4 issue-type value set, chosen from the HTTP status.
    public init(status: Int, diagnostics: String?, expression: [String] = []) {
        let code = switch status {
        case 401: "login"
        case 403: "forbidden"
        case 404: "not-found"
        case 409, 412: "conflict"
        case 413: "too-costly"
        case 429: "throttled"
        case 400, 422: "invalid"
        case 400..<500: "processing"
        default: "exception"
        }
        issue = [Issue(severity: status >= 500 ? "fatal" : "error", code: code, diagnostics: diagnostics, expression: expression.isEmpty ? nil : expression)]
    }
}

/// The encoder every FHIR response uses: sorted keys (stable output), no escaped slashes.
public enum FHIRJSON {
    /// One encoder for every call (its options never change after this, and encoding with it is
    /// safe from any thread): an export encodes every resource, and making an encoder per
    /// resource cost more than the encoding.
    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    public static func encode(_ value: some Encodable) throws -> Data {
        try encoder.encode(value)
    }
}
