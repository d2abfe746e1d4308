import Foundation
import Hummingbird
import ScarCore
import ScarFHIR

/// The absolute URLs of one search answer: `self`, `next` (by cursor), and each entry's `fullUrl`.
struct FHIRLinks {
    let base: String
    let type: FHIRType
    let query: FHIRSearchQuery?
    var everythingOf: UUID?

    /// `http(s)://host[:port]` as the client addressed us, when that is a plain host name;
    /// otherwise the loopback name (a made-up Host header must not end up in links).
    static func serverBase(_ request: Request) -> String {
        let authority = request.head.authority ?? ""
        let plain = !authority.isEmpty && authority.count <= 255
            && authority.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }
        let scheme = request.head.scheme == "https" ? "https" : "http"
        return "\(scheme)://\(plain ? authority : "localhost")"
    }

    func url(cursor: FHIRCursor?) -> String {
        if let everythingOf { return "\(base)/fhir/Patient/\(everythingOf.lower)/$everything" }
        var items = (query?.applied ?? []).map { URLQueryItem(name: $0.0, value: $0.1) }
        if let cursor { items.append(URLQueryItem(name: "_cursor", value: cursor.encoded)) }
        var components = URLComponents()
        components.queryItems = items
        // `+` is a space in query strings: encode it so a `system|code` or date round-trips.
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return "\(base)/fhir/\(type.rawValue)" + (encoded.isEmpty ? "" : "?" + encoded)
    }

    /// `matches` in order (the next page starts after the last), then what they reference (`include`).
    func bundle(_ matches: [FHIRResource], included: [FHIRResource] = [], total: Int, more: Bool) -> FHIRBundle {
        var link = [FHIRBundle.Link(relation: "self", url: url(cursor: query?.cursor))]
        if more, let last = matches.last { link.append(.init(relation: "next", url: url(cursor: FHIRCursor(sort: query?.sort ?? .byId, after: last)))) }
        let entries = matches.map { (resource: $0, mode: "match") } + included.map { (resource: $0, mode: "include") }
        let entry = entries.map { e in
            FHIRBundle.Entry(fullUrl: "\(base)/fhir/\(e.resource.resourceType)/\(e.resource.id)", resource: e.resource, search: .init(mode: e.mode))
        }
        return FHIRBundle(id: UUID().lower, lastUpdated: Date(), total: total, link: link, entry: entry)
    }
}
