/// Failures the layers above turn into clear answers (404, 409, 412, 503) instead of a 500.
public enum StoreError: Error, Sendable, Equatable {
    case notFound
    /// The record changed since the caller read it; `current` is the version now stored.
    case versionConflict(current: Int)
    /// A unique value (e.g. a record number) is already taken; names the field.
    case duplicate(field: String)
    case configuration(String)
    /// The database refused a write (read-only, disk full, unavailable).
    case unavailable(String)
    /// The database itself refused to store a write: disk full, read-only, I/O error. The
    /// transaction was rolled back; the same request can succeed once the condition clears.
    case writeRefused(String)
}
