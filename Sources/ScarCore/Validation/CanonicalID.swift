import Foundation

extension UUID {
    /// The one way ScarTrack writes an id: lower case, as PostgreSQL prints a `uuid`, so every
    /// id a client sees (JSON, pages, URLs, CSV) joins with every other by plain string
    /// comparison. `uuidString` is upper case and is never shown as is.
    public var lower: String { uuidString.lowercased() }
}
