import Foundation

/// Mechanical microneedling device types (domain reference §4.4). RF microneedling is its own
/// modality, so it is not listed here.
public enum MechanicalDeviceType: String, Sendable, Hashable, Codable, CaseIterable {
    case pen
    case roller
    case stamp

    public var label: String {
        switch self {
        case .pen: "Motorized pen"
        case .roller: "Roller (dermaroller)"
        case .stamp: "Stamp"
        }
    }
}

/// Procedures combined with microneedling (domain reference §4.6).
public enum Adjunct: String, Sendable, Hashable, Codable, CaseIterable {
    case prp
    case subcision
    case tcaCross = "tca-cross"
    case laser

    public var label: String {
        switch self {
        case .prp: "PRP"
        case .subcision: "Subcision"
        case .tcaCross: "TCA CROSS"
        case .laser: "Laser"
        }
    }

    /// The evidence the reference gives for the combination (§4.6), shown beside the choice.
    public var source: String {
        switch self {
        case .prp: "Kang C, Lu D. Front Med 2021 (meta-analysis, 14 studies, 472 patients); Sharma S, Kaur T, Bassi R. J Pak Assoc Dermatol (split-face study)"
        case .subcision: "Bhargava S, et al. J Clin Aesthet Dermatol 2019 (45 patients, 4 sessions 4 weeks apart)"
        case .tcaCross: "TCA CROSS is the standard focal option for ice pick scars; its combination with microneedling is mentioned in reviews (Tam C, et al. CCID 2022)"
        case .laser: "Juhasz MLW, Cohen JL. CCID 2020 (combination with surgical, topical or systemic modalities)"
        }
    }
}

/// RF needle insulation (domain reference §4.5).
public enum RFInsulation: String, Sendable, Hashable, Codable, CaseIterable {
    case insulated
    case nonInsulated = "non-insulated"
    case partiallyInsulated = "partially-insulated"

    public var label: String {
        switch self {
        case .insulated: "Insulated"
        case .nonInsulated: "Non-insulated"
        case .partiallyInsulated: "Partially insulated"
        }
    }
}

/// RF electrode configuration (domain reference §4.5).
public enum RFElectrode: String, Sendable, Hashable, Codable, CaseIterable {
    case bipolar
    case monopolar

    public var label: String { rawValue.capitalized }
}

/// A needle depth device setting in millimetres, held as hundredths of a millimetre so the
/// 0.05 mm resolution of the reference (§4.2) is exact.
public struct NeedleDepth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let hundredths: Int

    public init(hundredths: Int) { self.hundredths = hundredths }

    /// The resolution the reference asks for: "decimal with 0.05 mm resolution" (§4.2).
    public static let stepHundredths = 5

    public var millimetres: Double { Double(hundredths) / 100 }

    /// "1.50", "0.25".
    public var description: String { String(format: "%d.%02d", hundredths / 100, hundredths % 100) }

    /// Reads a typed depth such as `1.5`, `1.55` or `0.25`. Refuses anything that is not a
    /// positive decimal in 0.05 mm steps; the message names the problem.
    public static func parse(_ raw: String) -> Result<NeedleDepth, ParseError> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard !text.isEmpty, text.count <= 8, parts.count <= 2,
              parts.allSatisfy({ $0.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.decimalDigits.contains($0) } }),
              !(parts[0].isEmpty && (parts.count == 1 || parts[1].isEmpty))
        else { return .failure(ParseError("must be a depth in mm, e.g. 1.5, got \(raw)")) }
        let whole = Int(parts[0].isEmpty ? "0" : String(parts[0])) ?? 0
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
        guard fraction.count <= 2 else { return .failure(ParseError("must be in 0.05 mm steps, got \(raw)")) }
        let hundredths = whole * 100 + (Int(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0)
        guard hundredths > 0 else { return .failure(ParseError("must be more than 0 mm")) }
        guard hundredths % stepHundredths == 0 else { return .failure(ParseError("must be in 0.05 mm steps, got \(raw)")) }
        return .success(NeedleDepth(hundredths: hundredths))
    }

    /// Why a typed depth was refused, in words for the field's message.
    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    public static func < (a: NeedleDepth, b: NeedleDepth) -> Bool { a.hundredths < b.hundredths }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard case .success(let d) = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad needle depth \(text)")
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// RF microneedling parameters the reference says to record (§4.5). Free fields: the product
/// ships no default for any of them.
public struct RFParameters: Sendable, Hashable, Codable {
    /// mJ per pin.
    public var energyPerPinMJ: Double?
    public var pinCount: Int?
    /// Pulse duration / conduction time in ms ("record it anyway", §4.5).
    public var pulseDurationMs: Double?
    public var insulation: RFInsulation?
    public var electrode: RFElectrode?

