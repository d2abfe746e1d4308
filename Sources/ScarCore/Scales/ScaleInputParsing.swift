import Foundation

/// Strict readers for scale input JSON (command line and API). Every problem names its field;
/// unknown keys are refused so a misspelt row is never scored as 0.
extension GoodmanBaronQuantitative.Input {
    public static func parse(json: Data) throws(ValidationFailure) -> Self {
        var errors: [FieldError] = []
        let document: JSONValue
        do { document = try JSONValue.parse(json) } catch { throw ValidationFailure([error]) }
        guard var reader = JSONObjectReader(document, path: "", errors: &errors) else { throw ValidationFailure(errors) }
        var counts: [GoodmanBaronQuantitative.Row: Int] = [:]
        for row in GoodmanBaronQuantitative.Row.countedRows {
            counts[row] = reader.count(row.rawValue, errors: &errors)
        }
        let area = reader.nonNegativeNumber(areaKey, errors: &errors) ?? 0
        if reader.value("D2") != nil {
            errors.append(FieldError("D2", "is scored by area: give D2AreaCm2 (cm²) instead of a count"))
        }
        reader.rejectUnknownKeys(errors: &errors)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        do { return try Self(counts: counts, keloidAreaCm2: area) } catch { throw ValidationFailure([error]) }
    }
}

extension ECCA.Input {
    public static func parse(json: Data) throws(ValidationFailure) -> Self {
        var errors: [FieldError] = []
        let document: JSONValue
        do { document = try JSONValue.parse(json) } catch { throw ValidationFailure([error]) }
        guard var reader = JSONObjectReader(document, path: "", errors: &errors) else { throw ValidationFailure(errors) }
        var counts: [ECCA.Item: Int] = [:]
        for item in ECCA.Item.allCases {
            counts[item] = reader.count(item.rawValue, errors: &errors)
        }
        reader.rejectUnknownKeys(errors: &errors)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        do { return try Self(counts: counts) } catch { throw ValidationFailure([error]) }
    }
}

extension GoodmanBaronQualitative.Answers {
    /// All four answers are required: a missing answer must not quietly lower the grade.
    public static func parse(json: Data) throws(ValidationFailure) -> Self {
        var errors: [FieldError] = []
        let document: JSONValue
        do { document = try JSONValue.parse(json) } catch { throw ValidationFailure([error]) }
        guard var reader = JSONObjectReader(document, path: "", errors: &errors) else { throw ValidationFailure(errors) }
        func answer(_ key: String) -> Bool {
            if reader.value(key) == nil { errors.append(FieldError(key, "is required (true or false)")) }
            return reader.bool(key, errors: &errors)
        }
        let answers = Self(contourChange: answer("contourChange"), obviousAt50cm: answer("obviousAt50cm"),
                           coveredByMakeup: answer("coveredByMakeup"), flattensOnStretch: answer("flattensOnStretch"))
        reader.rejectUnknownKeys(errors: &errors)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return answers
    }
}
