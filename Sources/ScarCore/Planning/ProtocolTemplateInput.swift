import Foundation

/// The raw input of a protocol template (form or API), as text keyed by field name, so the
/// form and the API report a bad value the same way; `validate` checks every field at once.
///
/// Field names: `name`, `isExample` (yes/no), `modality`, `deviceType`, `adjuncts` (a list),
/// `sessionsMin`, `sessionsMax`, `sessionsDefault`, `intervalDaysDefault`, `intervalDaysMin`,
/// `intervalDaysMax`, `deviceDepthLimitMm`, `depths.<zone>`, `rf.energyPerPinMJ`, `rf.pinCount`,
/// `rf.pulseDurationMs`, `rf.insulation`, `rf.electrode`, `postCare`, `sources.<key>`.
public struct ProtocolTemplateInput: Sendable, Equatable {
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

    /// Guards against typing slips (an extra digit), not clinical limits.
    public static let maxSessions = 99
    public static let maxIntervalDays = 365
    public static let maxDepthHundredths = 1000
    public static let maxTextLength = 4000

    public static func depthField(_ zone: FacialZone) -> String { "depths.\(zone.rawValue)" }
    public static func sourceField(_ key: TemplateSourceKey) -> String { "sources.\(key.rawValue)" }

    /// Every text field name, in form order.
    public static var fieldNames: [String] {
        ["name", "isExample", "modality", "deviceType", "sessionsMin", "sessionsMax", "sessionsDefault", "intervalDaysDefault",
         "intervalDaysMin", "intervalDaysMax", "deviceDepthLimitMm"]
            + FacialZone.allCases.map(depthField)
            + ["rf.energyPerPinMJ", "rf.pinCount", "rf.pulseDurationMs", "rf.insulation", "rf.electrode", "postCare"]
            + TemplateSourceKey.allCases.map(sourceField)
    }

    /// The input that shows a stored definition (the edit form starts from it).
    public init(_ d: ProtocolTemplateDefinition) {
        var v: [String: String] = [
            "name": d.name, "isExample": d.isExample ? "yes" : "no", "modality": d.modality.rawValue,
            "sessionsMin": String(d.sessionsMin), "sessionsMax": String(d.sessionsMax), "sessionsDefault": String(d.sessionsDefault),
            "intervalDaysDefault": String(d.intervalDaysDefault), "intervalDaysMin": String(d.intervalDaysMin),
            "intervalDaysMax": String(d.intervalDaysMax),
        ]
        if let t = d.deviceType { v["deviceType"] = t.rawValue }
        if let l = d.deviceDepthLimit { v["deviceDepthLimitMm"] = l.description }
        for (zone, depth) in d.zoneDepths { v[Self.depthField(zone)] = depth.description }
        if let rf = d.rf {
            if let e = rf.energyPerPinMJ { v["rf.energyPerPinMJ"] = Self.number(e) }
            if let p = rf.pinCount { v["rf.pinCount"] = String(p) }
            if let p = rf.pulseDurationMs { v["rf.pulseDurationMs"] = Self.number(p) }
            if let i = rf.insulation { v["rf.insulation"] = i.rawValue }
            if let e = rf.electrode { v["rf.electrode"] = e.rawValue }
        }
        if let p = d.postCare { v["postCare"] = p }
        for (key, source) in d.sources { v[Self.sourceField(key)] = source }
        self.init(v, adjuncts: d.adjuncts.map(\.rawValue))
    }

