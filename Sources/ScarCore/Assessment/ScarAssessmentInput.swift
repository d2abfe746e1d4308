import Foundation

/// The raw input of a scar assessment, as typed in the form or sent as JSON, keyed by field
/// name. Every value is text, so the form and the API report a bad value the same way, and
/// `validate` checks every field and reports all problems at once.
///
/// Field names (the same in the form, the API's error list and `ScarAssessmentInput.read(json:)`):
/// - `assessedOn` (YYYY-MM-DD), `blinded` (yes/no), `notes`, `hypertrophicAreaCm2` (cm², also the G&B D2 input);
/// - `zones.<zone>.<scar type>` counts, `zones.<zone>.sizeClass`, `zones.<zone>.depthClass`;
/// - `gbQuantitative.A1` … `gbQuantitative.D1` counts; `ecca.<item>` counts;
/// - `gbQualitative.contourChange`, `.obviousAt50cm`, `.coveredByMakeup`, `.flattensOnStretch` (yes/no, all required).
public struct ScarAssessmentInput: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public subscript(_ field: String) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }

    public static let maxNotesLength = 4000
    /// A guard against typing slips (an extra digit), not a clinical limit.
    public static let maxCount = 9999

    public static func zoneField(_ zone: FacialZone, _ type: ScarType) -> String { "zones.\(zone.rawValue).\(type.rawValue)" }
    public static func sizeField(_ zone: FacialZone) -> String { "zones.\(zone.rawValue).sizeClass" }
    public static func depthField(_ zone: FacialZone) -> String { "zones.\(zone.rawValue).depthClass" }
    public static func gbQuantitativeField(_ row: GoodmanBaronQuantitative.Row) -> String { "gbQuantitative.\(row.rawValue)" }
    public static func eccaField(_ item: ECCA.Item) -> String { "ecca.\(item.rawValue)" }
    public static func gbQualitativeField(_ key: String) -> String { "gbQualitative.\(key)" }
    public static let qualitativeKeys = ["contourChange", "obviousAt50cm", "coveredByMakeup", "flattensOnStretch"]

    /// Every field name the input knows, in form order.
    public static var fieldNames: [String] {
        var names = ["assessedOn", "blinded", "notes", "hypertrophicAreaCm2"]
        for zone in FacialZone.allCases {
            names += ScarType.allCases.map { zoneField(zone, $0) } + [sizeField(zone), depthField(zone)]
        }
        names += GoodmanBaronQuantitative.Row.countedRows.map(gbQuantitativeField)
        names += ECCA.Item.allCases.map(eccaField)
        names += qualitativeKeys.map(gbQualitativeField)
        return names
    }

    /// Checks every field and reports all problems at once. `today` bounds the assessment date.
    public func validate(today: CalendarDate) -> Result<ScarAssessmentDetails, ValidationFailure> {
        var errors: [FieldError] = []

        func count(_ field: String) -> Int {
            guard let raw = Text.trimmed(values[field]) else { return 0 }
            guard raw.count <= 12, raw.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.decimalDigits.contains($0) }),
                  let n = Int(raw) else {
                errors.append(FieldError(field, "must be a whole number of 0 or more, got \(raw)"))
                return 0
            }
            guard n <= Self.maxCount else {
                errors.append(FieldError(field, "must be at most \(Self.maxCount), got \(n)"))
                return 0
            }
            return n
        }

        func yesNo(_ field: String, required: Bool) -> Bool {
            guard let raw = Text.trimmed(values[field])?.lowercased() else {
                if required { errors.append(FieldError(field, "is required (yes or no)")) }
                return false
            }
            switch raw {
            case "yes", "true", "on", "1": return true
            case "no", "false", "off", "0": return false
            default:
                errors.append(FieldError(field, "must be yes or no"))
                return false
            }
        }

        func choice<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type) -> T? where T.RawValue == String {
            guard let raw = Text.trimmed(values[field]) else { return nil }
            guard let value = T(rawValue: raw) else {
                errors.append(FieldError(field, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"))
                return nil
            }
            return value
        }

        var assessedOn = today
        if let raw = Text.trimmed(values["assessedOn"]) {
            if let date = CalendarDate(raw) {
                if date > today {
                    errors.append(FieldError("assessedOn", "must not be in the future"))
                } else if date.year < 1900 {
                    errors.append(FieldError("assessedOn", "must be after 1900"))
                }
                assessedOn = date
            } else {
                errors.append(FieldError("assessedOn", "must be a real date written YYYY-MM-DD"))
            }
        } else {
            errors.append(FieldError("assessedOn", "is required"))
        }

        let blinded = yesNo("blinded", required: false)

        let notes = Text.trimmed(values["notes"])
        if let notes {
            if notes.count > Self.maxNotesLength {
                errors.append(FieldError("notes", "must be at most \(Self.maxNotesLength) characters"))
            }
            if notes.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }) {
                errors.append(FieldError("notes", "must not contain control characters"))
            }
        }

        var area = 0.0
        if let raw = Text.trimmed(values["hypertrophicAreaCm2"]) {
            if raw.count <= 20, raw.unicodeScalars.allSatisfy({ $0.isASCII && ($0 == "." || CharacterSet.decimalDigits.contains($0)) }),
               let a = Double(raw), a.isFinite {
                area = a
            } else {
                errors.append(FieldError("hypertrophicAreaCm2", "must be a number of 0 or more (cm², e.g. 4.5), got \(raw)"))
            }
        }

        let zones = FacialZone.allCases.map { zone in
            var counts: [ScarType: Int] = [:]
            for type in ScarType.allCases { counts[type] = count(Self.zoneField(zone, type)) }
            return ZoneFinding(zone: zone, counts: counts, sizeClass: choice(Self.sizeField(zone), ScarSizeClass.self),
                               depthClass: choice(Self.depthField(zone), ScarDepthClass.self))
        }

        var gbqCounts: [GoodmanBaronQuantitative.Row: Int] = [:]
        for row in GoodmanBaronQuantitative.Row.countedRows { gbqCounts[row] = count(Self.gbQuantitativeField(row)) }
        var eccaCounts: [ECCA.Item: Int] = [:]
        for item in ECCA.Item.allCases { eccaCounts[item] = count(Self.eccaField(item)) }
        let answers = GoodmanBaronQualitative.Answers(
            contourChange: yesNo(Self.gbQualitativeField("contourChange"), required: true),
            obviousAt50cm: yesNo(Self.gbQualitativeField("obviousAt50cm"), required: true),
            coveredByMakeup: yesNo(Self.gbQualitativeField("coveredByMakeup"), required: true),
            flattensOnStretch: yesNo(Self.gbQualitativeField("flattensOnStretch"), required: true))

        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        do {
            // The scale types validate again; with the checks above they cannot fail, but a
            // failure is still reported rather than trapped.
            let gbq = try GoodmanBaronQuantitative.Input(counts: gbqCounts, keloidAreaCm2: area)
            let ecca = try ECCA.Input(counts: eccaCounts)
            return .success(ScarAssessmentDetails(assessedOn: assessedOn, blinded: blinded, notes: notes, zones: zones,
                                                  hypertrophicAreaCm2: area, gbQuantitative: gbq, ecca: ecca, gbQualitative: answers))
        } catch {
            return .failure(ValidationFailure([error]))
        }
    }
}

