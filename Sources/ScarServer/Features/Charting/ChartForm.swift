import Foundation
import ScarCore
import ScarStore

/// The session chart as a plain HTML form: one row per facial zone (tick "treated"), a few
/// topical rows, anesthetic, RF settings, reactions and notes. Keyboard order follows the
/// page; every field has a label. Reads into the same `SessionChart.Input` as the API.
enum ChartForm {
    static let topicalRows = 3

    static func input(from form: FormBody, errors: inout [FieldError]) -> (SessionChart.Input, [FacialZone]) {
        func text(_ name: String) -> String? { Text.trimmed(form[name]) }
        func int(_ name: String, _ field: String) -> Int? {
            guard let raw = text(name) else { return nil }
            guard let v = Int(raw) else { errors.append(FieldError(field, "must be a whole number")); return nil }
            return v
        }
        func double(_ name: String, _ field: String) -> Double? {
            guard let raw = text(name)?.replacingOccurrences(of: ",", with: ".") else { return nil }
            guard let v = Double(raw), v.isFinite else { errors.append(FieldError(field, "must be a number")); return nil }
            return v
        }
        func flag(_ name: String) -> Bool { form[name] != nil }
        var zones: [SessionChart.ZoneInput] = []
        var order: [FacialZone] = []
        for zone in FacialZone.allCases where flag("z.\(zone.rawValue).treated") {
            let p = "zones[\(zones.count)]"
            order.append(zone)
            zones.append(SessionChart.ZoneInput(zone: zone.rawValue, depthMm: double("z.\(zone.rawValue).depthMm", "\(p).depthMm"),
                                                passes: int("z.\(zone.rawValue).passes", "\(p).passes"), pattern: text("z.\(zone.rawValue).pattern"),
                                                endpoint: text("z.\(zone.rawValue).endpoint"), depthReason: text("z.\(zone.rawValue).depthReason")))
        }
        var topicals: [SessionChart.TopicalInput] = []
        for i in 0..<topicalRows {
            let product = text("t.\(i).product"), lot = text("t.\(i).lotId")
            if product == nil && lot == nil { continue }
            topicals.append(SessionChart.TopicalInput(product: product, lotId: lot, vitaminC: flag("t.\(i).vitaminC")))
        }
        let rf = SessionChart.RFSettingsInput(energyMJPerPin: double("rf.energyMJPerPin", "rf.energyMJPerPin"), pinCount: int("rf.pinCount", "rf.pinCount"),
                                              pulseDurationMs: double("rf.pulseDurationMs", "rf.pulseDurationMs"), insulation: text("rf.insulation"),
                                              electrode: text("rf.electrode"), frequencyMHz: double("rf.frequencyMHz", "rf.frequencyMHz"))
        let input = SessionChart.Input(
            performedOn: text("performedOn"), modality: text("modality"), deviceId: text("deviceId"), cartridgeLotId: text("cartridgeLotId"),
            anesthetic: SessionChart.AnestheticInput(agent: text("anesthetic.agent"), concentration: text("anesthetic.concentration"),
                                                     lotId: text("anesthetic.lotId"), minutesApplied: int("anesthetic.minutesApplied", "anesthetic.minutesApplied"),
                                                     removed: flag("anesthetic.removed")),
            zones: zones, topicals: topicals, rf: rf, durationMinutes: int("durationMinutes", "durationMinutes"),
            reactions: SessionChart.ReactionsInput(erythema: flag("reactions.erythema"), edema: flag("reactions.edema"),
                                                   pinpointBleeding: flag("reactions.pinpointBleeding"),
                                                   painScore: int("reactions.painScore", "reactions.painScore")),
            notes: form["notes"])
        return (input, order)
    }

    static func dayAnswers(from form: FormBody) -> DayAnswers {
        // Yes, no or not asked (the default): a question left alone is never read as "no".
        DayAnswers(answers: Dictionary(uniqueKeysWithValues: DayAnswers.fields.map { f in
            (f, form["day.\(f)"].flatMap(DayAnswers.Answer.init(rawValue:)) ?? .notAsked)
        }))
    }

    /// Field names as people read them: `zones[1].depthMm` → "Left cheek: depth".
    static func label(_ field: String, zones: [FacialZone]) -> String {
        var f = field
        if f.hasPrefix("zones["), let close = f.firstIndex(of: "]"), let i = Int(f[f.index(f.startIndex, offsetBy: 6)..<close]), i < zones.count {
            f = zones[i].label + ":" + f[f.index(after: close)...].replacingOccurrences(of: ".", with: " ")
        }
        let words = ["depthMm": "depth (mm)", "depthReason": "reason for the depth", "deviceId": "Device", "cartridgeLotId": "Cartridge lot",
                     "performedOn": "Date", "passes": "passes", "endpoint": "endpoint", "painScore": "pain score", "durationMinutes": "Duration"]
        for (k, v) in words { f = f.replacingOccurrences(of: k, with: v) }
        return f
    }

