import Foundation

/// What a CSV import brings in: patients, or appointments of patients already imported.
public enum ImportKind: String, Sendable, Codable, CaseIterable, Hashable {
    case patients, appointments

    public var label: String { self == .patients ? "Patients" : "Appointments" }
}

/// A field of an imported row, named as the ScarTrack template's column header names it.
public enum ImportField: String, Sendable, Codable, CaseIterable, Hashable {
    // Patients
    case sourceId, givenName, familyName, dateOfBirth, sex, email, phone, recordNumber
    // Appointments (also `sourceId`)
    case patientSourceId, patientRecordNumber, date, time, durationMinutes, practitioner, room, status, visitKind, modality

    public static func fields(of kind: ImportKind) -> [ImportField] {
        switch kind {
        case .patients: [.sourceId, .givenName, .familyName, .dateOfBirth, .sex, .email, .phone, .recordNumber]
        case .appointments: [.sourceId, .patientSourceId, .patientRecordNumber, .date, .time, .durationMinutes, .practitioner, .room,
                             .status, .visitKind, .modality]
        }
    }

    /// Columns a file must have for the kind (the patient of an appointment may come from either patient column).
    public static func required(of kind: ImportKind) -> [ImportField] {
        switch kind {
        case .patients: [.sourceId, .givenName, .familyName, .dateOfBirth]
        case .appointments: [.sourceId, .date, .time, .durationMinutes, .practitioner, .room]
        }
    }
}

/// How dates are written in the file; the mapping names one, so `03/04/2025` is never guessed.
public enum ImportDateFormat: String, Sendable, Codable, CaseIterable, Hashable {
    case iso = "YYYY-MM-DD"
    case dayMonthYear = "DD/MM/YYYY"
    case monthDayYear = "MM/DD/YYYY"
    case dotted = "DD.MM.YYYY"

    /// The day written this way (one- or two-digit day and month, four-digit year), or nil.
    public func date(_ text: String) -> CalendarDate? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let separator: Character
        switch self {
        case .iso: separator = "-"
        case .dayMonthYear, .monthDayYear: separator = "/"
        case .dotted: separator = "."
        }
        let parts = t.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        let (y, m, d): (Int, Int, Int) = switch self {
        case .iso: (numbers[0], numbers[1], numbers[2])
        case .dayMonthYear, .dotted: (numbers[2], numbers[1], numbers[0])
        case .monthDayYear: (numbers[2], numbers[0], numbers[1])
        }
        let yearText = self == .iso ? parts[0] : parts[2]
        guard yearText.count == 4, (1...2).contains(self == .iso ? parts[1].count : parts[0].count) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }
}

/// Which column of the file holds which field, and how its dates are written. Presets cover the
/// plain ScarTrack template and OpenEMR's patient export; a clinic may bring its own as JSON:
/// `{"kind": "patients", "dateFormat": "DD/MM/YYYY", "columns": {"sourceId": "Patient no", …}}`.
public struct ImportMapping: Sendable, Codable, Equatable {
    public var kind: ImportKind
    public var dateFormat: ImportDateFormat
    /// Field → the column header in the file (compared trimmed and case-insensitively).
    public var columns: [ImportField: String]

    public init(kind: ImportKind, dateFormat: ImportDateFormat, columns: [ImportField: String]) {
        self.kind = kind
        self.dateFormat = dateFormat
        self.columns = columns
    }

    enum CodingKeys: String, CodingKey { case kind, dateFormat, columns }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(ImportKind.self, forKey: .kind)
        dateFormat = try c.decode(ImportDateFormat.self, forKey: .dateFormat)
        var columns: [ImportField: String] = [:]
        for (key, header) in try c.decode([String: String].self, forKey: .columns) {
            guard let field = ImportField(rawValue: key), ImportField.fields(of: kind).contains(field) else {
                throw DecodingError.dataCorruptedError(forKey: .columns, in: c, debugDescription: "\(key) is not a field of a \(kind.rawValue) import")
            }
            columns[field] = header
        }
        self.columns = columns
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(dateFormat, forKey: .dateFormat)
        try c.encode(Dictionary(uniqueKeysWithValues: columns.map { ($0.key.rawValue, $0.value) }), forKey: .columns)
    }

    /// The plain template: one column per field, headed by the field's own name, ISO dates.
    public static func scarTrack(_ kind: ImportKind) -> ImportMapping {
        ImportMapping(kind: kind, dateFormat: .iso,
                      columns: Dictionary(uniqueKeysWithValues: ImportField.fields(of: kind).map { ($0, $0.rawValue) }))
    }

    /// OpenEMR's `patient_data` columns as its patient export names them (`pid` is unique there;
    /// `pubpid`, the chart number people see, is not, so it is not used as the source id).
    public static let openEMR = ImportMapping(kind: .patients, dateFormat: .iso, columns: [
        .sourceId: "pid", .givenName: "fname", .familyName: "lname", .dateOfBirth: "DOB", .sex: "sex", .email: "email",
        .phone: "phone_cell",
    ])

    /// The named preset of this kind (`scartrack`, `openemr`), or nil.
    public static func preset(_ name: String, kind: ImportKind) -> ImportMapping? {
        switch name.lowercased() {
        case "scartrack": .scarTrack(kind)
        case "openemr": kind == .patients ? .openEMR : nil
        default: nil
        }
    }

    public static func presetNames(_ kind: ImportKind) -> [String] { kind == .patients ? ["scartrack", "openemr"] : ["scartrack"] }
}