extension ScarAssessmentInput {
    /// The result of reading an API body: not JSON at all (the caller answers 400), or the
    /// input with any field-level type problems (answered 422 together with `validate`'s).
    public enum JSONRead: Sendable {
        case unreadable(String)
        case read(ScarAssessmentInput, [FieldError])
    }

    /// Reads the API's JSON body (see openapi.json `AssessmentInput`). Numbers must be JSON
    /// numbers, answers JSON booleans; unknown keys are refused so a misspelt field is never
    /// read as 0 or "no".
    public static func read(json data: Data) -> JSONRead {
        let document: JSONValue
        do { document = try JSONValue.parse(data) } catch { return .unreadable(error.message) }
        guard case .object = document else { return .unreadable("The body must be a JSON object.") }
        var errors: [FieldError] = []
        var input = ScarAssessmentInput()
        guard var top = JSONObjectReader(document, path: "", errors: &errors) else { return .unreadable("The body must be a JSON object.") }

        func text(_ reader: inout JSONObjectReader, _ key: String) {
            guard let v = reader.value(key) else { return }
            guard case .string(let s) = v else {
                errors.append(FieldError(reader.fieldPath(key), "must be a string, got \(v.typeName)"))
                return
            }
            input[reader.fieldPath(key)] = s
        }
        func number(_ reader: inout JSONObjectReader, _ key: String) {
            guard let v = reader.value(key) else { return }
            switch v {
            case .int: input[reader.fieldPath(key)] = v.rendered
            // JSON has one number type: 3.0 is the whole number 3.
            case .double(let d) where d == d.rounded() && abs(d) <= 1e15 && !reader.fieldPath(key).hasSuffix("Cm2"):
                input[reader.fieldPath(key)] = String(Int(d))
            case .double: input[reader.fieldPath(key)] = v.rendered
            default: errors.append(FieldError(reader.fieldPath(key), "must be a number, got \(v.typeName)"))
            }
        }
        func boolean(_ reader: inout JSONObjectReader, _ key: String) {
            guard let v = reader.value(key) else { return }
            guard case .bool(let b) = v else {
                errors.append(FieldError(reader.fieldPath(key), "must be true or false, got \(v.typeName)"))
                return
            }
            input[reader.fieldPath(key)] = b ? "yes" : "no"
        }
        func object(_ key: String, _ body: (inout JSONObjectReader) -> Void) {
            guard let v = top.value(key) else { return }
            guard var reader = JSONObjectReader(v, path: key, errors: &errors) else { return }
            body(&reader)
            reader.rejectUnknownKeys(errors: &errors)
        }

        text(&top, "assessedOn")
        boolean(&top, "blinded")
        text(&top, "notes")
        number(&top, "hypertrophicAreaCm2")
        if let zonesValue = top.value("zones") {
            if case .object(let members) = zonesValue {
                for member in members {
                    guard let zone = FacialZone(rawValue: member.key) else {
                        errors.append(FieldError("zones.\(member.key)", "is not a known zone (\(FacialZone.allCases.map(\.rawValue).joined(separator: ", ")))"))
                        continue
                    }
                    guard var reader = JSONObjectReader(member.value, path: "zones.\(zone.rawValue)", errors: &errors) else { continue }
                    for type in ScarType.allCases { number(&reader, type.rawValue) }
                    text(&reader, "sizeClass")
                    text(&reader, "depthClass")
                    reader.rejectUnknownKeys(errors: &errors)
                }
            } else {
                errors.append(FieldError("zones", "must be a JSON object keyed by zone, got \(zonesValue.typeName)"))
            }
        }
        object("gbQuantitative") { reader in
            for row in GoodmanBaronQuantitative.Row.countedRows { number(&reader, row.rawValue) }
            for key in ["D2", "D2AreaCm2"] where reader.value(key) != nil {
                errors.append(FieldError("gbQuantitative.\(key)", "is scored by area: give hypertrophicAreaCm2 (cm²) instead"))
            }
        }
        object("ecca") { reader in
            for item in ECCA.Item.allCases { number(&reader, item.rawValue) }
        }
        object("gbQualitative") { reader in
            for key in qualitativeKeys { boolean(&reader, key) }
        }
        top.rejectUnknownKeys(errors: &errors)
        return .read(input, errors)
    }
}
