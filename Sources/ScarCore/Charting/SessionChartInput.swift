import Foundation

extension SessionChart {
    /// The raw chart as typed into the form or sent as JSON: every field optional, checked by `validate`.
    public struct Input: Sendable, Codable, Equatable {
        public var performedOn: String?
        public var modality: String?
        public var deviceId: String?
        public var cartridgeLotId: String?
        public var anesthetic: AnestheticInput?
        public var zones: [ZoneInput]?
        public var topicals: [TopicalInput]?
        public var rf: RFSettingsInput?
        public var durationMinutes: Int?
        public var reactions: ReactionsInput?
        public var notes: String?

        public init(performedOn: String? = nil, modality: String? = nil, deviceId: String? = nil, cartridgeLotId: String? = nil,
                    anesthetic: AnestheticInput? = nil, zones: [ZoneInput]? = nil, topicals: [TopicalInput]? = nil,
                    rf: RFSettingsInput? = nil, durationMinutes: Int? = nil, reactions: ReactionsInput? = nil, notes: String? = nil) {
            self.performedOn = performedOn
            self.modality = modality
            self.deviceId = deviceId
            self.cartridgeLotId = cartridgeLotId
            self.anesthetic = anesthetic
            self.zones = zones
            self.topicals = topicals
            self.rf = rf
            self.durationMinutes = durationMinutes
            self.reactions = reactions
            self.notes = notes
        }

        /// The input that reproduces a stored chart (used for defaults and amendments).
        public init(_ c: SessionChart) {
            self.init(performedOn: c.performedOn.description, modality: c.modality.rawValue, deviceId: c.deviceId.lower,
                      cartridgeLotId: c.cartridgeLotId?.lower,
                      anesthetic: c.anesthetic.map { AnestheticInput(agent: $0.agent, concentration: $0.concentration,
                                                                     lotId: $0.lotId?.lower,
                                                                     minutesApplied: $0.minutesApplied, removed: $0.removed) },
                      zones: c.zones.map { ZoneInput(zone: $0.zone.rawValue, depthMm: $0.depthMm, passes: $0.passes,
                                                     pattern: $0.pattern?.rawValue, endpoint: $0.endpoint.rawValue, depthReason: $0.depthReason) },
                      topicals: c.topicals.map { TopicalInput(product: $0.product, lotId: $0.lotId?.lower, vitaminC: $0.vitaminC) },
                      rf: c.rf.map { RFSettingsInput(energyMJPerPin: $0.energyMJPerPin, pinCount: $0.pinCount, pulseDurationMs: $0.pulseDurationMs,
                                                     insulation: $0.insulation?.rawValue, electrode: $0.electrode?.rawValue,
                                                     frequencyMHz: $0.frequencyMHz) },
                      durationMinutes: c.durationMinutes,
                      reactions: ReactionsInput(erythema: c.reactions.erythema, edema: c.reactions.edema,
                                                pinpointBleeding: c.reactions.pinpointBleeding, painScore: c.reactions.painScore),
                      notes: c.notes)
        }
    }

    public struct AnestheticInput: Sendable, Codable, Equatable {
        public var agent: String?
        public var concentration: String?
        public var lotId: String?
        public var minutesApplied: Int?
        public var removed: Bool?
        public init(agent: String? = nil, concentration: String? = nil, lotId: String? = nil, minutesApplied: Int? = nil, removed: Bool? = nil) {
            self.agent = agent
            self.concentration = concentration
            self.lotId = lotId
            self.minutesApplied = minutesApplied
            self.removed = removed
        }
    }

    public struct ZoneInput: Sendable, Codable, Equatable {
        public var zone: String?
        public var depthMm: Double?
        public var passes: Int?
        public var pattern: String?
        public var endpoint: String?
        public var depthReason: String?
        public init(zone: String? = nil, depthMm: Double? = nil, passes: Int? = nil, pattern: String? = nil, endpoint: String? = nil,
                    depthReason: String? = nil) {
            self.zone = zone
            self.depthMm = depthMm
            self.passes = passes
            self.pattern = pattern
            self.endpoint = endpoint
            self.depthReason = depthReason
        }
    }

    public struct TopicalInput: Sendable, Codable, Equatable {
        public var product: String?
        public var lotId: String?
        public var vitaminC: Bool?
        public init(product: String? = nil, lotId: String? = nil, vitaminC: Bool? = nil) {
            self.product = product
            self.lotId = lotId
            self.vitaminC = vitaminC
        }
    }

    public struct RFSettingsInput: Sendable, Codable, Equatable {
        public var energyMJPerPin: Double?
        public var pinCount: Int?
        public var pulseDurationMs: Double?
        public var insulation: String?
        public var electrode: String?
        public var frequencyMHz: Double?
        public init(energyMJPerPin: Double? = nil, pinCount: Int? = nil, pulseDurationMs: Double? = nil, insulation: String? = nil,
                    electrode: String? = nil, frequencyMHz: Double? = nil) {
            self.energyMJPerPin = energyMJPerPin
            self.pinCount = pinCount
            self.pulseDurationMs = pulseDurationMs
            self.insulation = insulation
            self.electrode = electrode
            self.frequencyMHz = frequencyMHz
        }
        var isEmpty: Bool { self == RFSettingsInput() }
    }

    public struct ReactionsInput: Sendable, Codable, Equatable {
        public var erythema: Bool?
        public var edema: Bool?
        public var pinpointBleeding: Bool?
        public var painScore: Int?
        public init(erythema: Bool? = nil, edema: Bool? = nil, pinpointBleeding: Bool? = nil, painScore: Int? = nil) {
            self.erythema = erythema
            self.edema = edema
            self.pinpointBleeding = pinpointBleeding
            self.painScore = painScore
        }
    }
}
