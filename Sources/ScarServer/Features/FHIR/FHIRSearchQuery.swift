import Foundation
import Hummingbird
import ScarFHIR
import ScarStore

/// The search parameters of one `/fhir/{type}` request, read strictly: a malformed value is a
/// 400 OperationOutcome naming it; parameters this server does not support are ignored (the
/// FHIR default, "lenient") and left out of the `self` link, so a client sees what was applied.
struct FHIRSearchQuery: Sendable {
    static let defaultCount = 20
    static let maxCount = 100

    var count = defaultCount
    /// The resource after which the page starts, in the order it was given out in (`_cursor`).
    var cursor: FHIRCursor?
    /// `_sort` (or the cursor's): by id unless asked.
    var sort = FHIRSort.byId
    /// `_lastUpdated` bounds, all of which must hold.
    var lastUpdated: [FHIRInstantBound] = []
    /// `_revinclude={Type}:{param}` from the type's allowlist.
    var revIncludes: [String] = []
    var patient: UUID?
    var date: (FHIRPatientFilter.Comparison, String)?
    var status: String?
    var code: String?
    /// QuestionnaireResponse `questionnaire`: a canonical URL, with or without `|version`.
    var questionnaire: String?
    var patientFilter = FHIRPatientFilter()
    /// `_include={Type}:*`: the resources the matches reference come along (`search.mode`
    /// include); `_include:iterate={Type}:*`: and what those reference, until the Bundle is closed.
    var includeReferenced = false
    var includeIterate = false
    /// The applied parameters, in a fixed order, for the `self` and `next` links.
    var applied: [(String, String)] = []

    init(type: FHIRType, _ q: Parameters) throws {
        if let raw = q.get("_count") {
            guard let n = Int(raw), (1...Self.maxCount).contains(n) else { throw AppError.badRequest("must be 1 to \(Self.maxCount)", field: "_count") }
            count = n
        }
        if let raw = q.get("_sort") { sort = try FHIRSort.parse(raw, type: type) }
        if let raw = q.get("_cursor") {
            guard let cursor = FHIRCursor.decode(raw, type: type) else { throw AppError.badRequest("is not a cursor this server gave out", field: "_cursor") }
            // The cursor carries its order; a different `_sort` beside it cannot continue that order.
            if q.get("_sort") != nil, cursor.sort != sort {
                throw AppError.badRequest("was given out for _sort=\(cursor.sort.text); start again without it to sort otherwise", field: "_cursor")
            }
            self.cursor = cursor
            sort = cursor.sort
        }
        for raw in q.getAll("_lastUpdated").prefix(4) {
            lastUpdated.append(try FHIRInstantBound.parse(raw))
            applied.append(("_lastUpdated", raw))
        }
        for raw in q.getAll("_revinclude").prefix(8) {
            guard type.revIncludes.contains(raw) else {
                let allowed = type.revIncludes.isEmpty ? "none for \(type.rawValue)" : type.revIncludes.joined(separator: ", ")
                throw AppError.badRequest("\(raw.prefix(64)) is not a reverse include this server supports (\(allowed))", field: "_revinclude")
            }
            if !revIncludes.contains(raw) { revIncludes.append(raw) }
        }
        let names = Set(type.searchParameters.map(\.name))
        if type == .Patient {
            try readPatientFilter(q)
        } else {
            if names.contains("patient"), let raw = q.get("patient") ?? q.get("subject") {
                let id = raw.hasPrefix("Patient/") ? String(raw.dropFirst("Patient/".count)) : raw
                guard let uuid = UUID(uuidString: id) else { throw AppError.badRequest("must be Patient/{id} with a patient's id", field: "patient") }
                patient = uuid
                applied.append(("patient", "Patient/\(uuid.lower)"))
            }
            for name in ["date", "recorded", "authored", "created"] where names.contains(name) {
                if let raw = q.get(name) {
                    date = try Self.dateComparison(raw, field: name)
                    applied.append((name, raw))
                }
            }
            if names.contains("status"), let raw = q.get("status"), !raw.isEmpty {
                status = try Self.bounded(raw, 64, field: "status")
                applied.append(("status", raw))
            }
            if names.contains("questionnaire"), let raw = q.get("questionnaire"), !raw.isEmpty {
                questionnaire = try Self.bounded(raw, 400, field: "questionnaire")
                applied.append(("questionnaire", raw))
            }
            for name in ["code", "type"] where names.contains(name) {
                if let raw = q.get(name), !raw.isEmpty {
                    code = try Self.bounded(raw, 200, field: name)
                    applied.append((name, raw))
                }
            }
        }
        for name in ["_include", "_include:iterate"] {
            if let raw = q.get(name), raw == "\(type.rawValue):*" {
                includeReferenced = true
                includeIterate = includeIterate || name == "_include:iterate"
                applied.append((name, raw))
            }
        }
        applied += revIncludes.map { ("_revinclude", $0) }
        if sort != .byId { applied.append(("_sort", sort.text)) }
        patientFilter.lastUpdated = lastUpdated.flatMap(\.storeBounds)
        applied.append(("_count", String(count)))
    }