    /// Everything the form template needs, from the input being edited; `action` is where it posts.
    static func fields(_ input: SessionChart.Input, devices: [Device], lots: [Lot], today: CalendarDate, errors: [FieldError], zoneOrder: [FacialZone],
                       warnings: [ChartWarning] = [], action: String) -> ChartFormFields {
        func lotOptions(_ kinds: Set<ConsumableKind>, selected: String?) -> [ChartFormFields.Option] {
            lots.filter { kinds.contains($0.details.kind) && !$0.isExpired(on: today) }.map {
                .init(value: $0.id.lower, label: "\($0.details.product) · lot \($0.details.lotNumber) · exp. \($0.details.expiresOn)",
                      selected: $0.id.lower == selected?.lowercased())
            }
        }
        let topicals: [ChartFormFields.Topical] = (0..<topicalRows).map { i in
            let t = i < (input.topicals ?? []).count ? input.topicals![i] : nil
            return .init(i: i, n: i + 1, product: t?.product ?? "", vitaminC: t?.vitaminC ?? false, lots: lotOptions([.topical, .prpKit], selected: t?.lotId))
        }
        let a = input.anesthetic, rf = input.rf, r = input.reactions
        return ChartFormFields(
            action: action, performedOn: input.performedOn ?? today.description,
            devices: devices.filter { $0.unusableReason(on: today) == nil || $0.id.lower == input.deviceId?.lowercased() }.map {
                .init(value: $0.id.lower, label: "\($0.details.model) (\($0.details.type.label), max \(SessionChart.mm($0.details.maxDepthMm)), SN \($0.details.serialNumber))",
                      selected: $0.id.lower == input.deviceId?.lowercased())
            },
            cartridgeLots: lotOptions([.cartridge], selected: input.cartridgeLotId), anestheticLots: lotOptions([.anesthetic], selected: a?.lotId),
            anestheticAgent: a?.agent ?? "", anestheticConcentration: a?.concentration ?? "",
            anestheticMinutes: a?.minutesApplied.map(String.init) ?? "", anestheticRemoved: a?.removed ?? false,
            zones: zoneRows(input, errors: errors, zoneOrder: zoneOrder), topicals: topicals,
            rfEnergy: rf?.energyMJPerPin.map { String($0) } ?? "", rfPins: rf?.pinCount.map(String.init) ?? "",
            rfPulse: rf?.pulseDurationMs.map { String($0) } ?? "", rfFrequency: rf?.frequencyMHz.map { String($0) } ?? "",
            insulations: options(Insulation.self, rf?.insulation), electrodes: options(Electrode.self, rf?.electrode),
            durationMinutes: input.durationMinutes.map(String.init) ?? "",
            erythema: r?.erythema ?? false, edema: r?.edema ?? false, pinpointBleeding: r?.pinpointBleeding ?? false,
            painScore: r?.painScore.map(String.init) ?? "", notes: input.notes ?? "",
            errors: errors.map { FieldError(label($0.field, zones: zoneOrder), $0.message) }, warnings: warnings)
    }

    /// "—" (none chosen), then each case by its raw value.
    static func options<T: CaseIterable & RawRepresentable>(_ type: T.Type, _ selected: String?) -> [ChartFormFields.Option] where T.RawValue == String {
        [.init(value: "", label: "—", selected: selected == nil)] + T.allCases.map { .init(value: $0.rawValue, label: $0.rawValue, selected: selected == $0.rawValue) }
    }

    /// One row per facial zone: treated or not, its depth, passes, pattern, endpoint and whether a field of it is in error.
    static func zoneRows(_ input: SessionChart.Input, errors: [FieldError], zoneOrder: [FacialZone]) -> [ChartFormFields.Zone] {
        let zoneInputs = Dictionary((input.zones ?? []).compactMap { z in z.zone.flatMap(FacialZone.init(rawValue:)).map { ($0, z) } }, uniquingKeysWith: { a, _ in a })
        return FacialZone.allCases.map { zone in
            let z = zoneInputs[zone]
            let index = zoneOrder.firstIndex(of: zone)
            let zoneErrors = index.map { i in errors.filter { $0.field.hasPrefix("zones[\(i)]") } } ?? []
            return .init(
                zone: zone.rawValue, label: zone.label, treated: z != nil,
                depthMm: z?.depthMm.map { String(format: "%.2f", $0) } ?? "", passes: z?.passes.map(String.init) ?? "",
                depthReason: z?.depthReason ?? "", invalid: !zoneErrors.isEmpty, patterns: options(PassPattern.self, z?.pattern),
                endpoints: Endpoint.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: (z?.endpoint ?? "uniform-erythema") == $0.rawValue) })
        }
    }
}

/// The chart form's fields as the `session-form` and the `session` page's amendment form read them.
struct ChartFormFields {
    typealias Option = SelectOption

    struct Zone {
        var zone: String
        var label: String
        var treated: Bool
        var depthMm: String
        var passes: String
        var depthReason: String
        var invalid: Bool
        var patterns: [Option]
        var endpoints: [Option]
    }

    struct Topical {
        var i: Int
        var n: Int
        var product: String
        var vitaminC: Bool
        var lots: [Option]
    }

    var action: String
    var performedOn: String
    var devices: [Option]
    var cartridgeLots: [Option]
    var anestheticLots: [Option]
    var anestheticAgent: String
    var anestheticConcentration: String
    var anestheticMinutes: String
    var anestheticRemoved: Bool
    var zones: [Zone]
    var topicals: [Topical]
    var rfEnergy: String
    var rfPins: String
    var rfPulse: String
    var rfFrequency: String
    var insulations: [Option]
    var electrodes: [Option]
    var durationMinutes: String
    var erythema: Bool
    var edema: Bool
    var pinpointBleeding: Bool
    var painScore: String
    var notes: String
    /// Each error with its field in words ("Left cheek: depth (mm)").
    var errors: [FieldError]
    var warnings: [ChartWarning]
}
