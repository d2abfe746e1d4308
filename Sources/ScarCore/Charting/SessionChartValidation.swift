import Foundation

/// Checking a chart against the clinic's devices, lots and settings, and comparing charts.
extension SessionChart {
    /// What the chart is checked against: the device and lots it names (looked up by the
    /// caller, scoped to the clinic), the clinic's maximum depth if configured, and the day.
    public struct Limits: Sendable {
        public var devices: [UUID: Device]
        public var lots: [UUID: Lot]
        /// nil when the clinic has configured no maximum (Decision 4: no shipped default).
        public var clinicMaxDepthMm: Double?
        public var today: CalendarDate

        public init(devices: [UUID: Device], lots: [UUID: Lot], clinicMaxDepthMm: Double?, today: CalendarDate) {
            self.devices = devices
            self.lots = lots
            self.clinicMaxDepthMm = clinicMaxDepthMm
            self.today = today
        }
    }

    public struct Checked: Sendable, Equatable {
        public var chart: SessionChart
        public var warnings: [ChartWarning]
    }

    /// Decision 5 and reference §4.8.
    public static let vitaminCSource = "Soltani-Arabshahi 2014 (granulomas after microneedling with Vita C Serum, 3 cases); "
        + "Friedmann et al. 2024, Dermatol Surg (systematic review: 13 studies, 15 patients; motorized pen and topical vitamin C "
        + "implicated in most cases)."

    static func looksLikeVitaminC(_ product: String) -> Bool {
        let p = product.lowercased()
        return p.contains("vitamin c") || p.contains("vit c") || p.contains("vita c") || p.contains("ascorbic") || p.contains("ascorbyl")
    }

