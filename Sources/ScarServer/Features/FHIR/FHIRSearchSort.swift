import Foundation
import ScarFHIR
import ScarStore

/// `_sort`: one key from the type's allowlist (`FHIRType.sortKeys`), `-` for descending; the
/// id breaks ties, so the order is total and a cursor can continue it. A key outside the
/// allowlist is a 400 OperationOutcome (a client relying on an order must never get another).
struct FHIRSort: Sendable, Equatable {
    var key: String
    var descending: Bool

    static let byId = FHIRSort(key: "_id", descending: false)
    var text: String { (descending ? "-" : "") + key }

    init(key: String, descending: Bool) {
        self.key = key
        self.descending = descending
    }

    /// `_sort=[-]key` for `type`, or nil when the text is not an allowed key.
    init?(_ raw: String, type: FHIRType) {
        let descending = raw.hasPrefix("-")
        let key = descending ? String(raw.dropFirst()) : raw
        guard type.sortKeys.contains(key) else { return nil }
        self.init(key: key, descending: descending)
    }

    static func parse(_ raw: String, type: FHIRType) throws -> FHIRSort {
        guard !raw.contains(",") else { throw AppError.badRequest("takes one sort key (the id breaks ties)", field: "_sort") }
        guard let sort = FHIRSort(raw, type: type) else {
            throw AppError.badRequest("\(raw.prefix(64)) is not a sort this server supports for \(type.rawValue) "
                                      + "(\(type.sortKeys.map { "\($0), -\($0)" }.joined(separator: ", ")))", field: "_sort")
        }
        return sort
    }

    /// The text a resource sorts by: FHIR dates and instants in UTC compare as text; none sorts first.
    func value(of r: FHIRResource) -> String {
        switch key {
        case "_id": r.id
        case "_lastUpdated": r.meta.lastUpdated
        default: r.searchDate ?? ""
        }
    }

    /// Whether `a` comes before `b` in this order.
    func precedes(_ a: (value: String, id: String), _ b: (value: String, id: String)) -> Bool {
        let ascending = a.value != b.value ? a.value < b.value : a.id < b.id
        return descending ? !ascending && (a.value != b.value || a.id != b.id) : ascending
    }

    /// The resources in this order, from after the cursor on.
    func page(_ resources: [FHIRResource], after cursor: FHIRCursor?) -> [FHIRResource] {
        let keyed = resources.map { (resource: $0, key: (value: value(of: $0), id: $0.id)) }.sorted { precedes($0.key, $1.key) }
        guard let cursor else { return keyed.map(\.resource) }
        return keyed.filter { precedes((cursor.value, cursor.id), $0.key) }.map(\.resource)
    }

    /// The patient search's order in the store.
    var patientOrder: FHIRPatientOrder {
        let column: FHIRPatientOrder.Column = switch key {
        case "_lastUpdated": .updatedAt
        case "birthdate": .birthDate
        default: .id
        }
        return FHIRPatientOrder(column, descending: descending)
    }
}

/// The opaque `_cursor`: base64url of a versioned marker, the sort, and the last resource shown
/// (its sort value and id). `c1:` cursors (id order only) are still read.
struct FHIRCursor: Sendable, Equatable {
    var sort: FHIRSort
    var value: String
    var id: String

    init(sort: FHIRSort, after r: FHIRResource) {
        self.sort = sort
        value = sort.value(of: r)
        id = r.id
    }

    init(sort: FHIRSort, value: String, id: String) {
        self.sort = sort
        self.value = value
        self.id = id
    }

    var encoded: String {
        let text = sort == .byId ? "c1:\(id)" : "c2:\(sort.text)\u{1F}\(value)\u{1F}\(id)"
        return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ raw: String, type: FHIRType) -> FHIRCursor? {
        var b64 = raw.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard raw.count <= 300, let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8) else { return nil }
        let cursor: FHIRCursor
        if text.hasPrefix("c1:") {
            cursor = FHIRCursor(sort: .byId, value: String(text.dropFirst(3)), id: String(text.dropFirst(3)))
        } else if text.hasPrefix("c2:") {
            let parts = text.dropFirst(3).split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let sort = FHIRSort(parts[0], type: type) else { return nil }
            cursor = FHIRCursor(sort: sort, value: parts[1], id: parts[2])
        } else {
            return nil
        }
        let plain = { (s: String) in s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.:+".contains($0)) } }
        guard !cursor.id.isEmpty, cursor.id.count <= 64, plain(cursor.id), cursor.value.count <= 64, plain(cursor.value) else { return nil }
        return cursor
    }
}
