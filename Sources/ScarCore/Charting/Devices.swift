import Foundation

/// Device taxonomy of reference §4.4 (the device registry's `type`).
public enum DeviceType: String, Sendable, Codable, CaseIterable, Hashable {
    case roller
    case stamp
    case motorizedPen = "motorized-pen"
    case rfMicroneedling = "rf-microneedling"

    public var label: String {
        switch self {
        case .roller: "Roller"
        case .stamp: "Stamp"
        case .motorizedPen: "Motorized pen"
        case .rfMicroneedling: "RF microneedling"
        }
    }

    /// The screening modality a device of this type delivers.
    public var modality: Modality { self == .rfMicroneedling ? .rfMicroneedling : .microneedling }
}

/// A registered device. The labelling fields are those 21 CFR 878.4430 requires (reference
/// §4.4: needle length, needle geometry, maximum penetration depth, puncture rate).
public struct Device: Sendable, Codable, Equatable {
    public var id: UUID
    public var clinicId: UUID
    public var details: DeviceDetails
    public var createdAt: Date
    public var version: Int

    public init(id: UUID, clinicId: UUID, details: DeviceDetails, createdAt: Date, version: Int) {
        self.id = id
        self.clinicId = clinicId
        self.details = details
        self.createdAt = createdAt
        self.version = version
    }

    /// Why the device may not be used on `day`, or nil when it may: retired, or past its
    /// next service date.
    public func unusableReason(on day: CalendarDate) -> String? {
        if !details.active { return "is retired from use" }
        if let due = details.nextServiceDue, due < day { return "was due for service on \(due)" }
        return nil
    }
}

public struct DeviceDetails: Sendable, Codable, Equatable {
    public var model: String
    public var manufacturer: String
    public var type: DeviceType
    public var maxDepthMm: Double
    public var needleGeometry: String
    public var needleCount: Int
    public var punctureRate: String?
    public var serialNumber: String
    public var lastServiceOn: CalendarDate?
    public var nextServiceDue: CalendarDate?
    public var active: Bool

    public init(model: String, manufacturer: String, type: DeviceType, maxDepthMm: Double, needleGeometry: String, needleCount: Int,
                punctureRate: String?, serialNumber: String, lastServiceOn: CalendarDate?, nextServiceDue: CalendarDate?, active: Bool) {
        self.model = model
        self.manufacturer = manufacturer
        self.type = type
        self.maxDepthMm = maxDepthMm
        self.needleGeometry = needleGeometry
        self.needleCount = needleCount
        self.punctureRate = punctureRate
        self.serialNumber = serialNumber
        self.lastServiceOn = lastServiceOn
        self.nextServiceDue = nextServiceDue
        self.active = active
    }

    public struct Input: Sendable, Codable, Equatable {
        public var model: String?
        public var manufacturer: String?
        public var type: String?
        public var maxDepthMm: Double?
        public var needleGeometry: String?
        public var needleCount: Int?
        public var punctureRate: String?
        public var serialNumber: String?
        public var lastServiceOn: String?
        public var nextServiceDue: String?
        public var active: Bool?

        public init(model: String? = nil, manufacturer: String? = nil, type: String? = nil, maxDepthMm: Double? = nil,
                    needleGeometry: String? = nil, needleCount: Int? = nil, punctureRate: String? = nil, serialNumber: String? = nil,
                    lastServiceOn: String? = nil, nextServiceDue: String? = nil, active: Bool? = nil) {
            self.model = model
            self.manufacturer = manufacturer
            self.type = type
            self.maxDepthMm = maxDepthMm
            self.needleGeometry = needleGeometry
            self.needleCount = needleCount
            self.punctureRate = punctureRate
            self.serialNumber = serialNumber
            self.lastServiceOn = lastServiceOn
            self.nextServiceDue = nextServiceDue
            self.active = active
        }
    }

    /// Every field checked; all problems reported at once.
    public static func validate(_ input: Input) -> Result<DeviceDetails, ValidationFailure> {
        var errors: [FieldError] = []
        func required(_ field: String, _ value: String?) -> String {
            // NFC like every identifying text (serial and lot numbers are what recall searches by).
            guard let v = Text.normalized(value) else { errors.append(FieldError(field, "is required")); return "" }
            if v.count > 200 || Text.hasControlCharacters(v) { errors.append(FieldError(field, "must be one line of at most 200 characters")) }
            return v
        }
        let model = required("model", input.model)
        let manufacturer = required("manufacturer", input.manufacturer)
        let geometry = required("needleGeometry", input.needleGeometry)
        let serial = required("serialNumber", input.serialNumber)
        let type = input.type.flatMap(DeviceType.init(rawValue:))
        if type == nil { errors.append(FieldError("type", "must be one of " + DeviceType.allCases.map(\.rawValue).joined(separator: ", "))) }
        var depth = 0.0
        if let d = input.maxDepthMm {
            if !(d > 0 && d <= 10) || !Depth.isOnStep(d) { errors.append(FieldError("maxDepthMm", "must be above 0 and at most 10 mm, in 0.05 mm steps")) }
            depth = d
        } else { errors.append(FieldError("maxDepthMm", "is required")) }
        var count = 0
        if let n = input.needleCount {
            if n < 1 || n > 10_000 { errors.append(FieldError("needleCount", "must be from 1 to 10000")) }
            count = n
        } else { errors.append(FieldError("needleCount", "is required")) }
        func date(_ field: String, _ value: String?) -> CalendarDate? {
            guard let raw = Text.trimmed(value) else { return nil }
            guard let d = CalendarDate(raw) else { errors.append(FieldError(field, "must be a date YYYY-MM-DD")); return nil }
            return d
        }
        let last = date("lastServiceOn", input.lastServiceOn)
        let next = date("nextServiceDue", input.nextServiceDue)
        if let last, let next, next < last { errors.append(FieldError("nextServiceDue", "must not be before the last service")) }
        guard errors.isEmpty, let type else { return .failure(ValidationFailure(errors)) }
        return .success(DeviceDetails(model: model, manufacturer: manufacturer, type: type, maxDepthMm: depth, needleGeometry: geometry,
                                      needleCount: count, punctureRate: Text.trimmed(input.punctureRate), serialNumber: serial,
                                      lastServiceOn: last, nextServiceDue: next, active: input.active ?? true))
    }
}

