import Foundation

/// Endpoint observed per zone (reference §4.3: the field must allow none / erythema /
/// pinpoint bleeding / petechiae, since non-insulated RF MN produced no bleeding points).
public enum Endpoint: String, Sendable, Codable, CaseIterable, Hashable {
    case uniformErythema = "uniform-erythema"
    case pinpointBleeding = "pinpoint-bleeding"
    case petechiae
    case none

    public var label: String {
        switch self {
        case .uniformErythema: "Uniform erythema"
        case .pinpointBleeding: "Pinpoint bleeding"
        case .petechiae: "Petechiae"
        case .none: "None"
        }
    }
}

/// Pass pattern per zone (reference §4.3; the pattern itself is [NC]).
public enum PassPattern: String, Sendable, Codable, CaseIterable, Hashable {
    case horizontal, vertical, diagonal, crosshatch
}

public enum Insulation: String, Sendable, Codable, CaseIterable, Hashable {
    case insulated
    case nonInsulated = "non-insulated"
    case partiallyInsulated = "partially-insulated"
}

public enum Electrode: String, Sendable, Codable, CaseIterable, Hashable {
    case bipolar, monopolar
}

public struct ZoneTreatment: Sendable, Codable, Equatable {
    public var zone: FacialZone
    public var depthMm: Double
    public var passes: Int
    public var pattern: PassPattern?
    public var endpoint: Endpoint
    /// Required when the depth is above the clinic's configured maximum.
    public var depthReason: String?
}

public struct Anesthetic: Sendable, Codable, Equatable {
    public var agent: String
    public var concentration: String?
    public var lotId: UUID?
    public var minutesApplied: Int
    public var removed: Bool

    /// Ids are written lower case (`UUID.lower`), as everywhere else.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(agent, forKey: .agent)
        try c.encodeIfPresent(concentration, forKey: .concentration)
        try c.encodeIfPresent(lotId?.lower, forKey: .lotId)
        try c.encode(minutesApplied, forKey: .minutesApplied)
        try c.encode(removed, forKey: .removed)
    }
}

public struct TopicalApplication: Sendable, Codable, Equatable {
    public var product: String
    public var lotId: UUID?
    /// Set by the chart when the product is, or is named as, a vitamin C preparation.
    public var vitaminC: Bool

    /// Ids are written lower case (`UUID.lower`), as everywhere else.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(product, forKey: .product)
        try c.encodeIfPresent(lotId?.lower, forKey: .lotId)
        try c.encode(vitaminC, forKey: .vitaminC)
    }
}

/// RF parameters of reference §4.5.
public struct RFSettings: Sendable, Codable, Equatable {
    public var energyMJPerPin: Double?
    public var pinCount: Int?
    public var pulseDurationMs: Double?
    public var insulation: Insulation?
    public var electrode: Electrode?
    public var frequencyMHz: Double?
}

/// Expected immediate reactions, charted as sequelae, not adverse events (reference §7.2, Decision 6).
public struct ImmediateReactions: Sendable, Codable, Equatable {
    public var erythema: Bool
    public var edema: Bool
    public var pinpointBleeding: Bool
    public var painScore: Int?

    public init(erythema: Bool = false, edema: Bool = false, pinpointBleeding: Bool = false, painScore: Int? = nil) {
        self.erythema = erythema
        self.edema = edema
        self.pinpointBleeding = pinpointBleeding
        self.painScore = painScore
    }
}

/// The session chart as validated: what is stored with the session and signed.
public struct SessionChart: Sendable, Codable, Equatable {
    public var performedOn: CalendarDate
    public var modality: Modality
    public var deviceId: UUID
    public var cartridgeLotId: UUID?
    public var anesthetic: Anesthetic?
    public var zones: [ZoneTreatment]
    public var topicals: [TopicalApplication]
    public var rf: RFSettings?
    public var durationMinutes: Int?
    public var reactions: ImmediateReactions
    public var notes: String?

    /// Every lot the chart names (cartridge, anesthetic, topicals), for recall.
    public var lotIds: [(role: String, id: UUID)] {
        var ids: [(String, UUID)] = []
        if let c = cartridgeLotId { ids.append(("cartridge", c)) }
        if let a = anesthetic?.lotId { ids.append(("anesthetic", a)) }
        for t in topicals { if let l = t.lotId { ids.append(("topical", l)) } }
        return ids
    }

    /// Ids are written lower case (`UUID.lower`), as everywhere else; stored charts written
    /// before that (upper case) read back the same, since `UUID` parses either.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(performedOn, forKey: .performedOn)
        try c.encode(modality, forKey: .modality)
        try c.encode(deviceId.lower, forKey: .deviceId)
        try c.encodeIfPresent(cartridgeLotId?.lower, forKey: .cartridgeLotId)
        try c.encodeIfPresent(anesthetic, forKey: .anesthetic)
        try c.encode(zones, forKey: .zones)
        try c.encode(topicals, forKey: .topicals)
        try c.encodeIfPresent(rf, forKey: .rf)
        try c.encodeIfPresent(durationMinutes, forKey: .durationMinutes)
        try c.encode(reactions, forKey: .reactions)
        try c.encodeIfPresent(notes, forKey: .notes)
    }
}

/// A warning shown beside the chart; it does not stop saving. Carries its source (Decision 8).
public struct ChartWarning: Sendable, Codable, Equatable {
    public var code: String
    public var field: String
    public var message: String
    public var source: String
}
