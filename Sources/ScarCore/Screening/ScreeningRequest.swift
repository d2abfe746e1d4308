import Foundation

/// One screening question as the command line (and the API) receive it: an intake plus the
/// day and the modality to screen for. `parse` is the strict reader of that JSON: it reports
/// every problem by field name, and refuses unknown keys so that a misspelt contraindication
/// is never silently read as absent.
public struct ScreeningRequest: Sendable, Hashable, Codable {
    public var asOf: CalendarDate
    public var modality: Modality
    public var intake: Intake

    public init(asOf: CalendarDate, modality: Modality, intake: Intake) {
        self.asOf = asOf
        self.modality = modality
        self.intake = intake
    }

    /// Longest free-text detail accepted (a metal or an anesthetic agent's name).
    static let maxDetailLength = 200

    /// Keys (all optional unless marked; flags default to false, `null` counts as absent):
    /// - `asOf` (required, `YYYY-MM-DD`), `modality` (required: `microneedling` | `rf-microneedling`);
    /// - `fitzpatrick` (whole number 1–6), `fitzpatrickMethod` (`self-reported` | `clinician-assessed`);
    /// - flags: `activeAcneInArea`, `localInfectionInArea`, `activeHerpesLabialis`, `herpesHistory`,
    ///   `antiviralProphylaxisPlanned`, `anticoagulants`, `bleedingDisorder`, `immunosuppressed`,
    ///   `chemotherapy`, `pregnantOrBreastfeeding`, `keloidHistory`, `pacemakerOrImplantedDevice`,
    ///   `metalImplantsInArea`, `metalAllergy`, `anestheticAllergy`, `recentSunburn`,
    ///   `uncontrolledDiabetes`, `autoimmuneDisease`, `skinCancerInArea`, `systemicInfection`;
    /// - `eczemaPsoriasisInArea` (`none` | `mild` | `moderate` | `severe`);
    /// - `isotretinoin`: `{"status": "never" | "current" | "stopped", "stoppedOn": "YYYY-MM-DD"}`
    ///   (`stoppedOn` required with, and only with, `stopped`);
    /// - `retinoidStoppedOn` (`YYYY-MM-DD`);
    /// - `recentProcedures`: `[{"kind": "chemical-peel" | "laser" | "filler" | "neuromodulator" | "waxing", "on": "YYYY-MM-DD"}]`;
    /// - `metalAllergyDetail`, `anestheticAllergyDetail`: one line of text, at most 200 characters.
    ///
    /// Throws every problem found, each naming its field path.
    public static func parse(json: Data) throws(ValidationFailure) -> ScreeningRequest {
        var errors: [FieldError] = []
        let document: JSONValue
        do { document = try JSONValue.parse(json) } catch { throw ValidationFailure([error]) }
        guard var reader = JSONObjectReader(document, path: "", errors: &errors) else { throw ValidationFailure(errors) }

        let asOf = reader.date("asOf", errors: &errors)
        if asOf == nil, reader.value("asOf") == nil { errors.append(FieldError("asOf", "is required (YYYY-MM-DD)")) }
        let modality = reader.choice("modality", Modality.self, errors: &errors)
        if modality == nil, reader.value("modality") == nil {
            errors.append(FieldError("modality", "is required (one of microneedling, rf-microneedling)"))
        }

        var intake = Intake()
        intake.fitzpatrick = fitzpatrick(&reader, errors: &errors)
        intake.fitzpatrickMethod = reader.choice("fitzpatrickMethod", FitzpatrickMethod.self, errors: &errors)
        intake.activeAcneInArea = reader.bool("activeAcneInArea", errors: &errors)
        intake.localInfectionInArea = reader.bool("localInfectionInArea", errors: &errors)
        intake.activeHerpesLabialis = reader.bool("activeHerpesLabialis", errors: &errors)
        intake.herpesHistory = reader.bool("herpesHistory", errors: &errors)
        intake.antiviralProphylaxisPlanned = reader.bool("antiviralProphylaxisPlanned", errors: &errors)
        intake.eczemaPsoriasisInArea = reader.choice("eczemaPsoriasisInArea", SkinConditionSeverity.self, errors: &errors) ?? .none
        intake.anticoagulants = reader.bool("anticoagulants", errors: &errors)
        intake.bleedingDisorder = reader.bool("bleedingDisorder", errors: &errors)
        intake.immunosuppressed = reader.bool("immunosuppressed", errors: &errors)
        intake.chemotherapy = reader.bool("chemotherapy", errors: &errors)
        intake.pregnantOrBreastfeeding = reader.bool("pregnantOrBreastfeeding", errors: &errors)
        intake.keloidHistory = reader.bool("keloidHistory", errors: &errors)
        intake.isotretinoin = isotretinoin(&reader, errors: &errors)
        intake.pacemakerOrImplantedDevice = reader.bool("pacemakerOrImplantedDevice", errors: &errors)
        intake.metalImplantsInArea = reader.bool("metalImplantsInArea", errors: &errors)
        intake.metalAllergy = reader.bool("metalAllergy", errors: &errors)
        intake.metalAllergyDetail = detail("metalAllergyDetail", &reader, errors: &errors)
        intake.anestheticAllergy = reader.bool("anestheticAllergy", errors: &errors)
        intake.anestheticAllergyDetail = detail("anestheticAllergyDetail", &reader, errors: &errors)
        intake.recentSunburn = reader.bool("recentSunburn", errors: &errors)
        intake.retinoidStoppedOn = reader.date("retinoidStoppedOn", errors: &errors)
        intake.recentProcedures = procedures(&reader, errors: &errors)
        intake.uncontrolledDiabetes = reader.bool("uncontrolledDiabetes", errors: &errors)
        intake.autoimmuneDisease = reader.bool("autoimmuneDisease", errors: &errors)
        intake.skinCancerInArea = reader.bool("skinCancerInArea", errors: &errors)
        intake.systemicInfection = reader.bool("systemicInfection", errors: &errors)
        reader.rejectUnknownKeys(errors: &errors)

        guard errors.isEmpty, let asOf, let modality else { throw ValidationFailure(errors) }
        return ScreeningRequest(asOf: asOf, modality: modality, intake: intake)
    }