    public init(energyPerPinMJ: Double? = nil, pinCount: Int? = nil, pulseDurationMs: Double? = nil,
                insulation: RFInsulation? = nil, electrode: RFElectrode? = nil) {
        self.energyPerPinMJ = energyPerPinMJ
        self.pinCount = pinCount
        self.pulseDurationMs = pulseDurationMs
        self.insulation = insulation
        self.electrode = electrode
    }

    public var isEmpty: Bool { self == RFParameters() }
}

/// Which default of a template a source backs; the keys of `ProtocolTemplateDefinition.sources`.
public enum TemplateSourceKey: String, Sendable, Hashable, Codable, CaseIterable {
    case sessions
    case interval
    case intervalRange
    case depths
    case deviceDepthLimit
    case adjuncts
    case rf
    case postCare

    public var label: String {
        switch self {
        case .sessions: "Sessions"
        case .interval: "Interval"
        case .intervalRange: "Interval minimum and maximum"
        case .depths: "Zone depths"
        case .deviceDepthLimit: "Device depth limit"
        case .adjuncts: "Adjuncts"
        case .rf: "RF parameters"
        case .postCare: "Post-care"
        }
    }
}

/// One version of a clinic's protocol template: what a plan starts from. Every default carries
/// its source (Decision 8); zone depths are the clinic's own (Decision 4: nothing hard-coded).
public struct ProtocolTemplateDefinition: Sendable, Hashable, Codable {
    public var name: String
    /// Shipped examples say so until the clinic has adjusted them.
    public var isExample: Bool
    public var modality: Modality
    /// Required for mechanical microneedling; nil for RF microneedling.
    public var deviceType: MechanicalDeviceType?
    public var adjuncts: [Adjunct]
    public var sessionsMin: Int
    public var sessionsMax: Int
    public var sessionsDefault: Int
    public var intervalDaysDefault: Int
    public var intervalDaysMin: Int
    public var intervalDaysMax: Int
    /// Target device setting per zone; a zone left out has no target yet.
    public var zoneDepths: [FacialZone: NeedleDepth]
    /// The device's labelled maximum penetration depth (21 CFR 878.4430, reference §4.4); no
    /// depth may be planned above it, and none at all while it is unknown.
    public var deviceDepthLimit: NeedleDepth?
    /// Only for RF microneedling.
    public var rf: RFParameters?
    public var postCare: String?
    public var sources: [TemplateSourceKey: String]

    public init(name: String, isExample: Bool, modality: Modality, deviceType: MechanicalDeviceType?, adjuncts: [Adjunct],
                sessionsMin: Int, sessionsMax: Int, sessionsDefault: Int, intervalDaysDefault: Int, intervalDaysMin: Int,
                intervalDaysMax: Int, zoneDepths: [FacialZone: NeedleDepth] = [:], deviceDepthLimit: NeedleDepth? = nil,
                rf: RFParameters? = nil, postCare: String? = nil, sources: [TemplateSourceKey: String] = [:]) {
        self.name = name
        self.isExample = isExample
        self.modality = modality
        self.deviceType = deviceType
        self.adjuncts = Adjunct.allCases.filter(adjuncts.contains)
        self.sessionsMin = sessionsMin
        self.sessionsMax = sessionsMax
        self.sessionsDefault = sessionsDefault
        self.intervalDaysDefault = intervalDaysDefault
        self.intervalDaysMin = intervalDaysMin
        self.intervalDaysMax = intervalDaysMax
        self.zoneDepths = zoneDepths
        self.deviceDepthLimit = deviceDepthLimit
        self.rf = rf
        self.postCare = postCare
        self.sources = sources
    }