    private mutating func readPatientFilter(_ q: Parameters) throws {
        if let raw = try q.get("name").map({ try Self.bounded($0, 200, field: "name") })?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            patientFilter.name = raw.precomposedStringWithCanonicalMapping.lowercased()
            applied.append(("name", raw))
        }
        if let raw = q.get("identifier"), !raw.isEmpty {
            // `system|value` or `value`: record numbers are the only identifiers served.
            patientFilter.identifier = try Self.bounded(raw, 200, field: "identifier").split(separator: "|", omittingEmptySubsequences: false).last.map(String.init)
            applied.append(("identifier", raw))
        }
        if let raw = q.get("birthdate") {
            patientFilter.birthDate = try Self.dateComparison(raw, field: "birthdate")
            applied.append(("birthdate", raw))
        }
    }

    /// The lengths the OpenAPI document states, counted as it counts them (code points).
    static func bounded(_ raw: String, _ max: Int, field: String) throws -> String {
        guard raw.unicodeScalars.count <= max else { throw AppError.badRequest("must be at most \(max) characters", field: field) }
        return raw
    }

    /// A date parameter's prefix (`eq` when none) and the value after it.
    static func prefixed(_ raw: String) -> (FHIRPatientFilter.Comparison, String) {
        let prefixes: [(String, FHIRPatientFilter.Comparison)] = [("eq", .eq), ("lt", .lt), ("le", .le), ("gt", .gt), ("ge", .ge)]
        guard let prefix = prefixes.first(where: { raw.hasPrefix($0.0) }) else { return (.eq, raw) }
        return (prefix.1, String(raw.dropFirst(prefix.0.count)))
    }

    /// `[eq|lt|le|gt|ge]YYYY-MM-DD`.
    static func dateComparison(_ raw: String, field: String) throws -> (FHIRPatientFilter.Comparison, String) {
        let (comparison, day) = prefixed(raw)
        // The shape only: days compare as text, and an impossible day simply matches nothing.
        guard day.count == 10, day.enumerated().allSatisfy({ [4, 7].contains($0.offset) ? $0.element == "-" : $0.element.isASCII && $0.element.isNumber }) else { throw AppError.badRequest("must be a day YYYY-MM-DD, optionally after eq, lt, le, gt or ge", field: field) }
        return (comparison, day)
    }

    func matches(_ r: FHIRResource) -> Bool {
        if !lastUpdated.isEmpty {
            guard let instant = FHIRExportParameters.instant(r.meta.lastUpdated), lastUpdated.allSatisfy({ $0.matches(instant) }) else { return false }
        }
        if let date {
            let (comparison, day) = date
            guard let value = r.searchDate?.prefix(10) else { return false }
            let d = String(value)
            let ok = switch comparison {
            case .eq: d == day
            case .lt: d < day
            case .le: d <= day
            case .gt: d > day
            case .ge: d >= day
            }
            if !ok { return false }
        }
        if let status, r.searchStatus != status { return false }
        if let questionnaire, let canonical = r.searchQuestionnaire,
           canonical != questionnaire, canonical.split(separator: "|").first.map(String.init) != questionnaire { return false }
        if let code {
            let parts = code.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let (system, value) = parts.count == 2 ? (parts[0], parts[1]) : (nil, code)
            if !r.searchCodes.contains(where: { $0.code == value && (system == nil || system!.isEmpty || $0.system == system) }) { return false }
        }
        return true
    }
}
