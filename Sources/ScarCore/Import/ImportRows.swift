import Foundation

/// One refused cell or row of an import file: the row as a spreadsheet numbers it (the header is
/// row 1), the column as the file heads it, and the reason in plain words.
public struct ImportProblem: Sendable, Equatable, Codable, Hashable {
    public var row: Int
    public var field: String
    public var reason: String

    public init(row: Int, field: String, reason: String) {
        self.row = row
        self.field = field
        self.reason = reason
    }

    /// The per-row error report: `row,field,reason`, through the product's one CSV writer.
    public static func report(_ problems: [ImportProblem]) -> String {
        CSV.row(["row", "field", "reason"]) + problems.map { CSV.row([String($0.row), $0.field, $0.reason]) }.joined()
    }
}

/// The problems of one row (or of the header), thrown together.
public struct ImportProblems: Error, Sendable, Equatable {
    public var problems: [ImportProblem]
    public init(_ problems: [ImportProblem]) { self.problems = problems }
}

/// The mapping applied to one file's header row: where each mapped field sits.
public struct ImportColumns: Sendable {
    public let mapping: ImportMapping
    let index: [ImportField: Int]

    /// Every required column present (an appointment file needs one of the two patient columns),
    /// or one problem per missing column, on row 1.
    public static func resolve(header: [String], mapping: ImportMapping) -> Result<ImportColumns, ImportProblems> {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [ImportField: Int] = [:]
        for (field, column) in mapping.columns {
            if let i = names.firstIndex(of: column.trimmingCharacters(in: .whitespaces).lowercased()) { index[field] = i }
        }
        var problems = ImportField.required(of: mapping.kind).filter { index[$0] == nil }.map {
            ImportProblem(row: 1, field: mapping.columns[$0] ?? $0.rawValue, reason: "this column is required and is not in the file")
        }
        if mapping.kind == .appointments, index[.patientSourceId] == nil, index[.patientRecordNumber] == nil {
            let a = mapping.columns[.patientSourceId] ?? ImportField.patientSourceId.rawValue
            let b = mapping.columns[.patientRecordNumber] ?? ImportField.patientRecordNumber.rawValue
            problems.append(ImportProblem(row: 1, field: a, reason: "the file needs a \(a) or a \(b) column to find each appointment's patient"))
        }
        return problems.isEmpty ? .success(ImportColumns(mapping: mapping, index: index)) : .failure(ImportProblems(problems))
    }

    /// The trimmed, NFC-normalised cell of a field; nil when the column is absent or the cell empty.
    public func value(_ field: ImportField, in row: [String]) -> String? {
        guard let i = index[field], i < row.count else { return nil }
        return Text.normalized(row[i])
    }

    /// The column header the file uses for a field (how problems name it).
    public func header(_ field: ImportField) -> String { mapping.columns[field] ?? field.rawValue }

    /// A field's source id: required, at most 64 characters, no control characters.
    func sourceId(_ field: ImportField, in row: [String], number: Int, problems: inout [ImportProblem]) -> String? {
        guard let id = value(field, in: row) else {
            problems.append(ImportProblem(row: number, field: header(field), reason: "is required"))
            return nil
        }
        if id.count > 64 || Text.hasControlCharacters(id) {
            problems.append(ImportProblem(row: number, field: header(field), reason: "must be at most 64 characters without control characters"))
            return nil
        }
        return id
    }
}

/// A patient row that passed every check, ready to store.
public struct ImportedPatient: Sendable, Equatable {
    public var row: Int
    public var sourceId: String
    public var details: PatientDetails

    /// Maps one row and validates it with the rules of registering a patient
    /// (`PatientDetails.validate`), naming each problem by the file's column.
    public static func validate(_ cells: [String], row: Int, columns: ImportColumns, today: CalendarDate) -> Result<ImportedPatient, ImportProblems> {
        var problems: [ImportProblem] = []
        let sourceId = columns.sourceId(.sourceId, in: cells, number: row, problems: &problems)
        var dob = columns.value(.dateOfBirth, in: cells)
        if let raw = dob {
            if let date = columns.mapping.dateFormat.date(raw) { dob = date.description } else {
                problems.append(ImportProblem(row: row, field: columns.header(.dateOfBirth),
                                              reason: "must be a real date written \(columns.mapping.dateFormat.rawValue)"))
                dob = nil
            }
        } else {
            problems.append(ImportProblem(row: row, field: columns.header(.dateOfBirth), reason: "is required"))
        }
        let input = PatientDetails.Input(givenName: columns.value(.givenName, in: cells), familyName: columns.value(.familyName, in: cells),
                                         dateOfBirth: dob ?? "1900-01-01", sex: columns.value(.sex, in: cells).map(Self.sex),
                                         mrn: columns.value(.recordNumber, in: cells), phone: columns.value(.phone, in: cells),
                                         email: columns.value(.email, in: cells))
        let fieldOf: [String: ImportField] = ["givenName": .givenName, "familyName": .familyName, "dateOfBirth": .dateOfBirth, "sex": .sex,
                                              "mrn": .recordNumber, "phone": .phone, "email": .email]
        switch PatientDetails.validate(input, today: today) {
        case .failure(let failure):
            problems += failure.errors.map { ImportProblem(row: row, field: columns.header(fieldOf[$0.field] ?? .sourceId), reason: $0.message) }
            return .failure(ImportProblems(problems))
        case .success(let details):
            guard problems.isEmpty, let sourceId else { return .failure(ImportProblems(problems)) }
            return .success(ImportedPatient(row: row, sourceId: sourceId, details: details))
        }
    }

    /// Sex as other systems write it (`F`, `Female`, `w`, `M`, …) in ScarTrack's words; anything else
    /// is passed on for the registration rules to refuse.
    static func sex(_ raw: String) -> String {
        switch raw.lowercased() {
        case "f", "female", "w", "woman": "female"
        case "m", "male", "man": "male"
        case "o", "other": "other"
        case "u", "unknown": "unknown"
        default: raw
        }
    }
}

/// The key under which two patients are likely the same person: given and family name folded
/// (case, accents, spaces, hyphens and apostrophes) and the date of birth. Only listed for review.
public enum LikelyDuplicate {
    public static func key(givenName: String, familyName: String, dateOfBirth: CalendarDate) -> String {
        func fold(_ s: String) -> String {
            let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            var kept = String.UnicodeScalarView()
            for scalar in folded.lowercased().unicodeScalars where CharacterSet.alphanumerics.contains(scalar) { kept.append(scalar) }
            return String(kept)
        }
        return "\(fold(givenName))|\(fold(familyName))|\(dateOfBirth)"
    }
}
