import Foundation

/// What a search box entry means. Front-desk staff type a name, a date of birth or a record
/// number into one box; this decides which, so the store can use an index for each.
public enum PatientQuery: Sendable, Equatable {
    case all
    case dateOfBirth(CalendarDate)
    /// Matches a record number exactly, or any name part starting with the text.
    case text(String)

    /// The entry is trimmed and NFC-normalised, as stored names are (`PatientDetails.validate`).
    public static func parse(_ raw: String?) -> PatientQuery {
        guard let q = Text.normalized(raw) else { return .all }
        if let date = CalendarDate(q) { return .dateOfBirth(date) }
        // Day-first dates as clinics write them on paper: 31.12.1990 or 31/12/1990.
        let parts = q.split(whereSeparator: { $0 == "." || $0 == "/" })
        if parts.count == 3, parts[2].count == 4, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]),
           let date = CalendarDate(String(format: "%04d-%02d-%02d", y, m, d)) {
            return .dateOfBirth(date)
        }
        return .text(String(q.prefix(100)))
    }
}

/// A page of results: 1-based page number, bounded page size.
public struct PageRequest: Sendable, Equatable {
    public let page: Int
    public let perPage: Int

    public static let maxPerPage = 100

    public init(page: Int = 1, perPage: Int = 25) {
        self.page = max(1, page)
        self.perPage = min(max(1, perPage), PageRequest.maxPerPage)
    }

    public var offset: Int { (page - 1) * perPage }
}

public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int

    public init(items: [Item], page: Int, perPage: Int, total: Int) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
    }

    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
    public var hasNext: Bool { page < pageCount }
    public var hasPrevious: Bool { page > 1 }
}