/// Depths are device settings in mm at 0.05 mm resolution (reference §4.2, "Implementation").
public enum Depth {
    public static let stepMm = 0.05
    public static func isOnStep(_ mm: Double) -> Bool {
        let steps = mm / stepMm
        return abs(steps - steps.rounded()) < 1e-6
    }
}

/// What a consumable lot is, for the lot register (issue 5: cartridges/tips, topical products,
/// PRP kits, anesthetics).
public enum ConsumableKind: String, Sendable, Codable, CaseIterable, Hashable {
    case cartridge
    case topical
    case prpKit = "prp-kit"
    case anesthetic

    public var label: String {
        switch self {
        case .cartridge: "Cartridge / tip"
        case .topical: "Topical product"
        case .prpKit: "PRP kit"
        case .anesthetic: "Anesthetic"
        }
    }
}

public struct Lot: Sendable, Codable, Equatable {
    public var id: UUID
    public var clinicId: UUID
    public var details: LotDetails
    public var createdAt: Date
    public var version: Int

    public init(id: UUID, clinicId: UUID, details: LotDetails, createdAt: Date, version: Int) {
        self.id = id
        self.clinicId = clinicId
        self.details = details
        self.createdAt = createdAt
        self.version = version
    }

    /// A lot is expired on the day after its expiry date.
    public func isExpired(on day: CalendarDate) -> Bool { details.expiresOn < day }
}

public struct LotDetails: Sendable, Codable, Equatable {
    public var kind: ConsumableKind
    public var product: String
    public var lotNumber: String
    public var expiresOn: CalendarDate
    public var quantity: Int
    public var receivedOn: CalendarDate

    public init(kind: ConsumableKind, product: String, lotNumber: String, expiresOn: CalendarDate, quantity: Int, receivedOn: CalendarDate) {
        self.kind = kind
        self.product = product
        self.lotNumber = lotNumber
        self.expiresOn = expiresOn
        self.quantity = quantity
        self.receivedOn = receivedOn
    }

    public struct Input: Sendable, Codable, Equatable {
        public var kind: String?
        public var product: String?
        public var lotNumber: String?
        public var expiresOn: String?
        public var quantity: Int?
        public var receivedOn: String?

        public init(kind: String? = nil, product: String? = nil, lotNumber: String? = nil, expiresOn: String? = nil,
                    quantity: Int? = nil, receivedOn: String? = nil) {
            self.kind = kind
            self.product = product
            self.lotNumber = lotNumber
            self.expiresOn = expiresOn
            self.quantity = quantity
            self.receivedOn = receivedOn
        }
    }

    public static func validate(_ input: Input, today: CalendarDate) -> Result<LotDetails, ValidationFailure> {
        var errors: [FieldError] = []
        let kind = input.kind.flatMap(ConsumableKind.init(rawValue:))
        if kind == nil { errors.append(FieldError("kind", "must be one of " + ConsumableKind.allCases.map(\.rawValue).joined(separator: ", "))) }
        func required(_ field: String, _ value: String?) -> String {
            // NFC like every identifying text (serial and lot numbers are what recall searches by).
            guard let v = Text.normalized(value) else { errors.append(FieldError(field, "is required")); return "" }
            if v.count > 200 || Text.hasControlCharacters(v) { errors.append(FieldError(field, "must be one line of at most 200 characters")) }
            return v
        }
        let product = required("product", input.product)
        let lotNumber = required("lotNumber", input.lotNumber)
        func date(_ field: String, _ value: String?) -> CalendarDate? {
            guard let raw = Text.trimmed(value) else { errors.append(FieldError(field, "is required")); return nil }
            guard let d = CalendarDate(raw) else { errors.append(FieldError(field, "must be a date YYYY-MM-DD")); return nil }
            return d
        }
        let expires = date("expiresOn", input.expiresOn)
        let received = date("receivedOn", input.receivedOn)
        if let received, received > today { errors.append(FieldError("receivedOn", "must not be in the future")) }
        let quantity = input.quantity ?? -1
        if input.quantity == nil { errors.append(FieldError("quantity", "is required")) } else if quantity < 0 || quantity > 1_000_000 {
            errors.append(FieldError("quantity", "must be from 0 to 1000000"))
        }
        guard errors.isEmpty, let kind, let expires, let received else { return .failure(ValidationFailure(errors)) }
        return .success(LotDetails(kind: kind, product: product, lotNumber: lotNumber, expiresOn: expires, quantity: quantity,
                                   receivedOn: received))
    }
}