    public func source(_ key: TemplateSourceKey) -> String? { sources[key] }

    // Dictionaries keyed by enums are stored as JSON objects keyed by the raw value.
    private enum CodingKeys: String, CodingKey {
        case name, isExample, modality, deviceType, adjuncts, sessionsMin, sessionsMax, sessionsDefault, intervalDaysDefault,
             intervalDaysMin, intervalDaysMax, zoneDepths, deviceDepthLimit, rf, postCare, sources
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let depths = try c.decodeIfPresent([String: NeedleDepth].self, forKey: .zoneDepths) ?? [:]
        let sources = try c.decodeIfPresent([String: String].self, forKey: .sources) ?? [:]
        self.init(
            name: try c.decode(String.self, forKey: .name), isExample: try c.decode(Bool.self, forKey: .isExample),
            modality: try c.decode(Modality.self, forKey: .modality), deviceType: try c.decodeIfPresent(MechanicalDeviceType.self, forKey: .deviceType),
            adjuncts: try c.decode([Adjunct].self, forKey: .adjuncts), sessionsMin: try c.decode(Int.self, forKey: .sessionsMin),
            sessionsMax: try c.decode(Int.self, forKey: .sessionsMax), sessionsDefault: try c.decode(Int.self, forKey: .sessionsDefault),
            intervalDaysDefault: try c.decode(Int.self, forKey: .intervalDaysDefault),
            intervalDaysMin: try c.decode(Int.self, forKey: .intervalDaysMin), intervalDaysMax: try c.decode(Int.self, forKey: .intervalDaysMax),
            zoneDepths: Dictionary(uniqueKeysWithValues: depths.compactMap { k, v in FacialZone(rawValue: k).map { ($0, v) } }),
            deviceDepthLimit: try c.decodeIfPresent(NeedleDepth.self, forKey: .deviceDepthLimit),
            rf: try c.decodeIfPresent(RFParameters.self, forKey: .rf), postCare: try c.decodeIfPresent(String.self, forKey: .postCare),
            sources: Dictionary(uniqueKeysWithValues: sources.compactMap { k, v in TemplateSourceKey(rawValue: k).map { ($0, v) } }))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
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
        try c.encode(Dictionary(uniqueKeysWithValues: zoneDepths.map { ($0.key.rawValue, $0.value) }), forKey: .zoneDepths)
        try c.encode(deviceDepthLimit, forKey: .deviceDepthLimit)
        try c.encode(rf, forKey: .rf)
        try c.encode(postCare, forKey: .postCare)
        try c.encode(Dictionary(uniqueKeysWithValues: sources.map { ($0.key.rawValue, $0.value) }), forKey: .sources)
    }
}

/// A stored template version. Plans keep pointing at the version they were made from.
public struct ProtocolTemplateVersion: Sendable, Hashable, Identifiable {
    /// The version's own id (what plans reference).
    public var id: UUID
    /// The stable template id shared by all its versions.
    public var templateId: UUID
    public var version: Int
    public var createdAt: Date
    public var createdBy: String
    public var definition: ProtocolTemplateDefinition

    public init(id: UUID, templateId: UUID, version: Int, createdAt: Date, createdBy: String, definition: ProtocolTemplateDefinition) {
        self.id = id
        self.templateId = templateId
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.definition = definition
    }
}