    /// A number as a person types it: `80`, `62.5`.
    public static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e12 ? String(Int(d)) : String(d)
    }

    public func validate() -> Result<ProtocolTemplateDefinition, ValidationFailure> {
        var errors: [FieldError] = []

        func text(_ field: String, required: Bool, max: Int, multiline: Bool = false) -> String? {
            guard let t = Text.trimmed(values[field]) else {
                if required { errors.append(FieldError(field, "is required")) }
                return nil
            }
            if t.count > max { errors.append(FieldError(field, "must be at most \(max) characters")) }
            let badControl = t.unicodeScalars.contains { $0.properties.generalCategory == .control && !(multiline && ["\n", "\r", "\t"].contains($0)) }
            if badControl { errors.append(FieldError(field, "must not contain control characters")) }
            return t
        }

        func whole(_ field: String, required: Bool, min: Int, max: Int) -> Int? {
            guard let raw = Text.trimmed(values[field]) else {
                if required { errors.append(FieldError(field, "is required")) }
                return nil
            }
            guard raw.count <= 6, raw.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.decimalDigits.contains($0) }), let n = Int(raw) else {
                errors.append(FieldError(field, "must be a whole number, got \(raw)"))
                return nil
            }
            guard n >= min, n <= max else {
                errors.append(FieldError(field, "must be from \(min) to \(max), got \(n)"))
                return nil
            }
            return n
        }

        func decimal(_ field: String) -> Double? {
            guard let raw = Text.trimmed(values[field]) else { return nil }
            guard raw.count <= 12, raw.unicodeScalars.allSatisfy({ $0.isASCII && ($0 == "." || CharacterSet.decimalDigits.contains($0)) }),
                  let d = Double(raw), d.isFinite, d > 0 else {
                errors.append(FieldError(field, "must be a number above 0, got \(raw)"))
                return nil
            }
            return d
        }

        func choice<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type, required: Bool) -> T? where T.RawValue == String {
            guard let raw = Text.trimmed(values[field]) else {
                if required { errors.append(FieldError(field, "is required")) }
                return nil
            }
            guard let v = T(rawValue: raw) else {
                errors.append(FieldError(field, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"))
                return nil
            }
            return v
        }

        func depth(_ field: String) -> NeedleDepth? {
            guard let raw = Text.trimmed(values[field]) else { return nil }
            switch NeedleDepth.parse(raw) {
            case .failure(let e):
                errors.append(FieldError(field, e.message))
                return nil
            case .success(let d):
                guard d.hundredths <= Self.maxDepthHundredths else {
                    errors.append(FieldError(field, "must be at most \(NeedleDepth(hundredths: Self.maxDepthHundredths)) mm"))
                    return nil
                }
                return d
            }
        }

        let name = text("name", required: true, max: 120) ?? ""
        var isExample = false
        if let raw = Text.trimmed(values["isExample"])?.lowercased() {
            switch raw {
            case "yes", "true", "on", "1": isExample = true
            case "no", "false", "off", "0": isExample = false
            default: errors.append(FieldError("isExample", "must be yes or no"))
            }
        }
        let modality = choice("modality", Modality.self, required: true)
        let deviceType = choice("deviceType", MechanicalDeviceType.self, required: false)
        if modality == .microneedling, deviceType == nil, Text.trimmed(values["deviceType"]) == nil {
            errors.append(FieldError("deviceType", "is required for microneedling (pen, roller or stamp)"))
        }
        if modality == .rfMicroneedling, deviceType != nil {
            errors.append(FieldError("deviceType", "is only for mechanical microneedling; RF microneedling is its own modality"))
        }

        var adjuncts: [Adjunct] = []
        for raw in self.adjuncts.compactMap({ Text.trimmed($0) }) {
            if let a = Adjunct(rawValue: raw) { adjuncts.append(a) } else {
                errors.append(FieldError("adjuncts", "must be from \(Adjunct.allCases.map(\.rawValue).joined(separator: ", ")), got \(raw)"))
            }
        }

        let sMin = whole("sessionsMin", required: true, min: 1, max: Self.maxSessions)
        let sMax = whole("sessionsMax", required: true, min: 1, max: Self.maxSessions)
        let sDefault = whole("sessionsDefault", required: true, min: 1, max: Self.maxSessions)
        if let sMin, let sMax, sMin > sMax { errors.append(FieldError("sessionsMax", "must not be below the minimum (\(sMin))")) }
        if let sMin, let sMax, let sDefault, sMin <= sMax, !(sMin...sMax).contains(sDefault) {
            errors.append(FieldError("sessionsDefault", "must be within the range \(sMin)–\(sMax)"))
        }
        let iMin = whole("intervalDaysMin", required: true, min: 1, max: Self.maxIntervalDays)
        let iMax = whole("intervalDaysMax", required: true, min: 1, max: Self.maxIntervalDays)
        let iDefault = whole("intervalDaysDefault", required: true, min: 1, max: Self.maxIntervalDays)
        if let iMin, let iMax, iMin > iMax { errors.append(FieldError("intervalDaysMax", "must not be below the minimum (\(iMin))")) }
        if let iMin, let iMax, let iDefault, iMin <= iMax, !(iMin...iMax).contains(iDefault) {
            errors.append(FieldError("intervalDaysDefault", "must be within the clinic's minimum and maximum (\(iMin)–\(iMax) days)"))
        }

        let limit = depth("deviceDepthLimitMm")
        var zoneDepths: [FacialZone: NeedleDepth] = [:]
        for zone in FacialZone.allCases {
            let field = Self.depthField(zone)
            guard let d = depth(field) else { continue }
            if let limit {
                if d > limit { errors.append(FieldError(field, "is above the device depth limit (\(limit) mm)")) } else { zoneDepths[zone] = d }
            } else {
                errors.append(FieldError(field, "needs the device depth limit first (the device's labelled maximum penetration depth)"))
            }
        }

        let rfFields = ["rf.energyPerPinMJ", "rf.pinCount", "rf.pulseDurationMs", "rf.insulation", "rf.electrode"]
        var rf: RFParameters?
        if modality == .rfMicroneedling {
            let parameters = RFParameters(energyPerPinMJ: decimal("rf.energyPerPinMJ"),
                                          pinCount: whole("rf.pinCount", required: false, min: 1, max: 10_000),
                                          pulseDurationMs: decimal("rf.pulseDurationMs"),
                                          insulation: choice("rf.insulation", RFInsulation.self, required: false),
                                          electrode: choice("rf.electrode", RFElectrode.self, required: false))
            rf = parameters.isEmpty ? nil : parameters
        } else if modality != nil {
            for field in rfFields where Text.trimmed(values[field]) != nil {
                errors.append(FieldError(field, "is only for RF microneedling"))
            }
        }

        let postCare = text("postCare", required: false, max: Self.maxTextLength, multiline: true)
        var sources: [TemplateSourceKey: String] = [:]
        for key in TemplateSourceKey.allCases {
            if let s = text(Self.sourceField(key), required: false, max: 1000) { sources[key] = s }
        }

        guard errors.isEmpty, let modality, let sMin, let sMax, let sDefault, let iMin, let iMax, let iDefault else {
            return .failure(ValidationFailure(errors))
        }
        return .success(ProtocolTemplateDefinition(
            name: name, isExample: isExample, modality: modality, deviceType: deviceType, adjuncts: adjuncts, sessionsMin: sMin,
            sessionsMax: sMax, sessionsDefault: sDefault, intervalDaysDefault: iDefault, intervalDaysMin: iMin, intervalDaysMax: iMax,
            zoneDepths: zoneDepths, deviceDepthLimit: limit, rf: rf, postCare: postCare, sources: sources))
    }
}
