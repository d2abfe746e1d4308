import Foundation
import Hummingbird

/// One Bulk Data `_typeFilter`: `{Type}?{one search parameter}`, read by the REST search's own
/// parser (`FHIRSearchQuery`). Only what filters one resource at a time is taken: the type's
/// date, status and code parameters and `_lastUpdated`, in the shapes `pattern` (the OpenAPI
/// document's) spells out; anything else (the patient, paging, sorting, includes, Patient's
/// name/identifier/birthdate) is a 400 naming `_typeFilter`. Several filters on one type: any may match.
struct FHIRTypeFilter: Sendable {
    let type: FHIRType
    let query: FHIRSearchQuery

    static let field = "_typeFilter"
    static let day = "(eq|lt|le|gt|ge)?[0-9]{4}-[0-9]{2}-[0-9]{2}"
    static let instant = "(eq|lt|le|gt|ge)?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9]"
        + "(:[0-5][0-9](\\.[0-9]{1,3})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?)?)?"
    static let status = "status=[a-z-]{1,32}"
    /// What a `_typeFilter` may be, as `/openapi.json` states it.
    static let pattern = "^((Condition|Observation|Procedure|AdverseEvent)\\?(code=[A-Za-z0-9.:/|-]{1,100}|\(status)|date=\(day))"
        + "|(Consent|Appointment|CarePlan)\\?(\(status)|date=\(day))|Provenance\\?recorded=\(day)|Device\\?(type|status)=[a-z-]{1,32}"
        + "|(\(FHIRType.allCases.map(\.rawValue).joined(separator: "|")))\\?_lastUpdated=\(instant))$"
    static var regex: NSRegularExpression { try! NSRegularExpression(pattern: pattern) }

    init(_ text: String) throws {
        guard text.count <= 400, Self.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else {
            throw AppError.badRequest("must be one FHIR search parameter on a type this server exports, e.g. Procedure?date=ge2026-01-01, "
                                      + "Observation?code=ecca, Appointment?status=booked or Patient?_lastUpdated=ge2026-01-01", field: Self.field)
        }
        let parts = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let type = FHIRType(rawValue: parts[0]) else {
            throw AppError.badRequest("must be a FHIR search, {Type}?{parameters}, on a type this server exports (e.g. Procedure?date=ge2026-01-01)",
                                      field: Self.field)
        }
        let items = URLComponents(string: "/?" + parts[1])?.queryItems ?? []
        let parameters = Parameters(items.map { (key: Substring($0.name), value: Substring($0.value ?? "")) })
        let allowed = Self.parameters(type)
        guard !parameters.isEmpty else { throw AppError.badRequest("\(type.rawValue)? names no search parameter", field: Self.field) }
        for (name, _) in parameters where !allowed.contains(String(name)) {
            throw AppError.badRequest("\(name.prefix(64)) is not a \(type.rawValue) filter this server applies in an export "
                                      + "(\(allowed.sorted().joined(separator: ", ")))", field: Self.field)
        }
        self.type = type
        query = try FHIRSearchQuery(type: type, parameters)
    }

    /// The names a filter on `type` takes.
    static func parameters(_ type: FHIRType) -> Set<String> {
        let own = type == .Patient ? [] : type.searchParameters.map(\.name).filter { $0 != "patient" }
        return Set(own + FHIRType.commonSearchParameters.map(\.name))
    }
}