    private static func fitzpatrick(_ reader: inout JSONObjectReader, errors: inout [FieldError]) -> FitzpatrickType? {
        reader.integer("fitzpatrick", in: 1...6, expected: "a whole number from 1 to 6", errors: &errors)
            .flatMap(FitzpatrickType.init(rawValue:))
    }

    private static func detail(_ key: String, _ reader: inout JSONObjectReader, errors: inout [FieldError]) -> String? {
        guard let text = reader.string(key, errors: &errors) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > maxDetailLength || trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors.append(FieldError(key, "must be one line of at most \(maxDetailLength) characters"))
            return nil
        }
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func isotretinoin(_ reader: inout JSONObjectReader, errors: inout [FieldError]) -> IsotretinoinStatus {
        guard let raw = reader.value("isotretinoin") else { return .never }
        guard var object = JSONObjectReader(raw, path: "isotretinoin", errors: &errors) else { return .never }
        let status = object.string("status", errors: &errors)
        let stoppedOn = object.date("stoppedOn", errors: &errors)
        let stoppedOnGiven = object.value("stoppedOn") != nil
        object.rejectUnknownKeys(errors: &errors)
        switch status {
        case "never", "current":
            if stoppedOnGiven {
                errors.append(FieldError("isotretinoin.stoppedOn", "is only allowed when status is stopped"))
            }
            return status == "current" ? .current : .never
        case "stopped":
            if let stoppedOn { return .stopped(on: stoppedOn) }
            if !stoppedOnGiven {
                errors.append(FieldError("isotretinoin.stoppedOn", "is required when status is stopped (YYYY-MM-DD)"))
            }
            return .never
        case nil:
            if object.value("status") == nil {
                errors.append(FieldError("isotretinoin.status", "is required (one of never, current, stopped)"))
            }
            return .never
        case let other?:
            errors.append(FieldError("isotretinoin.status", "must be one of never, current, stopped, got \(JSONValue.string(other).rendered)"))
            return .never
        }
    }

    private static func procedures(_ reader: inout JSONObjectReader, errors: inout [FieldError]) -> [RecentProcedure] {
        guard let raw = reader.value("recentProcedures") else { return [] }
        guard case .array(let items) = raw else {
            errors.append(FieldError("recentProcedures", "must be an array of {\"kind\", \"on\"}, got \(raw.typeName)"))
            return []
        }
        var result: [RecentProcedure] = []
        for (i, item) in items.enumerated() {
            let path = "recentProcedures[\(i)]"
            guard var object = JSONObjectReader(item, path: path, errors: &errors) else { continue }
            let kind = object.choice("kind", RecentProcedure.Kind.self, errors: &errors)
            if kind == nil, object.value("kind") == nil { errors.append(FieldError("\(path).kind", "is required")) }
            let on = object.date("on", errors: &errors)
            if on == nil, object.value("on") == nil { errors.append(FieldError("\(path).on", "is required (YYYY-MM-DD)")) }
            object.rejectUnknownKeys(errors: &errors)
            if let kind, let on { result.append(RecentProcedure(kind: kind, on: on)) }
        }
        return result
    }
}
