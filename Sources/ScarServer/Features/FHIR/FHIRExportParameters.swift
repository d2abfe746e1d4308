import Foundation
import HTTPTypes
import Hummingbird
import ScarStore

/// The parameters of a Bulk Data kick-off, from the query (GET) or a FHIR `Parameters` body
/// (POST), read strictly: what this server does not support (`_typeFilter`, `_elements`,
/// `patient`, `includeAssociatedData`, an output format other than NDJSON, an unknown name) is a
/// 400 OperationOutcome naming it, never silently ignored, so a client never receives less
/// than it asked for without knowing.
public struct FHIRExportParameters {
    /// The output formats accepted (all NDJSON), as `/openapi.json` lists them.
    public static let outputFormats = ["application/fhir+ndjson", "application/ndjson", "ndjson"]
    /// The kick-off parameters read (each handled below); `/openapi.json` lists the same.
    public static let supported = ["_type", "_since", "_outputFormat", "_typeFilter"]
    /// The one `Prefer` a kick-off takes.
    public static let prefer = "respond-async"
    static let formats = Set(outputFormats)
    /// The types an export writes: every type `/fhir` serves.
    static let exportable = FHIRType.allCases.map(\.rawValue)
    static let unsupported = ["_elements", "patient", "includeAssociatedData", "_until", "organizeOutputBy"]

    var types: [String]?
    var since: Date?
    /// `_typeFilter` queries, each checked by the REST search's own parser at kick-off.
    var typeFilters: [String] = []

    /// Checks the headers a kick-off needs (`Prefer: respond-async`; `Accept`, if sent, FHIR JSON).
    static func checkHeaders(_ request: Request) throws {
        let prefer = request.headers[values: HTTPField.Name("Prefer")!].joined(separator: ",").lowercased()
        guard prefer.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == Self.prefer }) else {
            throw AppError.badRequest("A bulk export runs asynchronously: send Prefer: respond-async.", field: "Prefer")
        }
        if let accept = request.headers[.accept]?.lowercased(),
           !["application/fhir+json", "application/json", "*/*"].contains(where: { accept.contains($0) }) {
            throw AppError.badRequest("Accept must be application/fhir+json.", field: "Accept")
        }
    }

    init(query: [(String, String)]) throws {
        for (name, value) in query { try apply(name, value) }
    }

    init(body request: Request, limit: Int) async throws {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/fhir+json") || type.hasPrefix("application/json") else {
            throw AppError(.unsupportedMediaType, "Unsupported media type", detail: "Send a FHIR Parameters resource as application/fhir+json.")
        }
        var request = request
        let data = Data(try await request.collectBody(upTo: limit).readableBytesView)
        guard let body = try? JSONDecoder().decode(ParametersBody.self, from: data), body.resourceType == "Parameters" else {
            throw AppError.badRequest("The body must be a FHIR Parameters resource.", field: "resourceType")
        }
        // `parameter` may be left out, never null; at most 20, as the document says.
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if object["parameter"] is NSNull { throw AppError.badRequest("must be a list of parameters", field: "parameter") }
            // A value is left out when not given, never null.
            for item in object["parameter"] as? [[String: Any]] ?? [] {
                if let key = ["name", "valueString", "valueInstant"].first(where: { item[$0] is NSNull }) {
                    throw AppError.badRequest("must not be null", field: key)
                }
            }
        }
        guard (body.parameter ?? []).count <= 20 else { throw AppError.badRequest("takes at most 20 parameters", field: "parameter") }
        for p in body.parameter ?? [] {
            // Whatever a parameter carries must be well formed, even a value its name does not use.
            if let text = p.valueString, text.count > 400 { throw AppError.badRequest("valueString is longer than 400 characters", field: p.name) }
            if let text = p.valueInstant, Self.instant(text) == nil {
                throw AppError.badRequest("valueInstant must be a FHIR instant, e.g. 2026-01-31T09:00:00Z", field: p.name)
            }
            // Each parameter's value in the type Bulk Data gives it: _since an instant, the others strings.
            let value = p.name == "_since" ? p.valueInstant : Self.supported.contains(p.name) ? p.valueString : p.valueString ?? p.valueInstant
            guard let value else {
                throw AppError.badRequest(p.name == "_since" ? "needs a valueInstant" : "needs a valueString", field: p.name)
            }
            try apply(p.name, value)
        }
    }

    struct ParametersBody: Decodable {
        var resourceType: String
        var parameter: [Parameter]?
        struct Parameter: Decodable {
            var name: String
            var valueString: String?
            var valueInstant: String?
        }
    }

    private mutating func apply(_ name: String, _ value: String) throws {
        switch name {
        case "_outputFormat":
            guard Self.formats.contains(value) else {
                throw AppError.badRequest("must be application/fhir+ndjson (or application/ndjson, ndjson): only NDJSON is written", field: name)
            }
        case "_type":
            var types = self.types ?? []
            for t in value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                guard Self.exportable.contains(t) else {
                    throw AppError.badRequest("\(t.prefix(64)) is not a type this server exports (\(Self.exportable.joined(separator: ", ")))", field: name)
                }
                if !types.contains(t) { types.append(t) }
            }
            self.types = types
        case "_typeFilter":
            guard typeFilters.count < 20 else { throw AppError.badRequest("takes at most 20 queries", field: name) }
            _ = try FHIRTypeFilter(value)
            typeFilters.append(value)
        case "_since":
            guard let date = Self.instant(value) else { throw AppError.badRequest("must be a FHIR instant, e.g. 2026-01-31T09:00:00Z", field: name) }
            since = date
        case let other where Self.unsupported.contains(other):
            throw AppError.badRequest("is not supported by this server's bulk export", field: other)
        default:
            throw AppError.badRequest("is not a bulk export parameter this server knows", field: String(name.prefix(64)))
        }
    }

    /// `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`: an instant always carries its zone.
    static func instant(_ text: String) -> Date? {
        guard text.count <= 40 else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }
}