    /// Every field checked, all problems reported at once, each named the way the API names it
    /// (`zones[0].depthMm`). Refusals: unknown, retired or service-overdue device; lots that
    /// are unknown, of the wrong kind or expired on the session day; a depth above the device's
    /// maximum penetration depth; a depth above the clinic maximum without a written reason.
    public static func validate(_ input: Input, limits: Limits) -> Result<Checked, ValidationFailure> {
        var errors: [FieldError] = []
        var warnings: [ChartWarning] = []

        var performedOn = limits.today
        if let raw = Text.trimmed(input.performedOn) {
            if let d = CalendarDate(raw) {
                if d > limits.today { errors.append(FieldError("performedOn", "must not be in the future")) }
                performedOn = d
            } else { errors.append(FieldError("performedOn", "must be a date YYYY-MM-DD")) }
        }

        var device: Device?
        if let raw = Text.trimmed(input.deviceId) {
            if let id = UUID(uuidString: raw), let d = limits.devices[id] {
                device = d
                if let reason = d.unusableReason(on: performedOn) { errors.append(FieldError("deviceId", "\(reason); choose another device")) }
            } else { errors.append(FieldError("deviceId", "is not a device of this clinic")) }
        } else { errors.append(FieldError("deviceId", "is required")) }

        var modality = device?.details.type.modality ?? .microneedling
        if let raw = Text.trimmed(input.modality) {
            if let m = Modality(rawValue: raw) { modality = m } else {
                errors.append(FieldError("modality", "must be one of " + Modality.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        if let device, device.details.type.modality != modality {
            errors.append(FieldError("deviceId", "is a \(device.details.type.label) device, which does not deliver \(modality.rawValue)"))
        }

        func lot(_ field: String, _ raw: String?, kinds: Set<ConsumableKind>) -> UUID? {
            guard let raw = Text.trimmed(raw) else { return nil }
            guard let id = UUID(uuidString: raw), let lot = limits.lots[id] else {
                errors.append(FieldError(field, "is not a lot of this clinic")); return nil
            }
            if !kinds.contains(lot.details.kind) {
                errors.append(FieldError(field, "is a \(lot.details.kind.label.lowercased()) lot, not " + kinds.map(\.label).sorted().joined(separator: " or ").lowercased()))
            }
            if lot.isExpired(on: performedOn) {
                errors.append(FieldError(field, "lot \(lot.details.lotNumber) expired on \(lot.details.expiresOn); it may not be used"))
            }
            return id
        }
        let cartridge = lot("cartridgeLotId", input.cartridgeLotId, kinds: [.cartridge])
        if cartridge == nil, let device, device.details.type == .motorizedPen || device.details.type == .rfMicroneedling,
           Text.trimmed(input.cartridgeLotId) == nil {
            errors.append(FieldError("cartridgeLotId", "is required for a \(device.details.type.label.lowercased())"))
        }

        var anesthetic: Anesthetic?
        if let a = input.anesthetic, Text.trimmed(a.agent) != nil || a.minutesApplied != nil || Text.trimmed(a.lotId) != nil {
            let agent = Text.trimmed(a.agent) ?? ""
            if agent.isEmpty { errors.append(FieldError("anesthetic.agent", "is required when an anesthetic is charted")) }
            let minutes = a.minutesApplied ?? -1
            if a.minutesApplied == nil { errors.append(FieldError("anesthetic.minutesApplied", "is required when an anesthetic is charted")) } else if minutes < 0 || minutes > 240 {
                errors.append(FieldError("anesthetic.minutesApplied", "must be from 0 to 240"))
            }
            let lotId = lot("anesthetic.lotId", a.lotId, kinds: [.anesthetic])
            anesthetic = Anesthetic(agent: agent, concentration: Text.trimmed(a.concentration), lotId: lotId, minutesApplied: max(minutes, 0),
                                    removed: a.removed ?? false)
        }

        var zones: [ZoneTreatment] = []
        let zoneInputs = input.zones ?? []
        if zoneInputs.isEmpty { errors.append(FieldError("zones", "must list at least one treated zone")) }
        var seen = Set<FacialZone>()
        for (i, z) in zoneInputs.enumerated() {
            let p = "zones[\(i)]"
            let zone = z.zone.flatMap(FacialZone.init(rawValue:))
            if zone == nil { errors.append(FieldError("\(p).zone", "must be a facial zone")) }
            if let zone, !seen.insert(zone).inserted { errors.append(FieldError("\(p).zone", "is listed twice")) }
            var depth = 0.0
            if let d = z.depthMm {
                depth = d
                if !(d > 0) || d > 10 || !Depth.isOnStep(d) {
                    errors.append(FieldError("\(p).depthMm", "must be above 0 mm in 0.05 mm steps"))
                } else if let device, d > device.details.maxDepthMm + 1e-9 {
                    errors.append(FieldError("\(p).depthMm", "is above the device's maximum penetration depth of \(Self.mm(device.details.maxDepthMm)) (21 CFR 878.4430 labelling)"))
                } else if let clinicMax = limits.clinicMaxDepthMm, d > clinicMax + 1e-9, Text.trimmed(z.depthReason) == nil {
                    errors.append(FieldError("\(p).depthReason", "is required: \(Self.mm(d)) is above the clinic maximum of \(Self.mm(clinicMax))"))
                }
            } else { errors.append(FieldError("\(p).depthMm", "is required")) }
            let passes = z.passes ?? 0
            if z.passes == nil { errors.append(FieldError("\(p).passes", "is required")) } else if passes < 1 || passes > 20 {
                errors.append(FieldError("\(p).passes", "must be from 1 to 20"))
            }
            var pattern: PassPattern?
            if let raw = Text.trimmed(z.pattern) {
                pattern = PassPattern(rawValue: raw)
                if pattern == nil { errors.append(FieldError("\(p).pattern", "must be one of " + PassPattern.allCases.map(\.rawValue).joined(separator: ", "))) }
            }
            let endpoint = z.endpoint.flatMap(Endpoint.init(rawValue:))
            if endpoint == nil { errors.append(FieldError("\(p).endpoint", "must be one of " + Endpoint.allCases.map(\.rawValue).joined(separator: ", "))) }
            if let zone, let endpoint {
                zones.append(ZoneTreatment(zone: zone, depthMm: depth, passes: passes, pattern: pattern, endpoint: endpoint,
                                           depthReason: Text.trimmed(z.depthReason)))
            }
        }

        var topicals: [TopicalApplication] = []
        for (i, t) in (input.topicals ?? []).enumerated() {
            let p = "topicals[\(i)]"
            var product = Text.trimmed(t.product)
            let lotId = lot("\(p).lotId", t.lotId, kinds: [.topical, .prpKit])
            if product == nil, let lotId, let l = limits.lots[lotId] { product = l.details.product }
            guard let product else { errors.append(FieldError("\(p).product", "is required")); continue }
            let vitaminC = (t.vitaminC ?? false) || looksLikeVitaminC(product)
            if vitaminC {
                warnings.append(ChartWarning(code: "vitamin-c-on-needled-skin", field: "\(p).product",
                                             message: "Vitamin C on freshly needled skin: granulomas have been reported. Confirm this is intended.",
                                             source: vitaminCSource))
            }
            topicals.append(TopicalApplication(product: product, lotId: lotId, vitaminC: vitaminC))
        }

        var rf: RFSettings?
        if let r = input.rf, !r.isEmpty {
            func positive(_ field: String, _ v: Double?) {
                if let v, !(v > 0) || v > 100_000 { errors.append(FieldError("rf.\(field)", "must be a positive number")) }
            }
            positive("energyMJPerPin", r.energyMJPerPin)
            positive("pulseDurationMs", r.pulseDurationMs)
            positive("frequencyMHz", r.frequencyMHz)
            if let n = r.pinCount, n < 1 || n > 10_000 { errors.append(FieldError("rf.pinCount", "must be from 1 to 10000")) }
            let insulation = r.insulation.flatMap { Text.trimmed($0) }.map { Insulation(rawValue: $0) }
            if case .some(.none) = insulation { errors.append(FieldError("rf.insulation", "must be one of " + Insulation.allCases.map(\.rawValue).joined(separator: ", "))) }
            let electrode = r.electrode.flatMap { Text.trimmed($0) }.map { Electrode(rawValue: $0) }
            if case .some(.none) = electrode { errors.append(FieldError("rf.electrode", "must be bipolar or monopolar")) }
            if modality != .rfMicroneedling { errors.append(FieldError("rf", "RF settings are only charted for rf-microneedling")) }
            rf = RFSettings(energyMJPerPin: r.energyMJPerPin, pinCount: r.pinCount, pulseDurationMs: r.pulseDurationMs,
                            insulation: insulation ?? nil, electrode: electrode ?? nil, frequencyMHz: r.frequencyMHz)
        }

        if let m = input.durationMinutes, m < 1 || m > 600 { errors.append(FieldError("durationMinutes", "must be from 1 to 600")) }
        let r = input.reactions ?? ReactionsInput()
        if let pain = r.painScore, pain < 0 || pain > 10 { errors.append(FieldError("reactions.painScore", "must be from 0 to 10")) }
        let notes = Text.trimmed(input.notes)
        if let notes, notes.count > 4000 { errors.append(FieldError("notes", "must be at most 4000 characters")) }

        guard errors.isEmpty, let device else { return .failure(ValidationFailure(errors)) }
        let chart = SessionChart(performedOn: performedOn, modality: modality, deviceId: device.id, cartridgeLotId: cartridge,
                                 anesthetic: anesthetic, zones: zones, topicals: topicals, rf: rf, durationMinutes: input.durationMinutes,
                                 reactions: ImmediateReactions(erythema: r.erythema ?? false, edema: r.edema ?? false,
                                                               pinpointBleeding: r.pinpointBleeding ?? false, painScore: r.painScore),
                                 notes: notes)
        return .success(Checked(chart: chart, warnings: warnings))
    }

    public static func mm(_ v: Double) -> String { String(format: "%.2f mm", v) }

    /// Top-level fields that may be corrected by an amendment after signing. Device, lots and
    /// the day are what recall and traceability rely on, so they are not amendable.
    public static let amendableFields = ["zones", "anesthetic", "rf", "durationMinutes", "reactions", "notes"]

    /// Names of the top-level chart fields that differ between two charts.
    public static func changedFields(_ a: SessionChart, _ b: SessionChart) -> [String] {
        var f: [String] = []
        if a.performedOn != b.performedOn { f.append("performedOn") }
        if a.modality != b.modality { f.append("modality") }
        if a.deviceId != b.deviceId { f.append("deviceId") }
        if a.cartridgeLotId != b.cartridgeLotId { f.append("cartridgeLotId") }
        if a.anesthetic != b.anesthetic { f.append("anesthetic") }
        if a.zones != b.zones { f.append("zones") }
        if a.topicals != b.topicals { f.append("topicals") }
        if a.rf != b.rf { f.append("rf") }
        if a.durationMinutes != b.durationMinutes { f.append("durationMinutes") }
        if a.reactions != b.reactions { f.append("reactions") }
        if a.notes != b.notes { f.append("notes") }
        return f
    }
}
